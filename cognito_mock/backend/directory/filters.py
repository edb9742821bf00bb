"""ListUsers' filter engine: the `Filter` grammar, what each searchable attribute matches, the indexes.

Grammar (one clause only): ``<attribute> <op> "<value>"`` where `op` is ``=`` (exact) or ``^=``
(prefix), whitespace around the operator and around the whole filter is optional, and the value is
double-quoted with ``\\"`` and ``\\\\`` as its only escapes. An empty (or all-blank) filter lists
every user. Anything else fails with the service's ``Error while parsing filter.``; a well-formed
clause on an attribute outside `SEARCHABLE` (custom attributes included) fails with
``Invalid search attribute: <name>`` (the service's text is unverified; moto's wording).

Case rules (fact sheet 8.1 and the developer guide's "User pool case sensitivity" page):
- ``username``, ``email`` and ``preferred_username`` follow the pool: case-sensitive unless the pool
  was created with ``UsernameConfiguration.CaseSensitive = false``, where they compare lower-cased
  ("when usernames are case insensitive, preferred_username and email also are");
- ``phone_number``, ``name``, ``given_name``, ``family_name`` and ``sub`` compare exactly;
- ``cognito:user_status`` (the UserStatus) is case-insensitive;
- ``status`` is ``Enabled`` / ``Disabled`` and case-sensitive.

Results are ordered by (folded value, creation order), as the developer guide says results sort by
the filtered attribute; an unfiltered listing is in creation order. The per-pool `SearchIndex` keeps
one sorted list of (key, seq) per attribute, built on first use and then kept current from the
directory's touch log, so a page costs O(log n + page) however many users match.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from cognito_mock.backend.kernel.packed import Shape, value_in
from cognito_mock.backend.kernel.records import User, UserDirectory
from cognito_mock.errors import InvalidParameterException

__all__ = [
    "ALL",
    "PARSE_ERROR",
    "SEARCHABLE",
    "Filter",
    "SearchIndex",
    "parse_filter",
    "search_index",
]

PARSE_ERROR = "Error while parsing filter."
ALL = ""  # the pseudo-attribute of an unfiltered listing: every user, key "", creation order

_FOLLOW_POOL = ("username", "email", "preferred_username")
_EXACT = ("phone_number", "name", "given_name", "family_name", "sub")
SEARCHABLE = frozenset((*_FOLLOW_POOL, *_EXACT, "cognito:user_status", "status"))

_CLAUSE = re.compile(
    r'\s*(?P<name>[^\s=^"\\]+)\s*(?P<op>\^?=)\s*"(?P<value>(?:[^"\\]|\\["\\])*)"\s*', re.DOTALL
)
_ESCAPE = re.compile(r"\\([\"\\])")


@dataclass(frozen=True)
class Filter:
    attribute: str  # one of SEARCHABLE
    prefix: bool  # `^=` (starts with) rather than `=`
    value: str  # unescaped, not yet folded


def parse_filter(text: str | None) -> Filter | None:
    """The parsed filter, or None for an empty one; InvalidParameterException when it is not valid."""
    if text is None or not text.strip():
        return None
    found = _CLAUSE.fullmatch(text)
    if found is None:
        raise InvalidParameterException(PARSE_ERROR)
    name = found["name"]
    if name not in SEARCHABLE:
        raise InvalidParameterException(f"Invalid search attribute: {name}")
    return Filter(name, found["op"] == "^=", _ESCAPE.sub(r"\1", found["value"]))


def _identity(value: str) -> str:
    return value


def _folder(directory: UserDirectory, attribute: str) -> Callable[[str], str]:
    """How values of `attribute` (stored and queried alike) are folded before comparing."""
    if attribute in _FOLLOW_POOL:
        return _identity if directory.case_sensitive else str.lower
    if attribute == "cognito:user_status":
        return str.lower
    return _identity


def _raw_value(attribute: str, user: User) -> str | None:
    """The user's unfolded value for a searchable attribute (None: the user has none)."""
    if attribute == ALL:
        return ""
    if attribute == "username":
        return user.username
    if attribute == "cognito:user_status":
        return user.status
    if attribute == "status":
        return "Enabled" if user.enabled else "Disabled"
    return user.attributes.get(attribute)


_RUN = 4096  # seqs sorted at once: their keys (new strings when read from packed values) coexist


def _sorted(seqs: list[int], key: Callable[[int], str]) -> list[int]:
    """`seqs` (ascending) sorted by `key`, equal keys in seq order, with at most `_RUN` keys made
    at a time: sorting 100,000 users at once held a key string per user (~70 bytes) at the peak."""
    if len(seqs) <= _RUN:
        seqs.sort(key=key)  # stable: equal keys stay in seq order
        return seqs
    runs = [sorted(seqs[at : at + _RUN], key=key) for at in range(0, len(seqs), _RUN)]
    return list(heapq.merge(*runs, key=key))  # stable: ties go to the earlier run (lower seqs)


# Attributes whose values are the user's own fields (shared strings), not packed attribute values.
_OWN_VALUES = frozenset((ALL, "username", "sub", "cognito:user_status", "status"))


