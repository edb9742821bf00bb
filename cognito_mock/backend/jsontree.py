"""Copies of JSON-like trees (dicts, lists, scalars): records never share mutable parts with callers."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["clone"]

T = TypeVar("T")


def clone(value: T) -> T:
    """A deep copy of a JSON-like value, several times faster than `copy.deepcopy`."""
    kind = type(value)
    if kind is dict:
        return {k: (v if type(v) not in (dict, list) else clone(v)) for k, v in value.items()}  # type: ignore[attr-defined,return-value]
    if kind is list:
        return [v if type(v) not in (dict, list) else clone(v) for v in value]  # type: ignore[attr-defined,return-value]
    return value
