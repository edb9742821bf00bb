"""Fixtures shared by the whole suite: a seeded mock on a manual clock, a boto3 client, a pool."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_790_000_000.0)


@pytest.fixture
def mock(clock: ManualClock) -> CognitoMock:
    return CognitoMock(clock=clock, seed=1234)


@pytest.fixture
def client(mock: CognitoMock) -> Any:
    """A real boto3 cognito-idp client answered by `mock`, without retries: botocore retries
    LimitExceededException and TooManyRequestsException, which would only add sleeps here."""
    from botocore.config import Config

    return mock.client(config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def pool_id(mock: CognitoMock) -> str:
    """A pool with the service's defaults."""
    return str(mock.call("CreateUserPool", PoolName="test-pool")["UserPool"]["Id"])
