"""Every record of the mock's state: pools, app clients, users (with their indexes), groups, and
each store another module owns, declared here as a typed field that names its owner.

Plain dataclasses; wire keys stay PascalCase only inside the `settings` dicts that are echoed back.
Record types that belong to one concern (a device, a token store, ...) stay with their owner and
are imported here for typing only; their fields start empty (`None` or an empty container).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

if TYPE_CHECKING:
    from cognito_mock.backend.directory.import_jobs import ImportJob
    from cognito_mock.backend.factors.devices import Device
    from cognito_mock.backend.hosted.state import HostedState
    from cognito_mock.backend.kernel.challenge_sessions import AuthSession, PendingSrp
    from cognito_mock.backend.pool_config.branding import Branding
    from cognito_mock.backend.pool_config.cimd import CIMDPolicy
    from cognito_mock.backend.pool_config.replicas import Replication
    from cognito_mock.backend.pool_config.terms import Terms
    from cognito_mock.backend.recovery.history import PoolRecovery
    from cognito_mock.backend.tokens.authorization_codes import AuthorizationCode
    from cognito_mock.backend.tokens.store import TokenStore

__all__ = [
    "AppClient",
    "Code",
    "Group",
    "SrpVerifier",
    "User",
    "UserDirectory",
    "UserMfa",
    "UserPasskeys",
    "UserPool",
]

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
    last_failed_sign_in: float = 0.0  # auth/first_factor.py: lockout resets after quiet time
    # Bumped by `revoke_tokens`; a token issued under an older generation is revoked.
    token_generation: int = 0
    srp: SrpVerifier | None = None  # auth/first_factor.py
    # directory/identity_links.py: a native user linked as the destination of an IdP identity.
    password_sign_in_disabled: bool = False
    device_seq: int = 0  # factors/devices.py: confirmation order of the user's devices
    # The containers below are made on first use (see `_Lazy`); None until then.
    _password_history: list[str] | None = None
    _groups: set[str] | None = None
    _codes: dict[str, Code] | None = None
    _pending: dict[str, str] | None = None
    _mfa: UserMfa | None = None
    _devices: dict[str, Device] | None = None
    _passkeys: UserPasskeys | None = None
    _auth_events: list[dict[str, Any]] | None = None
    _hourly: dict[str, list[float]] | None = None

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
    # ---- Stores other modules own: each declared here, with its owner, so every reader sees it.
    tokens: TokenStore | None = None  # tokens/store.py (`token_store(pool)` makes it)
    # kernel/challenge_sessions.py: Session string -> open challenge; SECRET_BLOCK -> SRP round.
    challenge_sessions: dict[str, AuthSession] = field(default_factory=dict)
    srp_rounds: dict[str, PendingSrp] = field(default_factory=dict)
    # auth/steps/device.py: (client, challenge, username, device key) -> open challenge session.
    device_challenges: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    # pool_config/mfa_config.py: the factors SetUserPoolMfaConfig configured (None: never called).
    mfa_config: dict[str, Any] | None = None
    domain: str | None = None  # pool_config/domains.py: the prefix domain
    custom_domain: str | None = None  # pool_config/domains.py
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)  # pool_config/domains.py
    # pool_config/identity_providers.py: name -> IdentityProviderType; IdP identifier -> name.
    identity_providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    idp_identifiers: dict[str, str] = field(default_factory=dict)
    # pool_config/resource_servers.py: identifier -> ResourceServerType, in creation order.
    resource_servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    ui_customization: dict[str, dict[str, Any]] = field(default_factory=dict)  # pool_config/
    branding: dict[str, Branding] = field(default_factory=dict)  # pool_config/branding.py
    terms: dict[str, Terms] = field(default_factory=dict)  # pool_config/terms.py
    cimd_policies: dict[str, CIMDPolicy] = field(default_factory=dict)  # pool_config/cimd.py
    risk_configuration: dict[str, dict[str, Any]] = field(default_factory=dict)  # pool_config/
    log_configurations: list[dict[str, Any]] = field(default_factory=list)  # pool_config/
    import_jobs: dict[str, ImportJob] = field(default_factory=dict)  # directory/import_jobs.py
    # directory/identity_links.py: (provider, attribute, value) of a linked identity -> user sub.
    provider_links: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # tokens/tracked_sessions.py: client id -> SSO MaxValidityMinutes.
    sso_settings: dict[str, int] = field(default_factory=dict)
    # tokens/authorization_codes.py: code -> what /oauth2/authorize bound it to.
    authorization_codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    # hosted/state.py: managed-login sessions (the domain's cookie) and federation round trips.
    hosted: HostedState | None = None
    # pool_config/replicas.py: the primary Region and the secondary replicas (None: not replicated).
    replication: Replication | None = None
    # recovery/history.py: the change history and point-in-time recoveries (None: none kept yet).
    recovery: PoolRecovery | None = None

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
