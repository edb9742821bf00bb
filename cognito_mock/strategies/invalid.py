"""Requests that break exactly one model constraint, labelled with the member path and constraint text.

Imports `valid` (a valid value is the starting point), `examples` and the request validator.

A valid value is drawn first; then one place in it (a present value, a required member, an absent
optional member) and one way to break it there. Each candidate breakage is checked locally to break
exactly the intended constraint, so the labels are right by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from cognito_mock.shapes import schema_document
from cognito_mock.strategies.examples import (
    minimal_value,
    pattern_breaker,
    string_example,
    zero_blob,
)
from cognito_mock.strategies.valid import build
from cognito_mock.validation.compiled import member_shape
from cognito_mock.validation.explain import MISSING, MapKey, Path, Violation, explain
from cognito_mock.validation.messages import aws_path, service_message

__all__ = ["InvalidRequest", "invalid_values"]

_NOT_IN_ENUM = "NOT_A_MODEL_VALUE"
# Characters that break most patterns; drawn into a valid string to make a pattern breaker.
_BREAKERS = " \x00!#\u00e9\n_-.0a\u3000"


@dataclass(frozen=True)
class InvalidRequest:
    """A request breaking one constraint: where (`path`, the service's member path) and which."""

    request: Any
    path: str  # e.g. "userAttributes.2.member.name"; "" for the request itself
    constraint: str  # e.g. "Member must have length less than or equal to 128"
    message: str  # the whole InvalidParameterException message the service answers with


@dataclass(frozen=True)
class _Site:
    path: Path
    shape: str
    value: Any
    sensitive: bool  # an enclosing shape is sensitive


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = schema_document()["$defs"]
    return defs


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _kind(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind == "object":
        return "map" if "propertyNames" in schema else "structure"
    return kind


def _sites(shape: str, value: Any, path: Path, sensitive: bool, out: list[_Site]) -> list[_Site]:
    schema = _defs()[shape]
    kind = _kind(schema)
    if kind is None:  # a document: anything goes
        return out
    out.append(_Site(path, shape, value, sensitive))
    inner = sensitive or bool(schema.get("x-aws-sensitive"))
    if kind == "array":
        for i, item in enumerate(value):
            _sites(_ref(schema["items"]), item, (*path, i), inner, out)
    elif kind == "map":
        for k, v in value.items():
            _sites(_ref(schema["additionalProperties"]), v, (*path, MapKey(k)), inner, out)
    elif kind == "structure":
        for name, ref in schema["properties"].items():
            if name in value:
                # The shape the validator checks the member against (REQUEST_OVERRIDES applied).
                member = member_shape(shape, name, ref, False)
                _sites(member, value[name], (*path, name), inner, out)
    return out


def _length(noun: str, lo: bool, bound: int) -> str:
    side = "greater" if lo else "less"
    return f"Member must have {noun} {side} than or equal to {bound}"


def _try_example(pattern: str | None, size: int) -> str | None:
    try:
        return string_example(pattern, size, size)
    except ValueError:
        return None


def _blob_breaks(schema: dict[str, Any]) -> list[tuple[Any, str]]:
    """One byte too many or too few (the model counts a blob's decoded bytes)."""
    out: list[tuple[Any, str]] = []
    lo, hi = schema.get("x-aws-min-bytes", 0), schema.get("x-aws-max-bytes")
    if hi is not None:
        out.append((zero_blob(hi + 1), _length("length", False, hi)))
    if lo > 0:
        out.append((zero_blob(lo - 1), _length("length", True, lo)))
    return out


def _string_breaks(schema: dict[str, Any], value: str, draw: Any) -> list[tuple[Any, str]]:
    if schema.get("x-aws-type") == "blob":
        return _blob_breaks(schema)
    out: list[tuple[Any, str]] = []
    pattern, lo, hi = schema.get("pattern"), schema.get("minLength", 0), schema.get("maxLength")
    if "enum" in schema:
        out.append(
            (
                _NOT_IN_ENUM,
                "Member must satisfy enum value set: [" + ", ".join(schema["enum"]) + "]",
            )
        )
    if hi is not None:
        longer = _try_example(pattern, hi + 1) or "a" * (hi + 1)
        out.append((longer, _length("length", False, hi)))
    if lo > 0:
        shorter = _try_example(pattern, lo - 1)
        if shorter is not None:
            out.append((shorter, _length("length", True, lo)))
    if pattern is not None:
        text = "Member must satisfy regular expression pattern: " + schema["x-java-pattern"]
        if value:
            where = draw(st.integers(0, len(value) - 1))
            spoiled = value[:where] + draw(st.sampled_from(_BREAKERS)) + value[where + 1 :]
            out.append((spoiled, text))
        fixed = pattern_breaker(pattern, lo, hi)
        if fixed is not None:
            out.append((fixed, text))
    return out


def _value_breaks(shape: str, value: Any, draw: Any) -> list[tuple[Any, Path, str]]:
    """(broken value, path below the site, constraint) candidates for one site."""
    schema = _defs()[shape]
    kind = _kind(schema)
    # A value of the wrong JSON type is not a constraint breach but a SerializationException
    # (cognito_mock.validation.deserialize), so it is not drawn here.
    out: list[tuple[Any, Path, str]] = []
    if kind == "string":
        out += [(v, (), c) for v, c in _string_breaks(schema, value, draw)]
    elif kind == "integer":
        if "minimum" in schema:
            out.append((schema["minimum"] - 1, (), _length("value", True, schema["minimum"])))
        if "maximum" in schema:
            out.append((schema["maximum"] + 1, (), _length("value", False, schema["maximum"])))
    elif kind == "array":
        lo, hi = schema.get("minItems", 0), schema.get("maxItems")
        if lo > 0:
            out.append((value[: lo - 1], (), _length("length", True, lo)))
        if hi is not None:
            items = value or [minimal_value(_ref(schema["items"]))]
            out.append(
                ([items[i % len(items)] for i in range(hi + 1)], (), _length("length", False, hi))
            )
    elif kind == "map":
        lo, hi = schema.get("minProperties", 0), schema.get("maxProperties")
        if lo > 0:
            out.append((dict(list(value.items())[: lo - 1]), (), _length("length", True, lo)))
        keys = _defs()[_ref(schema["propertyNames"])].get("enum", [])
        if hi is not None and len(keys) > hi:
            filler = minimal_value(_ref(schema["additionalProperties"]))
            out.append(({k: filler for k in keys[: hi + 1]}, (), _length("length", False, hi)))
    elif kind == "structure":
        out += _structure_breaks(schema, value, draw)
    return out


def _structure_breaks(schema: dict[str, Any], value: Any, draw: Any) -> list[tuple[Any, Path, str]]:
    out: list[tuple[Any, Path, str]] = []
    required = schema.get("required", ())
    for name in required:
        if name in value:
            out.append(
                ({k: v for k, v in value.items() if k != name}, (name,), "Member must not be null")
            )
    absent = [
        n
        for n, ref in schema["properties"].items()
        if n not in value and n not in required and _kind(_defs()[_ref(ref)]) is not None
    ]
    if absent:  # one absent optional member (never a document: it has no constraint), broken;
        # starting from a drawn one, the first that has a constraint (a boolean has none)
        start = draw(st.integers(0, len(absent) - 1))
        for name in absent[start:] + absent[:start]:
            member = _ref(schema["properties"][name])
            breaks = _value_breaks(member, minimal_value(member), draw)
            out += [({**value, name: b}, (name, *below), c) for b, below, c in breaks]
            if breaks:
                break
    return out


def _replace(value: Any, path: Path, new: Any) -> Any:
    """`value` with the item at `path` replaced, copying only the containers on the way."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        copy = list(value)
        copy[head] = _replace(value[head], rest, new)  # type: ignore[index]
        return copy
    return {**value, head: _replace(value[head], rest, new)}


@st.composite
def invalid_values(draw: Any, shape: str) -> InvalidRequest:
    """An `InvalidRequest` for `shape`; shrinks towards its first member's first breakage."""
    value = draw(build(shape, "valid"))
    sites = _sites(shape, value, (), False, [])
    start = draw(st.integers(0, len(sites) - 1))
    for site in sites[start:] + sites[:start]:
        chosen = _checked(site, draw)
        if chosen:
            broken, violation = chosen[draw(st.integers(0, len(chosen) - 1))]
            request = _replace(value, site.path, broken)
            full = Violation(
                (*site.path, *violation.path),
                violation.constraint,
                violation.value,
                violation.sensitive or site.sensitive,
            )
            return InvalidRequest(
                request, aws_path(full.path), full.constraint, service_message([full])
            )
    raise ValueError(f"{shape} has no constraint to break")  # pragma: no cover - every shape has


def _checked(site: _Site, draw: Any) -> list[tuple[Any, Violation]]:
    """The site's candidate breakages that break exactly the constraint they claim."""
    out = []
    for broken, below, constraint in _value_breaks(site.shape, site.value, draw):
        found = explain(site.shape, broken)
        if len(found) == 1 and found[0].path == below and found[0].constraint == constraint:
            value = MISSING if constraint == "Member must not be null" else found[0].value
            out.append((broken, Violation(below, constraint, value, found[0].sensitive)))
    return out
