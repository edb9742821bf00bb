"""The records a user pool holds: the pool, its app clients, users (with their indexes) and groups.

Plain dataclasses; wire keys stay PascalCase only inside the `settings` dicts that are echoed back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

__all__ = ["AppClient", "Code", "Group", "User", "UserDirectory", "UserPool"]

C = TypeVar("C")


@dataclass
class Code:
    """A one-time code sent to the user (sign-up, reset, attribute verification)."""

    value: str
    expires: float
    attribute: str | None = None  # the attribute the code verifies, if any
    failures: int = 0


class _Lazy(Generic[C]):
    """A container attribute made on first access and kept in `_<name>`.

    Most users never get groups, codes, MFA settings or devices: six empty containers per user
    were over half of a user's memory, so they exist only once something reads or writes them.
    """

    def __init__(self, factory: Callable[[], C]) -> None:
        self.factory = factory
        self.slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, obj: None, owner: type) -> _Lazy[C]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> C: ...
    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        found = obj.__dict__[self.slot]
        if found is None:
            found = obj.__dict__[self.slot] = self.factory()
        return found

    def __set__(self, obj: object, value: C) -> None:
        obj.__dict__[self.slot] = value


@dataclass
class User:
    username: str  # the internal username, as stored (the sub in UsernameAttributes pools)
    sub: str
    attributes: dict[str, str]  # name -> value, `sub` included, in the order they were set
    status: str
    created: float
    modified: float
    seq: int  # creation order: the stable key of ListUsers paging
    enabled: bool = True
    password: str | None = None
    password_set: float = 0.0
    failed_sign_ins: int = 0
    locked_until: float = 0.0
    # The containers below are made on first use (see `_Lazy`); None until then.
    _password_history: list[str] | None = None
    _groups: set[str] | None = None
    _codes: dict[str, Code] | None = None
    _pending: dict[str, str] | None = None
    _mfa: dict[str, Any] | None = None
    _extra: dict[str, Any] | None = None

    password_history = _Lazy[list[str]](list)
    groups = _Lazy[set[str]](set)  # group names
    codes = _Lazy[dict[str, Code]](dict)  # purpose -> pending code
    # Pending attribute values awaiting verification (AttributesRequireVerificationBeforeUpdate).
    pending = _Lazy[dict[str, str]](dict)
    mfa = _Lazy[dict[str, Any]](dict)  # owned by the MFA concern
    extra = _Lazy[dict[str, Any]](dict)  # owned by later concerns (devices, ...)


class UserDirectory:
    """Users of one pool with the indexes every lookup needs: username, sub and alias values."""

    def __init__(self, case_sensitive: bool = True) -> None:
        self.case_sensitive = case_sensitive
        self.by_name: dict[str, User] = {}
        self.by_sub: dict[str, User] = {}
        # (attribute, folded value) -> user, for values that identify a user at sign-in.
        self.by_alias: dict[tuple[str, str], User] = {}
        # (sub, attribute) -> the user's key in by_alias, so changing an alias is O(1).
        self.alias_keys: dict[tuple[str, str], tuple[str, str]] = {}
        self.next_seq = 0
        # ListUsers' search indexes (owned by user_filters) and the log they catch up from:
        # `version` counts touches; `changed` holds the users touched since the indexes last
        # synced (None: rebuild everything); `index_cache` is the index object itself.
        self.version = 0
        self.changed: dict[int, User] | None = {}
        self.index_cache: Any = None

    def touch(self, user: User | None = None) -> None:
        """Note that `user` (None: any user) was added, removed or changed a searchable value.

        Call after changing a user's attributes, status or enabled flag so ListUsers sees it.
        """
        self.version += 1
        if self.index_cache is None:
            return  # nothing built yet: the first search builds from scratch
        if user is None or self.changed is None or len(self.changed) > 1024 + len(self.by_name):
            self.changed = None
        else:
            self.changed[user.seq] = user

    def fold(self, value: str) -> str:
        return value if self.case_sensitive else value.lower()

    def __len__(self) -> int:
        return len(self.by_name)

    def __iter__(self) -> Any:
        return iter(self.by_name.values())

    def get(self, username: str) -> User | None:
        """By internal username only."""
        return self.by_name.get(self.fold(username))

    def alias_owner(self, attribute: str, value: str) -> User | None:
        return self.by_alias.get((attribute, self.fold(value)))

    def add(self, user: User) -> None:
        self.by_name[self.fold(user.username)] = user
        self.by_sub[user.sub] = user
        self.touch(user)

    def remove(self, user: User) -> None:
        self.by_name.pop(self.fold(user.username), None)
        self.by_sub.pop(user.sub, None)
        for attribute in ("email", "phone_number", "preferred_username"):
            self.set_alias(user, attribute, None)
        self.touch(user)

    def set_alias(self, user: User, attribute: str, value: str | None) -> None:
        """Make `value` (or nothing) the user's alias for `attribute`."""
        old = self.alias_keys.pop((user.sub, attribute), None)
        if old is not None and self.by_alias.get(old) is user:
            del self.by_alias[old]
        if value:
            key = (attribute, self.fold(value))
            self.by_alias[key] = user
            self.alias_keys[(user.sub, attribute)] = key


@dataclass
class AppClient:
    client_id: str
    pool_id: str
    created: float
    modified: float
    settings: dict[str, Any]  # wire-form UserPoolClientType settings (no ids, dates or secret)
    secrets: list[dict[str, Any]] = field(default_factory=list)  # ClientSecretDescriptorType

    @property
    def name(self) -> str:
        return str(self.settings["ClientName"])

    @property
    def secret(self) -> str | None:
        """The current secret (the first one), or None for a public client."""
        return self.secrets[0]["ClientSecretValue"] if self.secrets else None

    def secret_values(self) -> list[str]:
        return [s["ClientSecretValue"] for s in self.secrets]


@dataclass
class Group:
    name: str
    pool_id: str
    created: float
    modified: float
    description: str | None = None
    precedence: int | None = None
    role_arn: str | None = None
    members: dict[str, None] = field(default_factory=dict)  # usernames, insertion-ordered


@dataclass
class UserPool:
    id: str
    name: str
    arn: str
    created: float
    modified: float
    settings: dict[str, Any]  # wire-form UserPoolType settings, defaults filled in
    schema: list[dict[str, Any]]
    tags: dict[str, str] = field(default_factory=dict)
    clients: dict[str, AppClient] = field(default_factory=dict)
    users: UserDirectory = field(default_factory=UserDirectory)
    groups: dict[str, Group] = field(default_factory=dict)
    # Owned by later concerns (domains, resource servers, identity providers, keys, ...).
    extra: dict[str, Any] = field(default_factory=dict)

    def schema_attribute(self, name: str) -> dict[str, Any] | None:
        for attribute in self.schema:
            if attribute["Name"] == name:
                return attribute
        return None

    @property
    def username_attributes(self) -> list[str]:
        return list(self.settings.get("UsernameAttributes") or [])

    @property
    def alias_attributes(self) -> list[str]:
        return list(self.settings.get("AliasAttributes") or [])

    @property
    def auto_verified(self) -> list[str]:
        return list(self.settings.get("AutoVerifiedAttributes") or [])
