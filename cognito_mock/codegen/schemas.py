"""Turns the botocore `cognito-idp` service model into JSON Schemas (draft 2020-12) and an index.

Dev-only: imports botocore. The output describes the JSON 1.1 wire form: timestamps are epoch-second
numbers, blobs base64 strings (bounded in bytes by `x-aws-min-bytes` / `x-aws-max-bytes`), and
`pattern` is the model's Java pattern translated for full-match use.
"""

from __future__ import annotations

from typing import Any

from cognito_mock.codegen.patterns import translate, unicode_version

__all__ = ["API_VERSION", "INDEX_FILE", "SCHEMA_FILE", "SERVICE", "build"]

SERVICE = "cognito-idp"
API_VERSION = "2016-04-18"
SCHEMA_FILE = "cognito-idp.schema.json"
INDEX_FILE = "index.json"

# HTTP status per error: the botocore model has none; these come from the Smithy model's httpError
# traits (see the fact sheet, section 0). Faults without a trait are 500, every other error 400.
_STATUS = {"ForbiddenException": 403, "UnauthorizedException": 401, "TooManyRequestsException": 429}

Shape = dict[str, Any]


def _shape_schema(shape: Shape) -> dict[str, Any]:
    kind = shape["type"]
    schema: dict[str, Any]
    if kind == "structure":
        if shape.get("document"):
            return {"x-aws-type": "document"}
        members = shape["members"]
        schema = {
            "type": "object",
            "properties": {name: {"$ref": "#/$defs/" + m["shape"]} for name, m in members.items()},
            "additionalProperties": False,
        }
        if shape.get("required"):
            schema["required"] = list(shape["required"])
        if shape.get("exception"):
            schema["x-aws-exception"] = True
    elif kind == "string":
        schema = {"type": "string"}
        if "enum" in shape:
            schema["enum"] = list(shape["enum"])
        if "min" in shape:
            schema["minLength"] = shape["min"]
        if "max" in shape:
            schema["maxLength"] = shape["max"]
        if "pattern" in shape:
            schema["pattern"] = translate(shape["pattern"])
            schema["x-java-pattern"] = shape["pattern"]
    elif kind in ("integer", "long"):
        schema = {"type": "integer"}
        if "min" in shape:
            schema["minimum"] = shape["min"]
        if "max" in shape:
            schema["maximum"] = shape["max"]
        if kind == "long":
            schema["x-aws-type"] = "long"
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "timestamp":
        schema = {"type": "number", "x-aws-type": "timestamp"}
    elif kind == "blob":
        # The model's bounds count bytes of the decoded value. JSON Schema can only bound the
        # length of the base64 text, which cannot tell 131,072 bytes from 131,073 (both 174,764
        # characters), so the bounds stay in bytes under their own keywords for the validators.
        schema = {"type": "string", "contentEncoding": "base64", "x-aws-type": "blob"}
        if "min" in shape:
            schema["x-aws-min-bytes"] = shape["min"]
        if "max" in shape:
            schema["x-aws-max-bytes"] = shape["max"]
    elif kind == "list":
        schema = {"type": "array", "items": {"$ref": "#/$defs/" + shape["member"]["shape"]}}
        if "min" in shape:
            schema["minItems"] = shape["min"]
        if "max" in shape:
            schema["maxItems"] = shape["max"]
    elif kind == "map":
        schema = {
            "type": "object",
            "propertyNames": {"$ref": "#/$defs/" + shape["key"]["shape"]},
            "additionalProperties": {"$ref": "#/$defs/" + shape["value"]["shape"]},
        }
        if "min" in shape:
            schema["minProperties"] = shape["min"]
        if "max" in shape:
            schema["maxProperties"] = shape["max"]
    else:  # pragma: no cover - the model has no other types today
        raise ValueError(f"unmapped shape type {kind!r}")
    if shape.get("sensitive"):
        schema["x-aws-sensitive"] = True
    return schema


def _sensitive_paths(
    shapes: dict[str, Shape], name: str, prefix: str, seen: frozenset[str]
) -> list[str]:
    """Member paths (`A.B[].C`, `M{}`) under shape `name` whose shape is sensitive."""
    shape = shapes[name]
    if name in seen:
        return []
    seen = seen | {name}
    if shape.get("sensitive"):
        return [prefix]
    kind = shape["type"]
    if kind == "structure":
        out: list[str] = []
        for member, ref in shape["members"].items():
            path = f"{prefix}.{member}" if prefix else member
            out += _sensitive_paths(shapes, ref["shape"], path, seen)
        return out
    if kind == "list":
        return _sensitive_paths(shapes, shape["member"]["shape"], prefix + "[]", seen)
    if kind == "map":
        return _sensitive_paths(shapes, shape["value"]["shape"], prefix + "{}", seen)
    return []


def build(model: dict[str, Any], botocore_version: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (schema document, index) for a loaded `service-2.json` model."""
    shapes: dict[str, Shape] = model["shapes"]
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://cognito-mock.local/shapes/{SCHEMA_FILE}",
        "title": f"{SERVICE} {API_VERSION} shapes (botocore {botocore_version})",
        "$defs": {name: _shape_schema(shapes[name]) for name in sorted(shapes)},
    }
    operations: dict[str, Any] = {}
    for name in sorted(model["operations"]):
        op = model["operations"][name]
        in_shape = op["input"]["shape"]
        out_shape = op.get("output", {}).get("shape")
        operations[name] = {
            "input": in_shape,
            "output": out_shape,
            "errors": sorted(e["shape"] for e in op.get("errors", [])),
            "auth": "none" if op.get("authtype") == "none" else "v4",
            "sensitive_input": _sensitive_paths(shapes, in_shape, "", frozenset()),
            "sensitive_output": (
                _sensitive_paths(shapes, out_shape, "", frozenset()) if out_shape else []
            ),
        }
    errors = {
        name: {
            "status": 500 if shape.get("fault") else _STATUS.get(name, 400),
            "fault": bool(shape.get("fault")),
        }
        for name, shape in sorted(shapes.items())
        if shape.get("exception")
    }
    meta = model["metadata"]
    index = {
        "service": SERVICE,
        "api_version": meta["apiVersion"],
        "target_prefix": meta["targetPrefix"],
        "json_version": meta["jsonVersion"],
        "botocore_version": botocore_version,
        "unicode_version": unicode_version(),
        "schema_file": SCHEMA_FILE,
        "operations": operations,
        "errors": errors,
    }
    return document, index
