"""Reasons a value breaks its shape, as (path, constraint, value) records in the service's wording.

Slow path only: it runs after a compiled validator has said no, or to report a contract breach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from cognito_mock.shapes import schema_document
from cognito_mock.validation.blobs import ByteBuffer, decoded_size
from cognito_mock.validation.compiled import member_shape

__all__ = ["MISSING", "MapKey", "Path", "Violation", "explain"]


class MapKey(str):
    """A map key in a path (kept verbatim, unlike member names)."""


Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Violation:
    path: Path  # member names, list indexes (0-based) and map keys, from the top-level shape
    constraint: str  # e.g. "Member must have length less than or equal to 55"
    value: Any  # the offending value; `_MISSING` for an absent required member
    sensitive: bool


class _Missing:
    def __repr__(self) -> str:
        return "null"


MISSING = _Missing()


@cache
def _search(pattern: str) -> Any:
    return re.compile(pattern).search


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = schema_document()["$defs"]
    return defs


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _type_name(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "any")
    if kind == "object":
        return "map" if "propertyNames" in schema else "structure"
    return {"array": "list", "number": "timestamp"}.get(kind, kind)


def _type_ok(schema: dict[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    if kind is None:
        return True
    if kind == "string":
        return type(value) is str
    if kind == "boolean":
        return type(value) is bool
    if kind == "integer":
        return type(value) is int or (type(value) is float and value.is_integer())
    if kind == "number":
        return type(value) in (int, float)
    if kind == "array":
        return type(value) is list
    return type(value) is dict


def _bounds(schema: dict[str, Any], size: int, lo_key: str, hi_key: str, noun: str) -> list[str]:
    out = []
    if lo_key in schema and size < schema[lo_key]:
        out.append(f"Member must have {noun} greater than or equal to {schema[lo_key]}")
    if hi_key in schema and size > schema[hi_key]:
        out.append(f"Member must have {noun} less than or equal to {schema[hi_key]}")
    return out


def _scalar_constraints(schema: dict[str, Any], value: Any) -> list[str]:
    kind = schema.get("type")
    if kind == "string":
        out = _bounds(schema, len(value), "minLength", "maxLength", "length")
        if "enum" in schema and value not in schema["enum"]:
            out.append("Member must satisfy enum value set: [" + ", ".join(schema["enum"]) + "]")
        if "pattern" in schema and _search(schema["pattern"])(value) is None:
            out.append(
                "Member must satisfy regular expression pattern: " + schema["x-java-pattern"]
            )
        return out
    if kind == "integer":
        return _bounds(schema, value, "minimum", "maximum", "value")
    if kind == "array":
        return _bounds(schema, len(value), "minItems", "maxItems", "length")
    if kind == "object" and "propertyNames" in schema:
        return _bounds(schema, len(value), "minProperties", "maxProperties", "length")
    return []


def explain(
    shape: str, value: Any, path: Path = (), sensitive: bool = False, response: bool = False
) -> list[Violation]:
    """Every violation of `shape` by `value`, in member order (empty when the value is valid)."""
    schema = _defs()[shape]
    sensitive = sensitive or bool(schema.get("x-aws-sensitive"))
    if not _type_ok(schema, value):
        article = "an" if _type_name(schema)[0] in "aeiou" else "a"
        return [Violation(path, f"Member must be {article} {_type_name(schema)}", value, sensitive)]
    out = [Violation(path, c, value, sensitive) for c in _scalar_constraints(schema, value)]
    if schema.get("x-aws-type") == "blob":
        # Bounds count decoded bytes, and the service shows the buffer, not the bytes.
        size = decoded_size(value)
        bounds = _bounds(schema, size, "x-aws-min-bytes", "x-aws-max-bytes", "length")
        out += [Violation(path, c, ByteBuffer(size), sensitive) for c in bounds]
    kind = schema.get("type")
    if kind == "array":
        item = _ref(schema["items"])
        for i, v in enumerate(value):
            out += explain(item, v, (*path, i), sensitive, response)
    elif kind == "object" and "propertyNames" in schema:
        key_shape, value_shape = _ref(schema["propertyNames"]), _ref(schema["additionalProperties"])
        for k, v in value.items():
            for bad in explain(key_shape, k, (*path, MapKey(k)), sensitive, response):
                out.append(Violation(bad.path, bad.constraint, k, bad.sensitive))
            out += explain(value_shape, v, (*path, MapKey(k)), sensitive, response)
    elif kind == "object":
        members = schema["properties"]
        for name, ref in members.items():
            if name in value:
                member = member_shape(shape, name, ref, response)
                out += explain(member, value[name], (*path, name), sensitive, response)
            elif name in schema.get("required", ()):
                member_sensitive = sensitive or bool(_defs()[_ref(ref)].get("x-aws-sensitive"))
                out.append(
                    Violation((*path, name), "Member must not be null", MISSING, member_sensitive)
                )
        known = ", ".join(members)
        for name in value:
            if name not in members:
                constraint = f"Member is not defined in the model; expected one of [{known}]"
                out.append(Violation((*path, name), constraint, value[name], sensitive))
    return out
