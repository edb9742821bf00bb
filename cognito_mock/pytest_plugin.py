"""pytest plugin (entry point `pytest11`): fixtures giving each test a fresh, isolated Cognito fake.

Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from cognito_mock.mock import CognitoMock

__all__ = ["cognito_client", "cognito_mock"]


@pytest.fixture
def cognito_mock() -> Iterator[CognitoMock]:
    """A fresh CognitoMock with every botocore cognito-idp client routed to it."""
    from cognito_mock.mock import CognitoMock

    mock = CognitoMock()
    with mock.intercept():
        yield mock


@pytest.fixture
def cognito_client(cognito_mock: CognitoMock) -> Any:
    """A boto3 cognito-idp client answered by `cognito_mock`."""
    return cognito_mock.client()
