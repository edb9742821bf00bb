"""The user record: `User` (slots, attributes packed), what few users have (`UserExtras`), and
the small records a user owns (codes, MFA settings, passkeys, the SRP verifier).

Re-exported by `records.py`, the declaration of every store; split off to keep modules small.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from cognito_mock.backend.kernel.packed import UserAttributes, pack

if TYPE_CHECKING:
    from cognito_mock.backend.factors.devices import Device  # noqa: F401  (in quoted types)

__all__ = ["Code", "SrpVerifier", "User", "UserExtras", "UserMfa", "UserPasskeys"]

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
        found = getattr(obj, self.slot)
        if found is None:
            found = self.factory()
            setattr(obj, self.slot, found)
        return found

    def __set__(self, obj: object, value: C) -> None:
        setattr(obj, self.slot, value)


class UserExtras:
    """What few users ever have (lockout counters, SRP verifier, the lazy containers): one object,
    made on the first write of a value other than the default, so most users carry one pointer."""

    __slots__ = (
        "_auth_events",
        "_codes",
        "_devices",
        "_groups",
        "_hourly",
        "_mfa",
        "_passkeys",
        "_password_history",
        "_pending",
        "device_seq",
        "failed_sign_ins",
        "last_failed_sign_in",
        "locked_until",
        "password_sign_in_disabled",
        "srp",
        "token_generation",
    )  # fmt: skip

    def __init__(self) -> None:
        for name, default in _EXTRA_DEFAULTS.items():
            setattr(self, name, default)


class _Extra(Generic[C]):
    """A `User` attribute kept in its `UserExtras` (its default until something else is written)."""

    def __init__(self, default: C) -> None:
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        _EXTRA_DEFAULTS[name] = self.default

    @overload
    def __get__(self, obj: None, owner: type) -> _Extra[C]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> C: ...
    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        extras = obj._extras  # type: ignore[attr-defined]
        return self.default if extras is None else getattr(extras, self.name)

    def __set__(self, obj: object, value: C) -> None:
        extras = obj._extras  # type: ignore[attr-defined]
        if extras is None:
            if value is self.default or (
                type(value) is type(self.default) and value == self.default
            ):
                return  # the default needs no extras
            extras = obj._extras = UserExtras()  # type: ignore[attr-defined]
        setattr(extras, self.name, value)


_EXTRA_DEFAULTS: dict[str, Any] = {}


@dataclass
class UserMfa:
    """A user's MFA settings and software token (factors/mfa.py, factors/software_tokens.py)."""

    enabled: list[str] = field(default_factory=list)  # UserMFASettingList, in FACTORS order
    preferred: str | None = None  # PreferredMfaSetting
    options: list[dict[str, str]] | None = None  # legacy MFAOptions (SetUserSettings)
    totp_secret: str | None = None  # the verified software token's secret (base32)
    totp_pending: str | None = None  # associated, not yet verified
    totp_last_step: int | None = None  # the newest TOTP step used: a code is never reused
    totp_name: str | None = None  # FriendlyDeviceName
    webauthn: bool | None = None  # WebAuthnMfaSettings.Enabled, once set


@dataclass
class UserPasskeys:
    """A user's passkeys and the registration in flight (factors/webauthn.py)."""

    credentials: list[dict[str, Any]] = field(default_factory=list)  # in registration order
    pending: dict[str, Any] | None = None  # StartWebAuthnRegistration's challenge
    sequence: int = 0  # registrations so far: orders credentials with equal creation times


@dataclass
class SrpVerifier:
    """The user's SRP salt and verifier for their current password (auth/first_factor.py)."""

    salt: str
    verifier: int = 0
    made_for: tuple[str | None, str, str] | None = None  # (password, username, pool id) of v


