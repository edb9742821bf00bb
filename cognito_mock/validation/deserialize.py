"""The service's JSON deserializer, applied before any model constraint: what cannot become a value
of the member's type is `SerializationException`, worded as the service's (Coral) deserializer words
it; what can is converted the way the service converts it.

- A wrong JSON type (a number for a string, a list for a structure, ...): `SerializationException`
  with the AWS JSON (Coral) deserializer's text: `NUMBER_VALUE can not be converted to a String`,
  `STRING_VALUE can not be converted to an Integer` (cognito-idp ListUsers, 2023), `TRUE_VALUE ...`,
  `Start of list found where not expected`, `Start of structure or map found where not expected.`
  (cognito-idp, 2020), `Expected list or null`, `Expected map or null`, `Expected null` (measured
  on the same framework in 2026). Texts for blobs and timestamps follow the same rule by analogy.
- A string with an unpaired UTF-16 surrogate, a non-finite number (`1e400`), a timestamp outside
  years 1-9999, or anything nested deeper than `MAX_DEPTH`: `SerializationException` (the mock's
  wording: no public response shows the service's). So no such value reaches a handler or the state.
- JSON null for a structure member: the member is absent (the service's deserializer drops it).
- A fractional number for an integer member: truncated toward zero (Coral reads numbers as a
  `TruncatingBigNumber`); integers outside Java's int/long range are clamped to it.

Runs on the slow path only: `dispatch` calls it when the compiled check says no, so a request
already in canonical form costs nothing here.
"""

from __future__ import annotations

import math
import re
from typing import Any

from cognito_mock.errors import SerializationException
from cognito_mock.shapes import schema_document

__all__ = ["MAX_DEPTH", "TIMESTAMP_RANGE", "deserialize", "document_ok", "unpaired_surrogate"]

# Deeper values are refused: far beyond any shape of the model (6 levels) or a real document
# (WebAuthn credentials, branding settings: under 10), and well inside Python's recursion limit.
MAX_DEPTH = 64
_INT_RANGE = (-(2**31), 2**31 - 1)
_LONG_RANGE = (-(2**63), 2**63 - 1)
TIMESTAMP_RANGE = (-62135596800.0, 253402300799.0)  # 0001-01-01 .. 9999-12-31, UTC

_SURROGATE = re.compile("[\ud800-\udfff]")
_LIST = "Start of list found where not expected"
_MAP = "Start of structure or map found where not expected."
_DEPTH = f"Document nesting depth exceeds the maximum allowed ({MAX_DEPTH})"


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def unpaired_surrogate(text: str) -> str | None:
    """The first unpaired surrogate in `text` (a `str` cannot hold a pair), else None."""
    if text.isascii():
        return None
    found = _SURROGATE.search(text)
    return None if found is None else found.group()


def _surrogate_message(char: str) -> str:
    return f"Unpaired surrogate U+{ord(char):04X} in a string value"


def _token(value: Any) -> str:
    """The JSON token the service's deserializer names in its errors."""
    if value is True:
        return "TRUE_VALUE"
    if value is False:
        return "FALSE_VALUE"
    if type(value) in (int, float):
        return "NUMBER_VALUE"
    if type(value) is str:
        return "STRING_VALUE"
    return f"{type(value).__name__} value"  # only Python values given in-process reach this


def _shape_error(value: Any, target: str) -> _Refused:
    """The error for `value` where a scalar of type `target` (`a String`, ...) belongs."""
    if isinstance(value, (list, tuple)):
        return _Refused(_LIST)
    if isinstance(value, dict):
        return _Refused(_MAP)
    return _Refused(f"{_token(value)} can not be converted to {target}")


def _string(value: Any, target: str = "a String") -> str:
    if type(value) is not str:
        raise _shape_error(value, target)
    char = unpaired_surrogate(value)
    if char is not None:
        raise _Refused(_surrogate_message(char))
    return value


def _integer(value: Any, long: bool) -> int:
    target = "a Long" if long else "an Integer"
    if type(value) is float:
        if not math.isfinite(value):  # `1e400` in JSON reads as infinity
            raise _Refused(f"NUMBER_VALUE {value} can not be converted to {target}")
        value = int(value)  # toward zero, as the service truncates
    elif type(value) is not int:
        raise _shape_error(value, target)
    low, high = _LONG_RANGE if long else _INT_RANGE
    return min(max(value, low), high)


