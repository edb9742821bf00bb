"""Test aids: `CognitoStateMachine`, a Hypothesis `RuleBasedStateMachine` base with pools, clients and
users, and `Passkey`, a software WebAuthn authenticator for passkey registration and sign-in.

Downstream suites subclass it, add rules that take `CognitoStateMachine.pools` / `.clients` /
`.users` and call their own code, and override the `on_*` hooks. Needs `hypothesis` (and faker).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from cognito_mock.clock import ManualClock
from cognito_mock.mock import CognitoMock
from cognito_mock.passkey import Passkey, PasskeyError  # a software passkey for WEB_AUTHN tests
from cognito_mock.strategies.domain import emails, passwords, usernames

__all__ = ["ClientRef", "CognitoStateMachine", "Passkey", "PasskeyError", "PoolRef", "UserRef"]


@dataclass(frozen=True)
class PoolRef:
    id: str
    username_config: str  # one of strategies.USERNAME_CONFIGS


@dataclass(frozen=True)
class ClientRef:
    pool: PoolRef
    id: str


@dataclass
class UserRef:
    pool: PoolRef
    username: str  # what the user signs in with (the email or phone in UsernameAttributes pools)
    password: str
    attributes: dict[str, str] = field(default_factory=dict)


_POOL_SETTINGS: dict[str, dict[str, Any]] = {
    "plain": {},
    "email": {"UsernameAttributes": ["email"]},
    "phone": {"UsernameAttributes": ["phone_number"]},
    "case_insensitive": {"UsernameConfiguration": {"CaseSensitive": False}},
}


class CognitoStateMachine(RuleBasedStateMachine):
    """Creates pools (one per username configuration drawn), app clients and confirmed users.

    Override `make_mock` to configure the mock, and the `on_pool` / `on_client` / `on_user` hooks
    to mirror state into the code under test. `self.mock`, `self.clock` and `self.client` (a boto3
    client answered by the mock) are ready in every rule.
    """

    pools: Bundle[PoolRef] = Bundle("cognito_pools")
    clients: Bundle[ClientRef] = Bundle("cognito_clients")
    users: Bundle[UserRef] = Bundle("cognito_users")

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(1_800_000_000.0)
        self.mock = self.make_mock()
        self.client = self.mock.client()
        self.created_users: list[UserRef] = []

    # -- hooks for user code -------------------------------------------------------------------

    def make_mock(self) -> CognitoMock:
        """The mock for one run; seeded so every generated id replays with the example."""
        return CognitoMock(clock=self.clock, seed=0)

    def on_pool(self, pool: PoolRef) -> None:
        """Called after a pool is created."""

    def on_client(self, client: ClientRef) -> None:
        """Called after an app client is created."""

    def on_user(self, user: UserRef) -> None:
        """Called after a confirmed user with a known password is created."""

    # -- rules -----------------------------------------------------------------------------------

    @rule(target=pools, config=st.sampled_from(sorted(_POOL_SETTINGS)))
    def create_pool(self, config: str) -> PoolRef:
        created = self.mock.call(
            "CreateUserPool", PoolName=f"pool-{config}", **_POOL_SETTINGS[config]
        )
        pool = PoolRef(created["UserPool"]["Id"], config)
        self.on_pool(pool)
        return pool

    @rule(target=clients, pool=pools)
    def create_client(self, pool: PoolRef) -> ClientRef:
        created = self.mock.call(
            "CreateUserPoolClient",
            UserPoolId=pool.id,
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )
        client = ClientRef(pool, created["UserPoolClient"]["ClientId"])
        self.on_client(client)
        return client

    @rule(target=users, pool=pools, data=st.data())
    def create_user(self, pool: PoolRef, data: st.DataObject) -> UserRef:
        username = data.draw(usernames(pool.username_config), label="username")
        password = data.draw(passwords(), label="password")
        attributes: dict[str, str] = {}
        if pool.username_config == "email":
            attributes = {"email": username, "email_verified": "true"}
        elif pool.username_config == "phone":
            attributes = {"phone_number": username, "phone_number_verified": "true"}
        else:
            attributes = {"email": data.draw(emails(), label="email")}
        if any(u.pool == pool and _same(pool, u.username, username) for u in self.created_users):
            return _existing(self.created_users, pool, username)
        self.mock.call(
            "AdminCreateUser",
            UserPoolId=pool.id,
            Username=username,
            UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
            MessageAction="SUPPRESS",
        )
        self.mock.call(
            "AdminSetUserPassword",
            UserPoolId=pool.id,
            Username=username,
            Password=password,
            Permanent=True,
        )
        user = UserRef(pool, username, password, attributes)
        self.created_users.append(user)
        self.on_user(user)
        return user

    @invariant()
    def users_exist(self) -> None:
        """Every user created here is still known to the mock (unless a subclass deleted it)."""
        for user in self.created_users[-3:]:  # the newest few: keeps long runs linear
            if self.user_expected(user):
                self.mock.call("AdminGetUser", UserPoolId=user.pool.id, Username=user.username)

    def user_expected(self, user: UserRef) -> bool:
        """Whether the `users_exist` invariant should find `user`; override after deletions."""
        return True


def _same(pool: PoolRef, a: str, b: str) -> bool:
    if pool.username_config == "case_insensitive":
        return a.lower() == b.lower()
    return a == b


def _existing(users: list[UserRef], pool: PoolRef, username: str) -> UserRef:
    return next(u for u in users if u.pool == pool and _same(pool, u.username, username))
