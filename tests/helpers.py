"""Helpers every test module may import (`from tests.helpers import fails, PASSWORD`): the one
copy of each, computed independently of the mock where they prove something (SECRET_HASH)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import os
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.backend.kernel.records import User

__all__ = [
    "ALL_FLOWS",
    "PASSWORD",
    "add_client",
    "fails",
    "needs",
    "record",
    "secret_hash",
    "secret_of",
    "status",
]

PASSWORD = "Correct-Horse-9"  # satisfies the default password policy
ALL_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
]


def fails(call: Callable[..., Any], code: str, message: str, **kwargs: Any) -> ClientError:
    """The boto3 call must fail with exactly this error code and message."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == (code, message)
    return caught.value


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
    """The user's record in the mock's state."""
    user = mock.backend().pools[pool_id].users.get(name)
    assert user is not None
    return user


def status(client: Any, pool_id: str, name: str) -> str:
    return str(client.admin_get_user(UserPoolId=pool_id, Username=name)["UserStatus"])


def needs(module: str, why: str = "") -> Any:
    """Import an optional component a test needs. Missing: the test fails under CI (`CI=true`,
    where .ci/run installs everything) and is skipped with the reason locally."""
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=why or f"needs {module}")
