"""Copies of JSON-like trees (dicts, lists, scalars): records never share mutable parts with callers."""

from __future__ import annotations

import marshal
from typing import TypeVar

__all__ = ["clone"]

T = TypeVar("T")


def _walk(value: T) -> T:
    kind = type(value)
    if kind is dict:
        return {k: (v if type(v) not in (dict, list) else _walk(v)) for k, v in value.items()}  # type: ignore[attr-defined,return-value]
    if kind is list:
        return [v if type(v) not in (dict, list) else _walk(v) for v in value]  # type: ignore[attr-defined,return-value]
    return value


def clone(value: T) -> T:
    """A deep copy of a JSON-like value, several times faster than `copy.deepcopy`.

    marshal's C round trip copies a tree about twice as fast as walking it (a pool's settings
    and schema are copied on every DescribeUserPool); trees holding anything marshal cannot
    write fall back to the walk.
    """
    kind = type(value)
    if kind is not dict and kind is not list:
        return value
    try:
        copied: T = marshal.loads(marshal.dumps(value))  # type: ignore[arg-type]
    except ValueError:  # an object marshal cannot write (datetime, record, ...): walk instead
        return _walk(value)
    return copied
