"""cognito-mock: an in-memory, contract-checked fake of Amazon Cognito user pools for tests."""

from __future__ import annotations

from cognito_mock.clock import ManualClock, SystemClock
from cognito_mock.errors import (
    CognitoMockError,
    ContractViolation,
    OperationNotImplementedError,
    ServiceError,
)
from cognito_mock.mock import CognitoMock

__all__ = [
    "CognitoMock",
    "CognitoMockError",
    "ContractViolation",
    "ManualClock",
    "OperationNotImplementedError",
    "ServiceError",
    "SystemClock",
]
__version__ = "0.1.0"
