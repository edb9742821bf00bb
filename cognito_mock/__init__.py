"""cognito-mock: an in-memory, contract-checked fake of Amazon Cognito user pools for tests."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cognito_mock.clock import ManualClock, ProcessClock, SystemClock
    from cognito_mock.errors import (
        CognitoMockError,
        ContractViolation,
        LambdaTimeout,
        OperationNotImplementedError,
        ServiceError,
    )
    from cognito_mock.mock import CognitoMock

__all__ = [
    "CognitoMock",
    "CognitoMockError",
    "ContractViolation",
    "LambdaTimeout",
    "ManualClock",
    "OperationNotImplementedError",
    "ProcessClock",
    "ServiceError",
    "SystemClock",
]
__version__ = "0.2.0"

# Imported on first use (PEP 562): the pytest plugin loads this package in every pytest run, and
# must not pay for botocore and the handlers unless a test uses a fixture.
_HOMES = {
    "CognitoMock": "cognito_mock.mock",
    "CognitoMockError": "cognito_mock.errors",
    "ContractViolation": "cognito_mock.errors",
    "LambdaTimeout": "cognito_mock.errors",
    "ManualClock": "cognito_mock.clock",
    "OperationNotImplementedError": "cognito_mock.errors",
    "ProcessClock": "cognito_mock.clock",
    "ServiceError": "cognito_mock.errors",
    "SystemClock": "cognito_mock.clock",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'cognito_mock' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
