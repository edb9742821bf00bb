"""A served mock for the HTTP front's tests, and a boto3 client that reaches it over the socket."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from cognito_mock import CognitoMock
from cognito_mock.transports.http import CognitoHTTPServer, start_server


@pytest.fixture
def server(mock: CognitoMock) -> Iterator[CognitoHTTPServer]:
    running = start_server(mock)
    mock.set_public_url(running.url)
    yield running
    running.stop()
    assert running.errors == []  # no test here may meet a bug of the front


@pytest.fixture
def remote(server: CognitoHTTPServer) -> Any:
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="anything",
        aws_secret_access_key="anything",
        config=Config(retries={"total_max_attempts": 1}),
    )
