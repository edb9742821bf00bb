"""Factories of ready-made pools (with an app client) and confirmed users, for tests and fixtures.

Used by the pytest plugin's `cognito_user_pool` / `cognito_user` fixtures and usable without pytest.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cognito_mock.backend.crypto.secret_hash import secret_hash

if TYPE_CHECKING:
    from cognito_mock.mock import CognitoMock

__all__ = ["DEFAULT_PASSWORD", "CognitoUser", "CognitoUserPool", "UserFactory", "UserPoolFactory"]

DEFAULT_PASSWORD = (
    "Test-Passw0rd!"  # meets the default policy: 8+ chars, upper, lower, digit, symbol
)
DEFAULT_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


@dataclass
class CognitoUserPool:
    """A pool and one app client made by `cognito_user_pool`."""

    id: str
    arn: str
    name: str
    region: str
    client_id: str
    client_secret: str | None
    details: dict[str, Any]  # CreateUserPool's UserPool
    client_details: dict[str, Any]  # CreateUserPoolClient's UserPoolClient
    mock: CognitoMock = field(repr=False)


@dataclass
class CognitoUser:
    """A CONFIRMED user with a known password, made by `cognito_user`."""

    username: str
    password: str
    sub: str
    attributes: dict[str, str]
    pool_id: str
    client_id: str
    client_secret: str | None
    region: str
    mock: CognitoMock = field(repr=False)

    @property
    def secret_hash(self) -> str | None:
        """SECRET_HASH for this user and client, or None when the client has no secret."""
        if self.client_secret is None:
            return None
        return secret_hash(self.client_secret, self.username, self.client_id)

    @property
    def auth_parameters(self) -> dict[str, str]:
        """AuthParameters for USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH."""
        params = {"USERNAME": self.username, "PASSWORD": self.password}
        if self.secret_hash is not None:
            params["SECRET_HASH"] = self.secret_hash
        return params

    def sign_in(self, flow: str = "USER_PASSWORD_AUTH") -> dict[str, Any]:
        """Sign in with the password; return the AuthenticationResult (AccessToken, IdToken, ...)."""
        if flow.startswith("ADMIN_"):
            answer = self.mock.call(
                "AdminInitiateAuth",
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                AuthFlow=flow,
                AuthParameters=self.auth_parameters,
                region=self.region,
            )
        else:
            answer = self.mock.call(
                "InitiateAuth",
                ClientId=self.client_id,
                AuthFlow=flow,
                AuthParameters=self.auth_parameters,
                region=self.region,
            )
        result: dict[str, Any] = answer["AuthenticationResult"]
        return result


class UserPoolFactory:
    """`cognito_user_pool(name=None, *, secret=False, client={...}, mock=None, region=None,
    **CreateUserPool settings)`: a pool and an app client allowing password, SRP, admin-password
    and refresh sign-in; keyword arguments override the pool's and (in `client`) the client's."""

    def __init__(self, mock: CognitoMock) -> None:
        self._mock = mock
        self._count = itertools.count(1)
        self.created: list[CognitoUserPool] = []

    def __call__(
        self,
        name: str | None = None,
        *,
        secret: bool = False,
        client: Mapping[str, Any] | None = None,
        mock: CognitoMock | None = None,
        region: str | None = None,
        **settings: Any,
    ) -> CognitoUserPool:
        target = mock or self._mock
        region = region or target.region
        n = next(self._count)
        pool = target.call(
            "CreateUserPool", {"PoolName": name or f"test-pool-{n}", **settings}, region=region
        )["UserPool"]
        client_settings = {
            "ClientName": f"test-client-{n}",
            "ExplicitAuthFlows": list(DEFAULT_FLOWS),
            "GenerateSecret": secret,
            **(client or {}),
        }
        app = target.call(
            "CreateUserPoolClient", {"UserPoolId": pool["Id"], **client_settings}, region=region
        )["UserPoolClient"]
        made = CognitoUserPool(
            id=pool["Id"],
            arn=pool["Arn"],
            name=pool["Name"],
            region=region,
            client_id=app["ClientId"],
            client_secret=app.get("ClientSecret"),
            details=pool,
            client_details=app,
            mock=target,
        )
        self.created.append(made)
        return made


class UserFactory:
    """`cognito_user(username=None, password=DEFAULT_PASSWORD, *, pool=None, attributes=None,
    groups=())`: a CONFIRMED user with a verified email (or phone, when the pool signs in by
    phone); without `pool`, the user goes to the pool this test made last with `cognito_user_pool`,
    or (when it made none) to a default pool made once and shared."""

    def __init__(self, pools: UserPoolFactory) -> None:
        self._pools = pools
        self._default: CognitoUserPool | None = None
        self._count = itertools.count(1)

    @property
    def default_pool(self) -> CognitoUserPool:
        """The newest pool made by the pool factory, else one made now for the users."""
        if self._pools.created:
            return self._pools.created[-1]
        if self._default is None:
            self._default = self._pools()
        return self._default

    def __call__(
        self,
        username: str | None = None,
        password: str = DEFAULT_PASSWORD,
        *,
        pool: CognitoUserPool | None = None,
        attributes: Mapping[str, str] | None = None,
        groups: Sequence[str] = (),
    ) -> CognitoUser:
        pool = pool or self.default_pool
        mock, n = pool.mock, next(self._count)
        by = pool.details.get("UsernameAttributes") or []
        defaults: dict[str, str]
        if "phone_number" in by and "email" not in by:
            username = username or f"+1555{n:07d}"
            defaults = {"phone_number": username, "phone_number_verified": "true"}
        else:
            username = username or (f"user{n}@example.com" if by else f"user{n}")
            email = username if "@" in username else f"{username}@example.com"
            defaults = {"email": email, "email_verified": "true"}
        wanted = {**defaults, **(attributes or {})}
        common: dict[str, Any] = {"UserPoolId": pool.id, "region": pool.region}
        made = mock.call(
            "AdminCreateUser",
            Username=username,
            UserAttributes=[{"Name": k, "Value": v} for k, v in wanted.items()],
            MessageAction="SUPPRESS",
            **common,
        )["User"]
        mock.call(
            "AdminSetUserPassword", Username=username, Password=password, Permanent=True, **common
        )
        for group in groups:
            try:
                mock.call("CreateGroup", GroupName=group, **common)
            except Exception as error:  # an existing group is fine; anything else is not
                if type(error).__name__ != "GroupExistsException":
                    raise
            mock.call("AdminAddUserToGroup", Username=username, GroupName=group, **common)
        stored = {a["Name"]: a["Value"] for a in made.get("Attributes", [])}
        return CognitoUser(
            username=username,
            password=password,
            sub=stored["sub"],
            attributes=stored,
            pool_id=pool.id,
            client_id=pool.client_id,
            client_secret=pool.client_secret,
            region=pool.region,
            mock=mock,
        )
