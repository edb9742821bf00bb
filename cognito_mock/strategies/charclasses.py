"""Character classes of parsed patterns: merged code-point ranges, their edge characters, and one
cached one-character strategy per class. Imports only `hypothesis` and `re`'s parser constants."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from typing import Any

from hypothesis import strategies as st

try:
    # Hypothesis' own one-character strategy over an interval set: `text()` then draws a whole run
    # as one choice. Public `text(alphabet=<str>)` builds the same set from a string of every
    # character, which takes over a minute for `[\S]` (1.1 million characters).
    from hypothesis.internal.intervalsets import IntervalSet
    from hypothesis.strategies._internal.strings import OneCharStringStrategy

    _INTERNALS = True
except ImportError:  # pragma: no cover - a future Hypothesis moved them
    _INTERNALS = False

__all__ = [
    "CharClass",
    "alphabet",
    "any_class",
    "char_class",
    "class_id",
    "class_ranges",
    "complement",
]

Ranges = list[tuple[int, int]]

_UNICODE_END = sys.maxunicode + 1
_SURROGATES = (0xD800, 0xDFFF)
_WORD = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]


@dataclass(frozen=True)
class CharClass:
    ranges: tuple[tuple[int, int], ...]  # allowed code points, merged (surrogates excluded)
    edges: tuple[str, ...]  # first and last character of each allowed range
    size: int  # how many characters


_CLASSES: list[CharClass] = []
_CLASS_IDS: dict[tuple[tuple[int, int], ...], int] = {}


@cache
def _space_codes() -> tuple[int, ...]:
    return tuple(c for c in range(0x3001) if chr(c).isspace())


def _category_ranges(value: Any) -> Ranges | None:
    """A subset (exact for ASCII) of what a category matches; None for negated categories."""
    if value is sre.CATEGORY_DIGIT:
        return [(0x30, 0x39)]
    if value is sre.CATEGORY_SPACE:
        return [(c, c) for c in _space_codes()]
    if value is sre.CATEGORY_WORD:
        return list(_WORD)
    return None


def _merge(ranges: Ranges) -> Ranges:
    out: Ranges = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def complement(ranges: Ranges) -> Ranges:
    """Every code point outside `ranges`."""
    out, start = [], 0
    for lo, hi in _merge(ranges):
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start < _UNICODE_END:
        out.append((start, _UNICODE_END - 1))
    return out


def _without_surrogates(ranges: Ranges) -> Ranges:
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


def class_id(ranges: Ranges) -> int:
    """The id of the class of characters in `ranges` (surrogates dropped), registered once."""
    key = tuple(_without_surrogates(_merge(ranges)))
    found = _CLASS_IDS.get(key)
    if found is None:
        edges = tuple(dict.fromkeys(chr(c) for lo, hi in key for c in (lo, hi)))
        _CLASSES.append(CharClass(key, edges, sum(hi - lo + 1 for lo, hi in key)))
        found = _CLASS_IDS[key] = len(_CLASSES) - 1
    return found


def char_class(cls: int) -> CharClass:
    return _CLASSES[cls]


def class_ranges(items: list[tuple[Any, Any]]) -> Ranges:
    """The code points a parsed `[...]` set allows (negation and categories applied)."""
    negated = bool(items) and items[0][0] is sre.NEGATE
    ranges: Ranges = []
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
                    sre.CATEGORY_NOT_WORD: _WORD,
                }.get(value, [])
                # Drawn characters are still checked against the real pattern afterwards.
                sub = complement(positive) if positive else []
            ranges += sub
    return complement(ranges) if negated else ranges


@cache
def any_class() -> int:
    """Unpatterned strings: the Basic Multilingual Plane from the space up (no controls)."""
    return class_id([(0x20, 0xFFFD)])


@cache
def alphabet(cls: int) -> st.SearchStrategy[str]:
    """One character of class `cls`; shrinks towards its lowest code point."""
    ranges = _CLASSES[cls].ranges
    if _INTERNALS:
        try:
            strategy: st.SearchStrategy[str] = OneCharStringStrategy(IntervalSet(ranges))
            return strategy
        except TypeError:  # pragma: no cover - a future Hypothesis changed the signature
            pass
    return st.characters(  # pragma: no cover - only without the internals above
        min_codepoint=ranges[0][0],
        max_codepoint=ranges[-1][1],
        categories=("L", "M", "N", "P", "S", "Zs", "Cc"),
    )
