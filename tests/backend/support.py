"""Helpers shared by the self-service test modules (sign-up and recovery): app clients, secrets,
user records and a ClientError matcher. Importable because tests/backend/conftest.py puts this
folder on sys.path."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.backend.kernel.records import User

__all__ = ["add_client", "fails", "record", "secret_hash", "secret_of", "status"]


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """AWS's documented SECRET_HASH, computed here so the mock's own helper is not its judge."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def add_client(client: Any, pool_id: str, *, secret: bool = False, **settings: Any) -> str:
    """An app client of `pool_id` (LEGACY existence errors unless overridden)."""
    settings.setdefault("ExplicitAuthFlows", ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    settings.setdefault("PreventUserExistenceErrors", "LEGACY")
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", GenerateSecret=secret, **settings
    )
    return str(made["UserPoolClient"]["ClientId"])


def secret_of(client: Any, pool_id: str, client_id: str) -> str:
    got = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    return str(got["UserPoolClient"]["ClientSecret"])


def record(mock: CognitoMock, pool_id: str, name: str) -> User:
    user = mock.backend().pools[pool_id].users.get(name)
    assert user is not None
    return user


def status(client: Any, pool_id: str, name: str) -> str:
    return str(client.admin_get_user(UserPoolId=pool_id, Username=name)["UserStatus"])


def fails(call: Any, code: str, message: str, **kwargs: Any) -> None:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    assert caught.value.response["Error"]["Code"] == code
    assert caught.value.response["Error"]["Message"] == message
