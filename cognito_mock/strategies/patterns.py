"""Strings matching the model's translated patterns, drawn by walking the parsed pattern (sre).

`hypothesis.strategies.from_regex` needs tens of seconds on the expanded `\\p{..}` classes and filters
for length. Here each pattern is parsed once into a small tree whose nodes know their length range;
a target length range is handed down the tree and every choice (a run's length, a repeat's count, a
branch) is drawn inside what the rest of the pattern leaves, so the last part of a sequence takes up
whatever length remains. Imports `hypothesis`, `re`, `charclasses` and `examples`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from hypothesis import strategies as st

from cognito_mock.strategies.charclasses import (
    alphabet,
    any_class,
    char_class,
    class_id,
    class_ranges,
    complement,
)
from cognito_mock.strategies.examples import string_example

__all__ = ["CAP", "SOFT", "pattern_language", "pattern_strings"]

# At most this many units of one repeat are drawn; longer runs cycle the drawn ones. Every unit
# matches on its own, so the result still matches, and a 20,000-character maximum costs 64 draws.
CAP = 64
# Without an upper bound (or in `valid` mode) lengths are drawn at most this far above the minimum.
SOFT = 24
# Zero-width assertions (a lookbehind, `\b`) are not built in: a drawn string breaking one is drawn
# again this many times before the simplest example of the wanted length is taken instead.
_TRIES = 3
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))


@dataclass(frozen=True)
class _Node:
    kind: str  # "lit", "class", "seq", "alt", "rep"
    lo: int  # shortest match
    hi: int | None  # longest match (None: unbounded)
    text: str = ""  # "lit"
    cls: int = -1  # "class": a `charclasses` id
    parts: tuple[_Node, ...] = ()  # "seq" / "alt" children, "rep" item
    rmin: int = 0  # "rep" bounds
    rmax: int | None = None


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _repeat(low: int, high: Any, unit: _Node) -> _Node:
    top = None if high is sre.MAXREPEAT else int(high)
    hi = None if top is None or unit.hi is None else unit.hi * top
    if top == 0 or unit.hi == 0:
        hi = 0
    return _Node("rep", unit.lo * low, hi, parts=(unit,), rmin=low, rmax=top)


def _tree(parsed: Any) -> _Node:
    parts = []
    for op, av in parsed:
        if op is sre.LITERAL:
            parts.append(_Node("lit", 1, 1, text=chr(av)))
        elif op is sre.NOT_LITERAL:
            parts.append(_Node("class", 1, 1, cls=class_id(complement([(av, av)]))))
        elif op is sre.ANY:
            parts.append(_Node("class", 1, 1, cls=class_id(complement([(10, 10)]))))
        elif op is sre.IN:
            parts.append(_Node("class", 1, 1, cls=class_id(class_ranges(av))))
        elif op in _REPEATS:
            parts.append(_repeat(av[0], av[1], _tree(av[2])))
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
    total_hi: int | None = 0
    for p in parts:
        total_hi = _add(total_hi, p.hi)
    return _Node("seq", sum(p.lo for p in parts), total_hi, parts=tuple(parts))


@cache
def _compiled(pattern: str) -> tuple[_Node, Any]:
    return _tree(sre_parse.parse(pattern)), re.compile(pattern).search


@cache
def _any_node() -> _Node:
    return _Node("rep", 0, None, parts=(_Node("class", 1, 1, cls=any_class()),))


@cache
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


@cache
def _text(cls: int, least: int, most: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet(cls), min_size=least, max_size=most)


@cache
def _edges(cls: int) -> st.SearchStrategy[str]:
    return st.sampled_from(char_class(cls).edges)


def _clamp(value: int, lo: int, hi: int | None) -> int:
    return max(lo, value if hi is None else min(value, hi))


def _suffixes(parts: tuple[_Node, ...]) -> tuple[list[int], list[int | None]]:
    """Shortest and longest lengths of parts[i:] for every i (the last entries are 0)."""
    lows: list[int] = [0]
    highs: list[int | None] = [0]
    for p in reversed(parts):
        lows.append(lows[-1] + p.lo)
        highs.append(_add(highs[-1], p.hi))
    return lows[::-1], highs[::-1]


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
            pick = self.draw(_ints(0, len(options) - 1)) if len(options) > 1 else 0
            return self.node(options[pick], least, most)
        return self.rep(node, least, most)

    def chars(self, cls: int, least: int, most: int) -> str:
        """A run of `least..most` class characters: one draw of at most CAP, cycled if longer."""
        low = min(least, CAP)
        high = max(low, min(most, CAP))
        value: str = self.draw(_text(cls, low, high)) if high else ""
        if self.edge and value:
            # A character from the edge of one of the allowed ranges (each Unicode class' ends).
            where = self.draw(_ints(0, len(value) - 1))
            value = value[:where] + self.draw(_edges(cls)) + value[where + 1 :]
        if len(value) < least:
            value = (value * (least // len(value) + 1))[:least]
        return value

    def seq(self, parts: tuple[_Node, ...], least: int, most: int) -> str:
        lows, highs = _suffixes(parts)
        open_parts = sum(p.lo != p.hi for p in parts)
        out = []
        for i, p in enumerate(parts):
            if p.lo == p.hi:
                piece = self.node(p, p.lo, p.lo)
            else:
                # Take at least what the later parts cannot absorb, and beyond that at most a fair
                # share of the spare length, so that later runs and optional groups have room too.
                hard = _clamp(most - lows[i + 1], p.lo, p.hi)
                rest_hi = highs[i + 1]
                low = min(hard, p.lo if rest_hi is None else max(p.lo, least - rest_hi))
                fair = p.lo + -(-(most - lows[i]) // open_parts)
                piece = self.node(p, low, min(hard, max(low, fair)))
                open_parts -= 1
            out.append(piece)
            least, most = least - len(piece), most - len(piece)
        return "".join(out)

    def rep(self, node: _Node, least: int, most: int) -> str:
        unit = node.parts[0]
        if unit.kind == "class":
            return self.chars(
                unit.cls, _clamp(least, node.rmin, node.rmax), _clamp(most, node.rmin, node.rmax)
            )
        low, high = self.counts(node, least, most)
        count = low if low >= high else self.draw(_ints(low, high))
        if count <= CAP:
            return self.seq((unit,) * count, least, most)
        return self.many(unit, count, least, most)

    def counts(self, node: _Node, least: int, most: int) -> tuple[int, int]:
        """The repeat counts that can make `least..most` characters (optional groups: 0 or 1)."""
        unit = node.parts[0]
        low = node.rmin
        if least > 0 and unit.hi != 0:
            low = max(low, 1 if unit.hi is None else -(-least // unit.hi))
        high = node.rmax
        if unit.lo > 0:
            high = most // unit.lo if high is None else min(high, most // unit.lo)
        high = low + CAP if high is None else min(high, low + CAP)
        return low, max(low, high)

    def many(self, unit: _Node, count: int, least: int, most: int) -> str:
        """More than CAP units: CAP/2 drawn units of each of two adjacent lengths, cycled."""
        total = _clamp(max(least, count * unit.lo), 0, most)
        if unit.hi is not None:
            total = min(total, count * unit.hi)
        size, longer = divmod(total, count)
        half = CAP // 2
        shorts = [self.node(unit, size, size) for _ in range(min(count - longer, half))]
        longs = [self.node(unit, size + 1, size + 1) for _ in range(min(longer, half))]
        out = [longs[i % len(longs)] for i in range(longer)]
        out += [shorts[i % len(shorts)] for i in range(count - longer)]
        return "".join(out)


def _length_range(node: _Node, lo: int, hi: int | None) -> tuple[int, int | None]:
    low = max(lo, node.lo)
    high = hi if node.hi is None else (node.hi if hi is None else min(hi, node.hi))
    return low, high


def _fits(value: str, low: int, high: int | None) -> bool:
    return low <= len(value) and (high is None or len(value) <= high)


@st.composite
def _pattern_string(draw: Any, pattern: str | None, lo: int, hi: int | None, edge: bool) -> str:
    node, search = _compiled(pattern) if pattern is not None else (_any_node(), None)
    low, high = _length_range(node, lo, hi)
    if high is not None and low > high:
        raise ValueError(f"no string of length {lo}..{hi} matches {pattern!r}")
    if edge:
        top = high if high is not None else low + 2 * SOFT
        choices = sorted({low, min(low + 1, top), top})
        least = most = draw(st.sampled_from(choices)) if len(choices) > 1 else choices[0]
    else:
        least, most = low, (low + SOFT if high is None else min(high, low + SOFT))
    drawer = _Drawer(draw, edge)
    for _ in range(_TRIES):
        # Lengths a pattern cannot make (13 for `(terms-of-use|privacy-policy)`) miss the target;
        # any valid string will do then.
        value = drawer.node(node, least, most)
        if _fits(value, low, high) and (search is None or search(value) is not None):
            return value
    try:
        return string_example(pattern, least, least)
    except ValueError:
        return string_example(pattern, lo, hi)


def pattern_strings(
    pattern: str | None, min_size: int = 0, max_size: int | None = None, *, edge: bool = False
) -> st.SearchStrategy[str]:
    """Strings of `min_size..max_size` characters matching `pattern` (a translated, anchored pattern).

    Every optional or repeated group and every branch is drawn, within the length the rest of the
    pattern leaves. Shrinks towards the shortest allowed string of low code points, groups absent.
    `edge` draws lengths at the bounds (the maximum is reached through any number of parts) and
    puts a character from the end of one of the pattern's ranges into every run.
    """
    return _pattern_string(pattern, min_size, max_size, edge)


def _language(node: _Node, limit: int) -> list[str] | None:
    """Every string `node` matches, if there are at most `limit` (else None)."""
    if node.kind == "lit":
        return [node.text]
    if node.kind == "class":
        found = char_class(node.cls)
        if found.size > limit:
            return None
        return [chr(c) for lo, hi in found.ranges for c in range(lo, hi + 1)]
    if node.kind == "alt":
        out: list[str] = []
        for option in node.parts:
            sub = _language(option, limit)
            if sub is None:
                return None
            out += sub
        unique = list(dict.fromkeys(out))
        return unique if len(unique) <= limit else None
    if node.kind == "rep":
        unit = _language(node.parts[0], limit)
        if unit == [""]:
            return unit
        if unit is None or node.rmax is None:
            return None
        out = []
        for count in range(node.rmin, node.rmax + 1):
            found_seq = _language(_Node("seq", 0, 0, parts=(node.parts[0],) * count), limit)
            if found_seq is None or len(out) + len(found_seq) > limit * 2:
                return None
            out += found_seq
        unique = list(dict.fromkeys(out))
        return unique if len(unique) <= limit else None
    strings = [""]
    for part in node.parts:
        sub = _language(part, limit)
        if sub is None or len(strings) * len(sub) > limit:
            return None
        strings = [a + b for a in strings for b in sub]
    return strings


@cache
def pattern_language(
    pattern: str, min_size: int = 0, max_size: int | None = None, limit: int = 64
) -> tuple[str, ...] | None:
    """Every string of `min_size..max_size` characters matching `pattern`, in pattern order, when
    there are at most `limit` of them (`Level[1-4]`: four); None for larger languages."""
    node, search = _compiled(pattern)
    found = _language(node, limit)
    if found is None:
        return None
    return tuple(
        s
        for s in found
        if min_size <= len(s) and (max_size is None or len(s) <= max_size) and search(s)
    )
