"""Deterministic example values for any model shape: the smallest valid value, and targeted breakages.

Used by the generated per-operation validation tests and as the seed of the `edge` strategies.
Pattern examples are built by walking the parsed (translated) pattern, taking the simplest branch,
class member and repeat count, then growing the first open-ended repeat to reach a minimum length.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from cognito_mock.shapes import schema_document

__all__ = ["minimal_value", "pattern_breaker", "string_example", "zero_blob"]

_PREFERRED = "a0A_-.x!"


def _schema(shape: str) -> dict[str, Any]:
    schema: dict[str, Any] = schema_document()["$defs"][shape]
    return schema


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _in_class(items: list[tuple[Any, Any]], ch: str) -> bool:
    code = ord(ch)
    for op, value in items:
        if op is sre.LITERAL and value == code:
            return True
        if op is sre.RANGE and value[0] <= code <= value[1]:
            return True
        if op is sre.CATEGORY:
            if value is sre.CATEGORY_SPACE and ch in " \t\n\r\f\v":
                return True
            if value is sre.CATEGORY_DIGIT and ch.isdigit():
                return True
            if value is sre.CATEGORY_WORD and (ch.isalnum() or ch == "_"):
                return True
    return False


def _class_char(items: list[tuple[Any, Any]]) -> str:
    negated = bool(items) and items[0][0] is sre.NEGATE
    members = items[1:] if negated else items
    for ch in _PREFERRED:
        if _in_class(members, ch) != negated:
            return ch
    if not negated:
        op, value = members[0]
        if op is sre.LITERAL:
            return chr(value)
        if op is sre.RANGE:
            return chr(value[0])
        return " "
    return next(chr(c) for c in range(0x21, 0x2FFFF) if not _in_class(members, chr(c)))


def _build(parsed: Any, grow: dict[int, int], open_repeats: list[tuple[int, int, Any]]) -> str:
    out = []
    for op, av in parsed:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.IN:
            out.append(_class_char(av))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, high, item = av
            key = id(item)
            if high is sre.MAXREPEAT or high > low:
                open_repeats.append(
                    (key, (high if high is not sre.MAXREPEAT else 10**6) - low, item)
                )
            unit = _build(item, grow, [])
            out.append(unit * (low + grow.get(key, 0)))
        elif op is sre.SUBPATTERN:
            out.append(_build(av[-1], grow, open_repeats))
        elif op is sre.BRANCH:
            out.append(_build(av[1][0], grow, open_repeats))
    return "".join(out)


@cache
def string_example(pattern: str | None, lo: int, hi: int | None) -> str:
    """The simplest string of length lo..hi matching `pattern` (a translated, anchored pattern)."""
    if pattern is None:
        return "a" * lo
    parsed = sre_parse.parse(pattern)
    open_repeats: list[tuple[int, int, Any]] = []
    grow: dict[int, int] = {}
    value = _build(parsed, grow, open_repeats)
    for key, room, item in open_repeats:
        if len(value) >= lo:
            break
        unit = len(_build(item, {}, []))
        if unit:
            grow[key] = min(room, -(-(lo - len(value)) // unit))
            value = _build(parsed, grow, [])
    if re.search(pattern, value) is None or len(value) < lo or (hi is not None and len(value) > hi):
        raise ValueError(f"no simple example of length {lo}..{hi} for pattern {pattern[:80]!r}")
    return value


@cache
def zero_blob(size: int) -> str:
    """The base64 text of `size` zero bytes (a blob of that size on the wire)."""
    return base64.b64encode(bytes(size)).decode("ascii")


def minimal_value(shape: str) -> Any:
    """The smallest value of `shape` that passes the model: required members only."""
    schema = _schema(shape)
    kind = schema.get("type")
    if kind is None:
        return {}
    if kind == "string":
        if "enum" in schema:
            return schema["enum"][0]
        if schema.get("x-aws-type") == "blob":
            return zero_blob(schema.get("x-aws-min-bytes", 0))
        return string_example(
            schema.get("pattern"), schema.get("minLength", 0), schema.get("maxLength")
        )
    if kind == "integer":
        return max(schema.get("minimum", 0), 0)
    if kind == "number":
        return 1_700_000_000.0
    if kind == "boolean":
        return False
    if kind == "array":
        return [minimal_value(_ref(schema["items"])) for _ in range(schema.get("minItems", 0))]
    if "propertyNames" in schema:
        if not schema.get("minProperties", 0):
            return {}
        key = minimal_value(_ref(schema["propertyNames"]))
        return {key: minimal_value(_ref(schema["additionalProperties"]))}
    return {
        name: minimal_value(_ref(schema["properties"][name])) for name in schema.get("required", [])
    }


_BREAKERS = (" ", "\x00", "!", "\u00e9", "\n", "#", "a", "_", "-", "0", "\u3000")


@cache
def pattern_breaker(pattern: str, lo: int, hi: int | None) -> str | None:
    """A string within lo..hi characters that does NOT match `pattern`, or None if none is found."""
    search = re.compile(pattern).search
    size = max(lo, 1)
    if hi is not None and size > hi:
        return None
    for ch in _BREAKERS:
        candidate = ch * size
        if search(candidate) is None:
            return candidate
    good = string_example(pattern, lo, hi)
    for ch in _BREAKERS:
        for candidate in (ch + good[1:], good[:-1] + ch):
            if lo <= len(candidate) and search(candidate) is None:
                return candidate
    return None
