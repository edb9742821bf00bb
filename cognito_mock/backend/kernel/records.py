"""Every record of the mock's state: pools, app clients, users (with their indexes), groups, and
each store another module owns, declared here as a typed field that names its owner.

Plain dataclasses; wire keys stay PascalCase only inside the `settings` dicts that are echoed back.
Record types that belong to one concern (a device, a token store, ...) stay with their owner and
are imported here for typing only; their fields start empty (`None` or an empty container).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from cognito_mock.backend.kernel.user_record import (
    Code,
    SrpVerifier,
    User,
    UserMfa,
    UserPasskeys,
)

if TYPE_CHECKING:
    from cognito_mock.backend.directory.import_jobs import ImportJob
    from cognito_mock.backend.hosted.state import HostedState
    from cognito_mock.backend.kernel.challenge_sessions import AuthSession, PendingSrp
    from cognito_mock.backend.pool_config.branding import Branding
    from cognito_mock.backend.pool_config.cimd import CIMDPolicy
    from cognito_mock.backend.pool_config.replicas import Replication
    from cognito_mock.backend.pool_config.terms import Terms
    from cognito_mock.backend.recovery.history import PoolRecovery
    from cognito_mock.backend.tokens.authorization_codes import AuthorizationCode
    from cognito_mock.backend.tokens.store import TokenStore
    from cognito_mock.validation.compiled import Proof

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
        # directory/views.py: seq -> the state of the user whose UserType view was last checked
        # against the model (bounded; dropped by `touch`, and only trusted for an equal state).
        self.checked: OrderedDict[int, Proof] = OrderedDict()
        # ... and of the user whose every attribute last passed AttributeType's check (GetUser,
        # AdminGetUser: views.checked_attributes).
        self.attributes_checked: OrderedDict[int, Proof] = OrderedDict()

    def touch(self, user: User | None = None) -> None:
        """Note that `user` (None: any user) was added, removed or changed a searchable value.

        Call after changing a user's attributes, status or enabled flag so ListUsers sees it.
        """
        self.version += 1
        if user is None:
            self.checked.clear()
            self.attributes_checked.clear()
        else:
            self.checked.pop(user.seq, None)
            self.attributes_checked.pop(user.seq, None)
        if self.index_cache is None:
            return  # nothing built yet: the first search builds from scratch
        if user is None or self.changed is None or len(self.changed) > 64 + len(self.by_name) // 4:
            self.changed = None  # the indexes will rebuild (SearchIndex.sync): no log to keep
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
