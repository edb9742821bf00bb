"""Translation of the model's Java regular expressions into portable, full-match Python patterns.

The service applies each `pattern` trait with Java's `Pattern.matches` (the whole value must match),
where `\\w`, `\\d`, `\\s` are ASCII and `\\p{L}` etc. are Unicode categories. Python's `re` reads `\\w` as
Unicode and cannot compile `\\p{..}`, so each class is expanded here into explicit code-point ranges
(from this interpreter's `unicodedata`) and the result is anchored, giving a pattern that `re`,
`jsonschema` and ECMA-262 engines all read the same way.
"""

from __future__ import annotations

import sys
import unicodedata
from functools import cache

__all__ = ["translate", "unicode_version"]

Ranges = list[tuple[int, int]]

# Java's predefined classes (ASCII unless UNICODE_CHARACTER_CLASS is set, which AWS does not use).
_JAVA_SPACE = [(0x20, 0x20), (0x09, 0x0D)]
_SIMPLE: dict[str, Ranges] = {
    "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "d": [(0x30, 0x39)],
    "s": _JAVA_SPACE,
}
_ESCAPED_LITERALS = {"t": 0x09, "n": 0x0A, "r": 0x0D, "f": 0x0C, "e": 0x1B, "a": 0x07}


def unicode_version() -> str:
    """The Unicode database version the `\\p{..}` expansion was drawn from."""
    return unicodedata.unidata_version


@cache
def _category_ranges(major: str) -> tuple[tuple[int, int], ...]:
    """Code-point ranges whose general category starts with `major` (e.g. "L")."""
    out: list[tuple[int, int]] = []
    start = -1
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp))[0] == major:
            if start < 0:
                start = cp
        elif start >= 0:
            out.append((start, cp - 1))
            start = -1
    if start >= 0:
        out.append((start, sys.maxunicode))
    return tuple(out)


def _merge(ranges: Ranges) -> Ranges:
    merged: Ranges = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _complement(ranges: Ranges) -> Ranges:
    out: Ranges = []
    nxt = 0
    for lo, hi in _merge(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= sys.maxunicode:
        out.append((nxt, sys.maxunicode))
    return out


def _char(cp: int) -> str:
    """One code point as it may stand inside a character class."""
    ch = chr(cp)
    if ch in "\\]^-[":
        return "\\" + ch
    if cp < 0x20 or cp == 0x7F:
        return f"\\x{cp:02x}"
    return ch


def _literal(cp: int) -> str:
    """One escaped code point as it may stand outside a character class."""
    ch = chr(cp)
    return "\\" + ch if ch in ".^$*+?()[]{}|\\/" else _char(cp)


def _render_class(ranges: Ranges, negate: bool = False) -> str:
    parts = []
    for lo, hi in _merge(ranges):
        if lo == hi:
            parts.append(_char(lo))
        elif hi == lo + 1:
            parts.append(_char(lo) + _char(hi))
        else:
            parts.append(f"{_char(lo)}-{_char(hi)}")
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self) -> str:
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def done(self) -> bool:
        return self.pos >= len(self.text)


def _escape_ranges(reader: _Reader) -> tuple[Ranges, bool] | None:
    """Read the escape after a backslash; return (ranges, negated) for class escapes, else None."""
    ch = reader.take()
    if ch in _SIMPLE:
        return list(_SIMPLE[ch]), False
    if ch in ("W", "D", "S"):
        return list(_SIMPLE[ch.lower()]), True
    if ch == "p":
        assert reader.take() == "{"
        name = ""
        while reader.peek() != "}":
            name += reader.take()
        reader.take()
        return list(_category_ranges(name[0])), False
    reader.pos -= 1
    return None


def _escape_literal(reader: _Reader) -> int:
    ch = reader.take()
    if ch == "x":
        return int(reader.take() + reader.take(), 16)
    if ch == "u":
        return int("".join(reader.take() for _ in range(4)), 16)
    return _ESCAPED_LITERALS.get(ch, ord(ch))


def _read_class(reader: _Reader) -> str:
    """Read a Java character class (after '['); return the equivalent explicit class."""
    negate = reader.peek() == "^"
    if negate:
        reader.take()
    ranges: Ranges = []
    first = True
    while True:
        ch = reader.take()
        if ch == "]" and not first:
            break
        first = False
        if ch == "\\":
            klass = _escape_ranges(reader)
            if klass is not None:
                got, neg = klass
                ranges.extend(_complement(got) if neg else got)
                continue
            lo = _escape_literal(reader)
        else:
            lo = ord(ch)
        # A range `a-z`, unless the '-' is the last member of the class.
        if reader.peek() == "-" and reader.text[reader.pos + 1] != "]":
            reader.take()
            hi_ch = reader.take()
            hi = _escape_literal(reader) if hi_ch == "\\" else ord(hi_ch)
            ranges.append((lo, hi))
        else:
            ranges.append((lo, lo))
    return _render_class(ranges, negate)


_ANY = "[\\s\\S]"


def _translate_body(java: str) -> str:
    reader = _Reader(java)
    out: list[str] = []
    dotall = False
    while not reader.done():
        if java.startswith("(?s)", reader.pos):
            dotall = True
            reader.pos += 4
            continue
        ch = reader.take()
        if ch == "[":
            out.append(_read_class(reader))
        elif ch == "\\":
            klass = _escape_ranges(reader)
            if klass is not None:
                got, neg = klass
                out.append(_render_class(got, neg))
            elif reader.peek() == "b":
                reader.take()
                out.append("\\b")
            else:
                out.append(_literal(_escape_literal(reader)))
        elif ch == "." and dotall:
            out.append(_ANY)
        elif ch == ".":
            # Java's '.' excludes line terminators: \n \r \u0085 \u2028 \u2029.
            out.append(
                _render_class([(0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029)], True)
            )
        elif ch in "^$":
            continue  # anchoring is applied once around the whole pattern
        else:
            out.append(ch)
    return "".join(out)


@cache
def translate(java: str) -> str:
    """A Python/ECMA pattern that `re.search` matches exactly when Java's `matches()` would."""
    return "^(?:" + _translate_body(java) + ")(?![\\s\\S])"
