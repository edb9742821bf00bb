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
    """A real boto3 cognito-idp client answered by `mock`."""
    return mock.client()


@pytest.fixture
def pool_id(mock: CognitoMock) -> str:
    """A pool with the service's defaults."""
    return str(mock.call("CreateUserPool", PoolName="test-pool")["UserPool"]["Id"])