class _AttributeIndex:
    """Users that have a value for one attribute, sorted by (folded value, seq).

    Flat lists, no tuple or string per user (issue 16): `keys[seq]` is what the user is filed
    under (None: not filed) and `order` the filed seqs in key order. A folded key is a new string,
    kept as it is; an unfolded packed attribute (email in a case-sensitive pool) files the user's
    packed values and shape instead (`packed`), sharing them: the key is read from them.
    """

    def __init__(self, attribute: str, fold: Callable[[str], str], users: list[User | None]):
        self.attribute = attribute
        self.fold = fold
        self.packed = fold is _identity and attribute not in _OWN_VALUES
        self.keys: list[Any] = [None] * len(users)  # a key, or (packed) the packed values filed
        self.shapes: list[Shape | None] = [None] * len(users) if self.packed else []
        for user in users:
            if user is not None:
                self._file(user.seq, user)
        order = [user.seq for user in users if user is not None and self.keys[user.seq] is not None]
        self.order = _sorted(order, cast("Callable[[int], str]", self.filed_key))

    def _file(self, seq: int, user: User | None) -> None:
        if seq >= len(self.keys):
            grow = seq + 1 - len(self.keys)
            self.keys.extend([None] * grow)
            if self.packed:
                self.shapes.extend([None] * grow)
        if not self.packed:
            self.keys[seq] = None if user is None else self.key_of(user)
        elif user is None or self.attribute not in user._shape.index:
            self.keys[seq] = self.shapes[seq] = None
        else:
            self.keys[seq], self.shapes[seq] = user._packed, user._shape

    def filed_key(self, seq: int) -> str | None:
        """The key `seq` is filed under (None: not filed)."""
        filed = self.keys[seq] if seq < len(self.keys) else None
        if filed is None or not self.packed:
            return filed
        shape = self.shapes[seq]
        assert shape is not None
        return value_in(filed, shape, self.attribute)

    def sort_key(self, seq: int) -> tuple[str, int]:
        return self.filed_key(seq) or "", seq

    def key_of(self, user: User) -> str | None:
        value = _raw_value(self.attribute, user)
        return None if value is None else self.fold(value)

    def refile(self, seq: int, user: User | None) -> None:
        """File `seq` under the user's current key (None: the user is gone)."""
        old = self.filed_key(seq)
        key = None if user is None else self.key_of(user)
        if old is not None and old != key:
            at = bisect_left(self.order, (old, seq), key=self.sort_key)
            if at < len(self.order) and self.order[at] == seq:
                del self.order[at]
        self._file(seq, user)
        if key is not None and old != key:
            insort(self.order, seq, key=self.sort_key)


class SearchIndex:
    """The search indexes of one directory, brought up to date from its touch log before each use."""

    def __init__(self, directory: UserDirectory) -> None:
        self.directory = directory
        self.built: dict[str, _AttributeIndex] = {}
        self.by_seq: list[User | None] = []  # seq -> the user (None: deleted), one slot a seq
        self.version = -1

    def sync(self) -> None:
        """Catch up with every touch since the last sync (incrementally when few users changed)."""
        directory = self.directory
        if directory.version == self.version:
            return
        changed = directory.changed
        if changed is None or self.version < 0 or len(changed) > 64 + len(directory) // 4:
            self.built.clear()  # cheaper to rebuild lazily than to refile most entries
            by_seq: list[User | None] = [None] * directory.next_seq
            for user in directory:
                by_seq[user.seq] = user
            self.by_seq = by_seq
        else:
            by_seq = self.by_seq
            if len(by_seq) < directory.next_seq:
                by_seq.extend([None] * (directory.next_seq - len(by_seq)))
            for seq, user in changed.items():
                present = directory.by_sub.get(user.sub) is user
                by_seq[seq] = user if present else None
                for index in self.built.values():
                    index.refile(seq, user if present else None)
        directory.changed = {}
        self.version = directory.version

    def _index(self, attribute: str) -> _AttributeIndex:
        index = self.built.get(attribute)
        if index is None:
            index = _AttributeIndex(attribute, _folder(self.directory, attribute), self.by_seq)
            self.built[attribute] = index
        return index

    def scan(
        self, flt: Filter | None, after: tuple[str, int] | None = None
    ) -> Iterator[tuple[str, User]]:
        """(key, user) for every match in (key, seq) order, starting after the key `after`."""
        self.sync()
        attribute = ALL if flt is None else flt.attribute
        index = self._index(attribute)
        wanted = "" if flt is None else index.fold(flt.value)
        prefix = flt is None or flt.prefix
        order, filed_key, sort_key = index.order, index.filed_key, index.sort_key
        at = bisect_left(order, (wanted, -1), key=sort_key)
        if after is not None:
            at = max(at, bisect_right(order, after, key=sort_key))
        by_seq = self.by_seq
        while at < len(order):
            seq = order[at]
            key = filed_key(seq)
            at += 1
            if key is None or not (key.startswith(wanted) if prefix else key == wanted):
                return  # keys are sorted: every match lies in one run
            user = by_seq[seq] if seq < len(by_seq) else None
            if user is None or (attribute is not ALL and index.key_of(user) != key):
                continue  # changed without a touch(): never report a value the user lacks
            yield key, user


def search_index(directory: UserDirectory) -> SearchIndex:
    """The directory's SearchIndex, created on first use."""
    index = directory.index_cache
    # A directory copied wholesale (snapshots) may carry its original's index: never trust that.
    if not isinstance(index, SearchIndex) or index.directory is not directory:
        index = SearchIndex(directory)
        directory.index_cache = index
    return index