class User:
    """One user. Slots, with what few users have in `UserExtras` and the attributes packed
    (`kernel/packed.py`): a user with five attributes is a few hundred bytes (issue 16)."""

    __slots__ = (
        "_extras", "_packed", "_shape", "created", "enabled", "modified", "password",
        "password_set", "seq", "status", "sub", "username",
    )  # fmt: skip

    def __init__(
        self,
        username: str,  # the internal username, as stored (the sub in UsernameAttributes pools)
        sub: str,
        attributes: Mapping[str, str],  # name -> value, `sub` included, in the order they were set
        status: str,
        created: float,
        modified: float,
        seq: int,  # creation order: the stable key of ListUsers paging
        enabled: bool = True,
        password: str | None = None,
        password_set: float = 0.0,
    ) -> None:
        self.username = username
        self.sub = sub
        self._shape, self._packed = pack(sub, attributes)
        self.status = status
        self.created = created
        self.modified = modified
        self.seq = seq
        self.enabled = enabled
        self.password = password
        self.password_set = password_set
        self._extras: UserExtras | None = None

    @property
    def attributes(self) -> UserAttributes:
        """The attributes as a mapping (reads and writes go to the packed values)."""
        return UserAttributes(self)

    @attributes.setter
    def attributes(self, value: Mapping[str, str]) -> None:
        self._shape, self._packed = pack(self.sub, value)

    def copy(self, attributes: Mapping[str, str] | None = None) -> User:
        """A detached shallow copy (sharing the extras object), with other `attributes` if given."""
        made: User = object.__new__(User)
        for name in User.__slots__:
            setattr(made, name, getattr(self, name))
        if attributes is not None:
            made.attributes = attributes
        return made

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in User.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"User({self.username!r}, sub={self.sub!r}, status={self.status!r})"

    failed_sign_ins = _Extra(0)
    locked_until = _Extra(0.0)
    last_failed_sign_in = _Extra(0.0)  # auth/first_factor.py: lockout resets after quiet time
    # Bumped by `revoke_tokens`; a token issued under an older generation is revoked.
    token_generation = _Extra(0)
    srp = _Extra["SrpVerifier | None"](None)  # auth/first_factor.py
    # directory/identity_links.py: a native user linked as the destination of an IdP identity.
    password_sign_in_disabled = _Extra(False)
    device_seq = _Extra(0)  # factors/devices.py: confirmation order of the user's devices
    # The containers below are made on first use (see `_Lazy`); None until then.
    _password_history = _Extra["list[str] | None"](None)
    _groups = _Extra["set[str] | None"](None)
    _codes = _Extra["dict[str, Code] | None"](None)
    _pending = _Extra["dict[str, str] | None"](None)
    _mfa = _Extra["UserMfa | None"](None)
    _devices = _Extra["dict[str, Device] | None"](None)
    _passkeys = _Extra["UserPasskeys | None"](None)
    _auth_events = _Extra["list[dict[str, Any]] | None"](None)
    _hourly = _Extra["dict[str, list[float]] | None"](None)

    password_history = _Lazy[list[str]](list)  # directory/passwords.py
    groups = _Lazy[set[str]](set)  # group names (directory/groups.py)
    codes = _Lazy[dict[str, Code]](dict)  # purpose -> pending code (kernel/codes.py)
    # Pending attribute values awaiting verification (AttributesRequireVerificationBeforeUpdate).
    pending = _Lazy[dict[str, str]](dict)
    mfa = _Lazy[UserMfa](UserMfa)  # factors/mfa.py
    devices = _Lazy["dict[str, Device]"](dict)  # device key -> Device (factors/devices.py)
    passkeys = _Lazy[UserPasskeys](UserPasskeys)  # factors/webauthn.py
    # auth/auth_events.py: the user's sign-in events, oldest first.
    auth_events = _Lazy["list[dict[str, Any]]"](list)
    # accounts/: operation -> instants of recent calls, for the service's hourly per-user quotas.
    hourly = _Lazy["dict[str, list[float]]"](dict)

    def revoke_tokens(self) -> None:
        """Every refresh and access token issued to the user so far stops working.

        O(1): tokens remember the user's generation when issued and are compared at use time.
        """
        self.token_generation += 1
