"""Strings matching the model's translated patterns, drawn by walking the parsed pattern (sre).

`hypothesis.strategies.from_regex` needs tens of seconds on the expanded `\\p{..}` classes and filters
for length; here each pattern is parsed once into a small tree whose nodes know their length range,
the wanted length is drawn first and handed down the tree, and each run of class characters is one
`text()` draw over a cached alphabet. Imports only `hypothesis`, `re` and `examples`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from hypothesis import strategies as st

from cognito_mock.strategies.examples import string_example

__all__ = ["CAP", "pattern_strings"]

# At most this many units of one repeat are drawn; longer runs cycle the drawn ones. Every unit
# matches on its own, so the result still matches, and a 20,000-character maximum costs 64 draws.
CAP = 64
# Without an upper bound (or in `valid` mode) lengths are drawn at most this far above the minimum.
SOFT = 24

_UNICODE_END = sys.maxunicode + 1
_SURROGATES = (0xD800, 0xDFFF)


@dataclass(frozen=True)
class _Node:
    kind: str  # "lit", "class", "seq", "alt", "rep", "empty"
    lo: int  # shortest match
    hi: int | None  # longest match (None: unbounded)
    text: str = ""  # "lit"
    cls: int = -1  # "class": index into _CLASSES
    parts: tuple[_Node, ...] = ()  # "seq" / "alt" children, "rep" item
    rmin: int = 0  # "rep" bounds
    rmax: int | None = None


@dataclass(frozen=True)
class _Class:
    ranges: tuple[tuple[int, int], ...]  # allowed code points, merged (surrogates excluded)
    edges: tuple[str, ...]  # first and last character of each allowed range


_CLASSES: list[_Class] = []
_CLASS_IDS: dict[tuple[tuple[int, int], ...], int] = {}


@cache
def _space_codes() -> tuple[int, ...]:
    return tuple(c for c in range(0x3001) if chr(c).isspace())


def _category_ranges(value: Any) -> list[tuple[int, int]] | None:
    """A subset (exact for ASCII) of what a category matches; None for negated categories."""
    if value is sre.CATEGORY_DIGIT:
        return [(0x30, 0x39)]
    if value is sre.CATEGORY_SPACE:
        return [(c, c) for c in _space_codes()]
    if value is sre.CATEGORY_WORD:
        return [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
    return None


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, start = [], 0
    for lo, hi in _merge(ranges):
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start < _UNICODE_END:
        out.append((start, _UNICODE_END - 1))
    return out


def _without_surrogates(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    s_lo, s_hi = _SURROGATES
    for lo, hi in ranges:
        if hi < s_lo or lo > s_hi:
            out.append((lo, hi))
            continue
        if lo < s_lo:
            out.append((lo, s_lo - 1))
        if hi > s_hi:
            out.append((s_hi + 1, hi))
    return out


def _class_id(ranges: list[tuple[int, int]]) -> int:
    key = tuple(_without_surrogates(_merge(ranges)))
    found = _CLASS_IDS.get(key)
    if found is None:
        edges = tuple(dict.fromkeys(chr(c) for lo, hi in key for c in (lo, hi)))
        _CLASSES.append(_Class(key, edges))
        found = _CLASS_IDS[key] = len(_CLASSES) - 1
    return found


def _class_ranges(items: list[tuple[Any, Any]]) -> list[tuple[int, int]]:
    negated = bool(items) and items[0][0] is sre.NEGATE
    ranges: list[tuple[int, int]] = []
    for op, value in items[1:] if negated else items:
        if op is sre.LITERAL:
            ranges.append((value, value))
        elif op is sre.RANGE:
            ranges.append((value[0], value[1]))
        elif op is sre.CATEGORY:
            sub = _category_ranges(value)
            if sub is None:  # \S, \D, \W: everything outside the positive category's full set
                positive = {
                    sre.CATEGORY_NOT_SPACE: [(c, c) for c in _space_codes()],
                    sre.CATEGORY_NOT_DIGIT: [(0x30, 0x39)],
                    sre.CATEGORY_NOT_WORD: [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
                }.get(value, [])
                # Drawn characters are still checked against the real pattern afterwards.
                sub = _complement(positive) if positive else []
            ranges += sub
    return _complement(ranges) if negated else ranges


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _tree(parsed: Any) -> _Node:
    parts = []
    for op, av in parsed:
        if op is sre.LITERAL:
            parts.append(_Node("lit", 1, 1, text=chr(av)))
        elif op is sre.NOT_LITERAL:
            parts.append(_Node("class", 1, 1, cls=_class_id(_complement([(av, av)]))))
        elif op is sre.ANY:
            parts.append(_Node("class", 1, 1, cls=_class_id(_complement([(10, 10)]))))
        elif op is sre.IN:
            parts.append(_Node("class", 1, 1, cls=_class_id(_class_ranges(av))))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, high, item = av
            unit = _tree(item)
            top = None if high is sre.MAXREPEAT else high
            hi = None if top is None or unit.hi is None else unit.hi * top
            if top == 0 or unit.hi == 0:
                hi = 0
            parts.append(_Node("rep", unit.lo * low, hi, parts=(unit,), rmin=low, rmax=top))
        elif op is sre.SUBPATTERN:
            parts.append(_tree(av[-1]))
        elif op is sre.BRANCH:
            options = tuple(_tree(p) for p in av[1])
            his = [o.hi for o in options]
            hi = None if None in his else max(h for h in his if h is not None)
            parts.append(_Node("alt", min(o.lo for o in options), hi, parts=options))
        # AT, ASSERT, ASSERT_NOT: zero width; the finished string is checked against the pattern.
    if len(parts) == 1:
        return parts[0]
    lo, hi = 0, 0
    total_hi: int | None = hi
    for p in parts:
        lo += p.lo
        total_hi = _add(total_hi, p.hi)
    return _Node("seq", lo, total_hi, parts=tuple(parts))


@cache
def _compiled(pattern: str) -> tuple[_Node, Any]:
    return _tree(sre_parse.parse(pattern)), re.compile(pattern).search


@cache
def _alphabet(cls: int) -> st.SearchStrategy[str]:
    ranges = _CLASSES[cls].ranges
    try:
        # Hypothesis' own one-character strategy over an interval set: `text()` then draws a whole
        # run as one choice. Public `text(alphabet=<str>)` builds the same set from a string of
        # every character, which takes over a minute for `[\S]` (1.1 million characters).
        from hypothesis.internal.intervalsets import IntervalSet
        from hypothesis.strategies._internal.strings import OneCharStringStrategy

        return OneCharStringStrategy(IntervalSet(ranges))
    except (ImportError, TypeError):  # pragma: no cover - a future Hypothesis moved them
        return st.characters(
            min_codepoint=ranges[0][0],
            max_codepoint=ranges[-1][1],
            categories=("L", "M", "N", "P", "S", "Zs", "Cc"),
        )


@cache
def _text(cls: int, least: int, most: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=_alphabet(cls), min_size=least, max_size=most)


def _clamp(value: int, lo: int, hi: int | None) -> int:
    return max(lo, value if hi is None else min(value, hi))


class _Drawer:
    """Draws one string for a tree, aiming at a length range at every node."""

    def __init__(self, draw: Any, edge: bool) -> None:
        self.draw = draw
        self.edge = edge

    def node(self, node: _Node, least: int, most: int) -> str:
        kind = node.kind
        if kind == "lit":
            return node.text
        if kind == "class":
            return self.chars(node.cls, 1, 1)
        if kind == "seq":
            return self.seq(node.parts, least, most)
        if kind == "alt":
            fits = [o for o in node.parts if o.lo <= most and (o.hi is None or least <= o.hi)]
            options = fits or list(node.parts)
            pick = self.draw(st.integers(0, len(options) - 1)) if len(options) > 1 else 0
            return self.node(options[pick], least, most)
        if kind == "rep":
            return self.rep(node, least, most)
        return ""

    def chars(self, cls: int, least: int, most: int) -> str:
        """A run of `least..most` class characters: one draw of at most CAP, cycled if longer."""
        low = min(least, CAP)
        value: str = self.draw(_text(cls, low, max(low, min(most, CAP)))) if most else ""
        if self.edge and value:
            # A character from the edge of one of the allowed ranges (each Unicode class' ends).
            where = self.draw(st.integers(0, len(value) - 1))
            edge = self.draw(st.sampled_from(_CLASSES[cls].edges))
            value = value[:where] + edge + value[where + 1 :]
        if len(value) < least:
            value = (value * (least // len(value) + 1))[:least]
        return value

    def seq(self, parts: tuple[_Node, ...], least: int, most: int) -> str:
        out = []
        rest_lo = sum(p.lo for p in parts)
        rest_hi: int | None = 0
        for p in parts:
            rest_hi = _add(rest_hi, p.hi)
        for p in parts:
            rest_lo -= p.lo
            rest_hi = None if rest_hi is None or p.hi is None else rest_hi - p.hi
            if p.lo == p.hi:
                piece = self.node(p, p.lo, p.lo)
            else:
                # This part must take whatever the later parts cannot absorb, and leave them room.
                low = max(p.lo, least - rest_hi) if rest_hi is not None else p.lo
                high = _clamp(most - rest_lo, p.lo, p.hi)
                piece = self.node(p, min(low, high), high)
            out.append(piece)
            least, most = least - len(piece), most - len(piece)
        return "".join(out)

    def rep(self, node: _Node, least: int, most: int) -> str:
        unit = node.parts[0]
        if unit.kind == "class":
            return self.chars(
                unit.cls, _clamp(least, node.rmin, node.rmax), _clamp(most, node.rmin, node.rmax)
            )
        if unit.lo == unit.hi:
            size = max(unit.lo, 1)
            low = _clamp(-(-least // size), node.rmin, node.rmax)
            high = max(low, _clamp(most // size, node.rmin, node.rmax))
            count = low if low == high else self.draw(st.integers(low, min(high, low + CAP)))
            units = [self.node(unit, unit.lo, unit.lo) for _ in range(min(count, CAP))]
        else:
            widest = unit.hi if unit.hi is not None else max(least, 1)
            count = _clamp(-(-least // widest) if widest else node.rmin, node.rmin, node.rmax)
            units = []
            left = least
            for i in range(min(count, CAP)):
                share = _clamp(left // (count - i), unit.lo, unit.hi)
                units.append(self.node(unit, share, share))
                left -= len(units[-1])
        if not units:
            return ""
        return "".join(units[i % len(units)] for i in range(count))


def _length_range(node: _Node, lo: int, hi: int | None) -> tuple[int, int | None]:
    low = max(lo, node.lo)
    high = hi if node.hi is None else (node.hi if hi is None else min(hi, node.hi))
    return low, high


@st.composite
def _pattern_string(draw: Any, pattern: str | None, lo: int, hi: int | None, edge: bool) -> str:
    if pattern is None:
        node, search = _Node("rep", 0, None, parts=(_Node("class", 1, 1, cls=_any()),)), None
    else:
        node, search = _compiled(pattern)
    low, high = _length_range(node, lo, hi)
    if high is not None and low > high:
        raise ValueError(f"no string of length {lo}..{hi} matches {pattern!r}")
    soft = low + SOFT if high is None else min(high, low + SOFT)
    if edge:
        choices = sorted({low, min(low + 1, soft), high if high is not None else low + 2 * SOFT})
        least = most = draw(st.sampled_from(choices)) if len(choices) > 1 else choices[0]
    else:
        least, most = low, soft
    value = _Drawer(draw, edge).node(node, least, most)
    if (
        len(value) < lo
        or (hi is not None and len(value) > hi)
        or (search is not None and search(value) is None)
    ):
        # Zero-width assertions (a lookbehind, `\b`) or an uneven split: take the simple example.
        try:
            value = string_example(pattern, least, least)
        except ValueError:
            value = string_example(pattern, lo, hi)
    return value


@cache
def _any() -> int:
    # Unpatterned strings: the Basic Multilingual Plane from the space up (no surrogates, no controls).
    return _class_id(_without_surrogates([(0x20, 0xFFFD)]))


def pattern_strings(
    pattern: str | None, min_size: int = 0, max_size: int | None = None, *, edge: bool = False
) -> st.SearchStrategy[str]:
    """Strings of `min_size..max_size` characters matching `pattern` (a translated, anchored pattern).

    Shrinks towards the shortest allowed string of low code points. `edge` draws lengths at the
    bounds and puts a character from the end of one of the pattern's ranges into every run.
    """
    return _pattern_string(pattern, min_size, max_size, edge)
