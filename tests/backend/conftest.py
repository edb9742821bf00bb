"""Fixtures of the backend tests: app clients with chosen settings, users with known passwords."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests import helpers
from tests.helpers import ALL_FLOWS, PASSWORD


@pytest.fixture
def fails() -> Callable[..., ClientError]:
    """`fails(call, code, message, **kwargs)`: the boto3 call must fail with exactly that error."""
    return helpers.fails


@pytest.fixture
def secret_hash() -> Callable[[str, str, str], str]:
    return helpers.secret_hash


@pytest.fixture
def make_client(client: Any, pool_id: str) -> Callable[..., dict[str, Any]]:
    """Create an app client (all flows allowed unless given); returns UserPoolClient."""

    def make(**settings: Any) -> dict[str, Any]:
        settings.setdefault("ClientName", "app")
        settings.setdefault("ExplicitAuthFlows", ALL_FLOWS)
        made = client.create_user_pool_client(UserPoolId=pool_id, **settings)
        return dict(made["UserPoolClient"])

    return make


@pytest.fixture
def app(make_client: Callable[..., dict[str, Any]]) -> str:
    """A public client id allowing every password flow."""
    return str(make_client()["ClientId"])


@pytest.fixture
def make_user(client: Any, pool_id: str) -> Callable[..., str]:
    """A user with a permanent password (CONFIRMED) unless `temporary` is set."""

    def make(
        username: str = "alice",
        password: str = PASSWORD,
        *,
        temporary: bool = False,
        attributes: dict[str, str] | None = None,
        pool: str | None = None,
    ) -> str:
        target = pool or pool_id
        attrs = attributes if attributes is not None else {"email": f"{username}@example.com"}
        client.admin_create_user(
            UserPoolId=target,
            Username=username,
            TemporaryPassword=password,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
        )
        if not temporary:
            client.admin_set_user_password(
                UserPoolId=target, Username=username, Password=password, Permanent=True
            )
        return username

    return make


@pytest.fixture
def sign_in(client: Any) -> Callable[..., dict[str, Any]]:
    """USER_PASSWORD_AUTH; returns the AuthenticationResult."""

    def run(client_id: str, username: str = "alice", password: str = PASSWORD, **extra: str) -> Any:
        params = {"USERNAME": username, "PASSWORD": password, **extra}
        answer = client.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params
        )
        return answer["AuthenticationResult"]

    return run
