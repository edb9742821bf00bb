"""The packed form of a user's attributes: a shared shape (the names) and one string of the values.

A dict of five attributes and its five value strings cost ~470 bytes a user; packed they cost the
values' characters plus ~60 bytes (issue 16). The names of one shape are interned and shared by
every user with the same names in the same order; the values are joined by `SEP` into one string
(or kept as a tuple when a value contains `SEP`); `sub`, when it comes first and equals the user's
sub, is not stored again. `UserAttributes` is the mapping code reads and writes them through.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, Protocol

__all__ = [
    "EMPTY", "SEP", "Packed", "Shape", "UserAttributes", "pack", "pairs", "unpack", "value_in",
]  # fmt: skip

SEP = "\x1f"  # ASCII unit separator: values that contain it are stored as a tuple instead

Packed = str | tuple[str, ...]


class Shape:
    """The attribute names of a user, in order; shared by every user with the same names."""

    __slots__ = ("__weakref__", "index", "names", "sub_first")

    def __init__(self, names: tuple[str, ...], sub_first: bool) -> None:
        self.names = names
        self.sub_first = sub_first  # names[0] is "sub", whose value is the user's sub
        self.index = {name: at for at, name in enumerate(names)}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_shape, (self.names, self.sub_first))  # unpickled shapes are shared again


# Shapes in use (a shape nobody holds any more is dropped): interning, not state.
_SHAPES: weakref.WeakValueDictionary[tuple[tuple[str, ...], bool], Shape] = (
    weakref.WeakValueDictionary()
)


# The shapes used last, held: WeakValueDictionary.get is Python code, a dict's is not (a user
# created looks its shape up; issue 16). Bounded: emptied when full.
_RECENT: dict[tuple[tuple[str, ...], bool], Shape] = {}


def _shape(names: tuple[str, ...], sub_first: bool) -> Shape:
    key = (names, sub_first)
    found = _RECENT.get(key)
    if found is not None:
        return found
    found = _SHAPES.get(key)
    if found is None:
        names = tuple(sys.intern(name) for name in names)
        found = _SHAPES[(names, sub_first)] = Shape(names, sub_first)
    if len(_RECENT) >= 64:
        _RECENT.clear()
    _RECENT[key] = found
    return found


EMPTY = _shape((), False)


class _Owner(Protocol):
    sub: str
    _shape: Shape
    _packed: Packed


def pack(sub: str, attributes: Mapping[str, str]) -> tuple[Shape, Packed]:
    """The (shape, packed values) of `attributes` for a user whose sub is `sub`."""
    names = tuple(attributes)
    values = tuple(attributes.values())
    sub_first = bool(names) and names[0] == "sub" and values[0] == sub
    if sub_first:
        values = values[1:]
    shape = _shape(names, sub_first)
    if not values:
        return shape, ()
    try:
        if len(values) == 1:
            return shape, (values[0] if SEP not in values[0] else values)  # the value: no copy
        joined = SEP.join(values)
    except TypeError:  # not strings (validation off): kept as they are
        return shape, values
    if joined.count(SEP) == len(values) - 1:
        return shape, joined
    return shape, values  # a value holds SEP: kept apart


def unpack(user: _Owner) -> list[str]:
    """The user's attribute values, in the order of its shape's names."""
    packed = user._packed
    values = packed.split(SEP) if type(packed) is str else list(packed)
    if user._shape.sub_first:
        values.insert(0, user.sub)
    return values


def pairs(user: _Owner) -> Iterator[tuple[str, str]]:
    """(name, value) of every attribute of the user, straight from the packed values (no
    mapping view made: the hot path of token claims and user views)."""
    return zip(user._shape.names, unpack(user), strict=True)


def value_in(packed: Packed, shape: Shape, name: str) -> str | None:
    """The value of `name` in values packed under `shape` (None: none; not for a first `sub`)."""
    at = shape.index.get(name)
    if at is None:
        return None
    if shape.sub_first:
        at -= 1
    if type(packed) is str:
        return packed if len(shape.names) - shape.sub_first == 1 else packed.split(SEP)[at]
    return packed[at]


class UserAttributes(MutableMapping[str, str]):
    """`User.attributes`: a mapping over the packed values; a write repacks the user's values.

    Made on each access; it re-reads the user if the user was repacked since (by another view).
    """

    __slots__ = ("_packed", "_seen", "_user", "_values")

    def __init__(self, user: _Owner) -> None:
        self._user = user
        self._seen = user._shape
        self._packed = user._packed
        self._values = unpack(user)

    def _current(self) -> list[str]:
        user = self._user
        if user._packed is not self._packed or user._shape is not self._seen:
            self._seen, self._packed, self._values = user._shape, user._packed, unpack(user)
        return self._values

    def __getitem__(self, name: str) -> str:
        values = self._current()
        return values[self._seen.index[name]]

    def get(self, name: str, default: Any = None) -> Any:
        values = self._current()
        at = self._seen.index.get(name)
        return default if at is None else values[at]

    def __contains__(self, name: object) -> bool:
        self._current()
        return name in self._seen.index

    def __iter__(self) -> Iterator[str]:
        self._current()
        return iter(self._seen.names)

    def __len__(self) -> int:
        self._current()
        return len(self._seen.names)

    def keys(self) -> list[str]:  # type: ignore[override]
        self._current()
        return list(self._seen.names)

    def values(self) -> list[str]:  # type: ignore[override]
        return list(self._current())

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        values = self._current()
        return list(zip(self._seen.names, values, strict=True))

    def as_dict(self) -> dict[str, str]:
        values = self._current()
        return dict(zip(self._seen.names, values, strict=True))

    def _store(self, updated: dict[str, str]) -> None:
        user = self._user
        user._shape, user._packed = pack(user.sub, updated)

    def __setitem__(self, name: str, value: str) -> None:
        updated = self.as_dict()
        updated[name] = value
        self._store(updated)

    def __delitem__(self, name: str) -> None:
        updated = self.as_dict()
        del updated[name]
        self._store(updated)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.as_dict() == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.as_dict())
