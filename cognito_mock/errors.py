"""Every error of the library: the service's errors (one class per model error, named by its AWS
code, from `service_errors`) and the library's own errors, which derive from `CognitoMockError`.

`OAuthError` and `WireError` are internal: they become HTTP answers and never reach a user.
"""

from __future__ import annotations

import json

from cognito_mock.service_errors import *  # noqa: F403  (users import service errors from here)
from cognito_mock.service_errors import __all__ as _service_errors

__all__ = [
    "CognitoMockError",
    "ContractViolation",
    "FaultConfigurationError",
    "LambdaTimeout",
    "OperationNotImplementedError",
    "SeedError",
    "StateFileError",
    "TriggerNotRegisteredError",
    "UnknownOperationError",
    "DOMAIN_ENDPOINTS",
    "OAUTH2_ENDPOINTS",
    "OAuthError",
    "WireError",
    *_service_errors,
]


class CognitoMockError(Exception):
    """Base of errors in using the library itself (not errors the service would send)."""


class OperationNotImplementedError(CognitoMockError, NotImplementedError):
    """The operation exists in the model but the fake has no handler for it yet."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"cognito-mock does not implement {operation} yet")
        self.operation = operation


class ContractViolation(AssertionError):
    """The fake answered outside the API model: a bug in cognito-mock that must fail the test."""

    def __init__(self, operation: str, detail: str) -> None:
        super().__init__(f"{operation}: {detail}")
        self.operation = operation
        self.detail = detail


class UnknownOperationError(CognitoMockError, KeyError):
    """The name is not an operation of the cognito-idp model."""

    def __init__(self, operation: str) -> None:
        super().__init__(operation)
        self.operation = operation

    def __str__(self) -> str:
        return f"{self.operation!r} is not an operation of the cognito-idp model"


class TriggerNotRegisteredError(CognitoMockError, LookupError):
    """A pool's LambdaConfig names a trigger but no Python callable answers for it."""


class LambdaTimeout(Exception):
    """Raise from a trigger to simulate a Lambda that could not run (timeout, throttling, no
    permission): the caller gets UnexpectedLambdaException instead of the function's error."""


class FaultConfigurationError(CognitoMockError, ValueError):
    """A fault the real service could not produce (unknown operation, undeclared error, bad numbers)."""


class StateFileError(CognitoMockError):
    """The state file cannot be used (not ours, corrupt, or its journal does not replay)."""


class SeedError(CognitoMockError):
    """The seed file cannot be read or one of its declarations cannot be created."""


class WireError(Exception):
    """A request that never reaches an operation (bad target, bad JSON): the protocol's own errors."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class OAuthError(Exception):
    """An OAuth2 endpoint's error answer: `{"error": code}` with its HTTP status (400, or 401 for
    `invalid_client` and `invalid_token`) and extra headers (WWW-Authenticate)."""

    def __init__(self, error: str, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(error)
        self.error = error
        self.status = status
        self.headers = headers or {}

    def answer(self) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of the HTTP answer."""
        body = json.dumps({"error": self.error}, separators=(",", ":")).encode()
        return self.status, {"Content-Type": "application/json;charset=UTF-8", **self.headers}, body


# The user pool domain's OAuth2 endpoints and the `error` codes each can answer (RFC 6749 §5.2,
# RFC 7009 §2.2.1, OIDC Core §5.3.3; the fact sheet's section 12).
OAUTH2_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "/oauth2/token": (
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
        "unsupported_grant_type", "invalid_scope",
    ),
    "/oauth2/revoke": ("invalid_request", "invalid_client", "unsupported_token_type"),
    "/oauth2/userInfo": ("invalid_request", "invalid_token"),
}  # fmt: skip

# Managed-login paths of a user pool domain that faults can target: `/oauth2/authorize` with the
# `error` codes it redirects to the app with (fact sheet section 12), the pages with
# `server_error` (their error page).
DOMAIN_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "/oauth2/authorize": ("invalid_request", "unauthorized_client", "invalid_scope", "server_error"),
    **{
        path: ("server_error",)
        for path in ("/oauth2/idpresponse", "/login", "/signup", "/confirm", "/forgotPassword",
                     "/confirmForgotPassword", "/logout")
    },
}  # fmt: skip
