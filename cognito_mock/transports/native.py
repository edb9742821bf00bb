"""Python-native values (datetimes, bytes) to and from the wire form (epoch numbers, base64).

Converters are compiled once per shape and exist only where a shape contains a timestamp or a blob;
everywhere else the value passes through untouched, so most calls convert nothing.
"""

from __future__ import annotations

import base64
import binascii
import calendar
from collections.abc import Callable
from datetime import datetime, timezone
from functools import cache, lru_cache
from typing import Any

from cognito_mock.shapes import schema_document

__all__ = ["from_wire", "from_wire_converter", "to_wire", "to_wire_converter"]

Convert = Callable[[Any], Any]


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _timestamp_out(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # naive datetimes are UTC, as botocore's serializer reads them
            return float(calendar.timegm(value.timetuple())) + value.microsecond / 1e6
        return value.timestamp()
    return value


@lru_cache(maxsize=8192)  # datetimes are immutable: a listing converts the same instants again
def _utc(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=timezone.utc)


def _timestamp_in(value: Any) -> Any:
    if type(value) in (int, float):
        return _utc(value)
    return value


def _blob_out(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str):
        try:
            return base64.b64encode(value.encode("utf-8")).decode("ascii")
        except UnicodeEncodeError:  # an unpaired surrogate: the deserializer words the refusal
            return value
    return value


def _blob_in(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return value
    return value


def _compile(shape: str, leaf: dict[str, Convert]) -> Convert | None:
    schema = schema_document()["$defs"][shape]
    special = schema.get("x-aws-type")
    if special in leaf:
        return leaf[special]
    kind = schema.get("type")
    if kind == "array":
        item = _compile(_ref(schema["items"]), leaf)
        if item is None:
            return None
        # isinstance: a CheckedList (a response's pre-checked items) converts like any list
        return lambda v: [item(x) for x in v] if isinstance(v, list) else v
    if kind == "object" and "propertyNames" in schema:
        value = _compile(_ref(schema["additionalProperties"]), leaf)
        if value is None:
            return None
        return lambda v: {k: value(x) for k, x in v.items()} if type(v) is dict else v
    if kind == "object":
        members = {
            name: conv
            for name, ref in schema["properties"].items()
            if (conv := _compile(_ref(ref), leaf)) is not None
        }
        if not members:
            return None

        def structure(v: Any) -> Any:
            if type(v) is not dict:
                return v
            out = dict(v)
            for name, conv in members.items():
                if name in out:
                    out[name] = conv(out[name])
            return out

        return structure
    return None


@cache
def _to_wire(shape: str) -> Convert | None:
    return _compile(shape, {"timestamp": _timestamp_out, "blob": _blob_out})


@cache
def _from_wire(shape: str) -> Convert | None:
    return _compile(shape, {"timestamp": _timestamp_in, "blob": _blob_in})


def to_wire_converter(shape: str) -> Convert | None:
    """The compiled to-wire converter of `shape`, or None where the shape needs none."""
    return _to_wire(shape)


def from_wire_converter(shape: str) -> Convert | None:
    """The compiled from-wire converter of `shape`, or None where the shape needs none."""
    return _from_wire(shape)


def to_wire(shape: str, value: Any) -> Any:
    """`value` with datetimes as epoch seconds and bytes as base64 (unchanged if nothing to do)."""
    conv = _to_wire(shape)
    return value if conv is None else conv(value)


def from_wire(shape: str, value: Any) -> Any:
    """`value` with epoch seconds as aware UTC datetimes and base64 as bytes."""
    conv = _from_wire(shape)
    return value if conv is None else conv(value)