def _timestamp(value: Any) -> Any:
    if type(value) not in (int, float):
        raise _shape_error(value, "milliseconds since epoch")
    if not (TIMESTAMP_RANGE[0] <= value <= TIMESTAMP_RANGE[1]):  # NaN fails too
        raise _Refused(f"NUMBER_VALUE {value!r} can not be converted to milliseconds since epoch")
    return value


def _boolean(value: Any) -> bool:
    if value is True or value is False:
        return value
    raise _shape_error(value, "a Boolean")


def _document(value: Any, depth: int) -> Any:
    """Any JSON value, bounded in depth, with well-formed strings and string keys."""
    if depth > MAX_DEPTH:
        raise _Refused(_DEPTH)
    if type(value) is str:
        return _string(value)
    if value is None or value is True or value is False or type(value) is int:
        return value
    if type(value) is float:
        if not math.isfinite(value):  # `1e400` in JSON reads as infinity
            raise _Refused(f"NUMBER_VALUE {value} is not a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [_document(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_key(k): _document(v, depth + 1) for k, v in value.items()}
    raise _Refused(f"{_token(value)} can not be converted to a Document")


def _key(key: Any) -> str:
    if type(key) is not str:  # only in-process: JSON keys are strings
        raise _Refused(f"{_token(key)} can not be converted to a String")
    return _string(key)


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = schema_document()["$defs"]
    return defs


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _value(shape: str, value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _Refused(_DEPTH)
    schema = _defs()[shape]
    kind = schema.get("type")
    special = schema.get("x-aws-type")
    if kind is None:
        return _document(value, depth)
    if kind == "string":
        return _string(value, "a Blob" if special == "blob" else "a String")
    if kind == "integer":
        return _integer(value, special == "long")
    if kind == "number":
        return _timestamp(value)
    if kind == "boolean":
        return _boolean(value)
    if kind == "array":
        if not isinstance(value, (list, tuple)):
            raise _Refused(_MAP if isinstance(value, dict) else "Expected list or null")
        item = _ref(schema["items"])
        # A null item stays: the constraint check words it (`Member must not be null`).
        return [None if v is None else _value(item, v, depth + 1) for v in value]
    if "propertyNames" in schema:
        if not isinstance(value, dict):
            raise _Refused(_LIST if isinstance(value, (list, tuple)) else "Expected map or null")
        key_shape, item = _ref(schema["propertyNames"]), _ref(schema["additionalProperties"])
        return {
            _value(key_shape, k, depth + 1): None if v is None else _value(item, v, depth + 1)
            for k, v in value.items()
        }
    return _structure(schema, value, depth)


def _structure(schema: dict[str, Any], value: Any, depth: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Refused(_LIST if isinstance(value, (list, tuple)) else "Expected null")
    members = schema["properties"]
    out: dict[str, Any] = {}
    for name, member in value.items():
        if member is None:
            continue  # null is absent
        ref = members.get(name) if type(name) is str else None
        if ref is None:
            # Not in the model: kept for the constraint check, which names it; only its
            # depth and strings are checked, so what it echoes is safe to encode.
            out[_key(name)] = _document(member, depth + 1)
        else:
            out[name] = _value(_ref(ref), member, depth + 1)
    return out


def deserialize(shape: str, value: Any) -> Any:
    """`value` as the service reads it into `shape` (a copy), or `SerializationException`."""
    try:
        return _value(shape, value, 0)
    except _Refused as refused:
        raise SerializationException(refused.message) from None


def document_ok(value: Any, depth: int = 1) -> bool:
    """Whether `value` is a document the deserializer would leave as it is (the compiled checks')."""
    if depth > MAX_DEPTH:
        return False
    kind = type(value)
    if kind is str:
        return unpaired_surrogate(value) is None
    if value is None or kind is bool or kind is int:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(document_ok(item, depth + 1) for item in value)
    if kind is dict:
        return all(
            type(k) is str and unpaired_surrogate(k) is None and document_ok(v, depth + 1)
            for k, v in value.items()
        )
    return False
