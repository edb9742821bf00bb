"""Lambda triggers as Python callables: the registry (`mock.triggers`), the caller context, and
invocation with the service's error mapping and response checks (events.py builds each event)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    CognitoMockError,
    InvalidLambdaResponseException,
    LambdaTimeout,
    TriggerNotRegisteredError,
    UnexpectedLambdaException,
    UserLambdaValidationException,
)

__all__ = [
    "INVALID_JSON",
    "NO_CLIENT",
    "SDK_VERSION",
    "TRIGGERS",
    "UNRECOGNIZABLE",
    "LambdaTimeout",
    "TriggerFunction",
    "TriggerNotRegisteredError",
    "Triggers",
    "check_fields",
    "configured",
    "invoke",
    "registry",
    "string_map",
    "token_version",
    "user_attributes",
    "with_caller",
    "with_caller_metadata_only_for",
]

# The LambdaConfig keys whose Lambda this mock invokes (fact sheet section 11.1).
TRIGGERS = (
    "PreSignUp", "CustomMessage", "PostConfirmation", "PreAuthentication", "PostAuthentication",
    "DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse",
    "PreTokenGeneration", "UserMigration",
)  # fmt: skip
SDK_VERSION = "aws-sdk-unknown-unknown"
NO_CLIENT = "CLIENT_ID_NOT_APPLICABLE"  # callerContext.clientId of admin operations
UNRECOGNIZABLE = "Unrecognizable lambda output"
INVALID_JSON = "Invalid lambda function output : Invalid JSON"
_TIMEOUT = "Socket timeout while invoking Lambda function"
_TOKEN_VERSIONS = {"V1_0": "1", "V2_0": "2", "V3_0": "3"}

TriggerFunction = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class _Caller:
    """Who is calling the operation that invokes triggers (callerContext, clientMetadata)."""

    client_id: str | None
    metadata: dict[str, str] | None
    access_token: str | None = None
    # The triggers ClientMetadata reaches (None: every trigger the operation invokes).
    metadata_for: frozenset[str] | None = None

    def resolved_client_id(self) -> str:
        if self.client_id:
            return self.client_id
        if self.access_token:  # self-service operations: the token's client (already verified)
            found = _token_client(self.access_token)
            if found:
                return found
        return NO_CLIENT


def _token_client(token: str) -> str | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    found = payload.get("client_id") if isinstance(payload, dict) else None
    return found if isinstance(found, str) else None


class Triggers:
    """The mock's registered trigger functions (`mock.triggers`), and the events they received.

    A function is registered under a LambdaConfig key (`"PreSignUp"`), optionally for one pool,
    or under a Lambda ARN. The service invokes the ARN the pool's LambdaConfig names, so the ARN
    registration wins; then the key for that pool; then the key for every pool.
    """

    def __init__(self) -> None:
        self._functions: dict[tuple[str, str | None], TriggerFunction] = {}
        self.events: list[dict[str, Any]] = []  # every event sent, oldest first (copies)
        # "raise" (TriggerNotRegisteredError) or "skip" (as if LambdaConfig lacked the key).
        self.missing = "raise"
        self._callers: list[_Caller] = []

    def __reduce__(self) -> tuple[Any, ...]:
        # Functions are code, not state: a saved mock comes back with an empty registry.
        return (Triggers, ())

    def __repr__(self) -> str:
        names = sorted(f"{k}@{p}" if p else k for k, p in self._functions)
        return f"Triggers({', '.join(names)})"

    @staticmethod
    def _check_name(name: str) -> None:
        if name not in TRIGGERS and not name.startswith("arn:"):
            raise ValueError(
                f"{name!r} is neither a LambdaConfig trigger key nor a Lambda ARN; "
                f"triggers: {', '.join(TRIGGERS)}"
            )

    def register(
        self, name: str, function: TriggerFunction, *, pool_id: str | None = None
    ) -> TriggerFunction:
        """Answer trigger `name` (a LambdaConfig key or a Lambda ARN) with `function(event)`,
        which returns the event with its `response` filled in, or raises to reject."""
        self._check_name(name)
        if not callable(function):
            raise TypeError(f"trigger function for {name} must be callable")
        self._functions[(name, pool_id)] = function
        return function

    def on(
        self, name: str, *, pool_id: str | None = None
    ) -> Callable[[TriggerFunction], TriggerFunction]:
        """Decorator form of `register`."""
        self._check_name(name)

        def decorate(function: TriggerFunction) -> TriggerFunction:
            return self.register(name, function, pool_id=pool_id)

        return decorate

    def unregister(self, name: str, *, pool_id: str | None = None) -> None:
        self._functions.pop((name, pool_id), None)

    def clear(self) -> None:
        """Forget every function and recorded event."""
        self._functions.clear()
        self.events.clear()

    def sources(self) -> list[str]:
        """The triggerSource of every event sent, oldest first."""
        return [str(event["triggerSource"]) for event in self.events]

    def resolve(self, key: str, arn: str, pool_id: str) -> TriggerFunction | None:
        for candidate in ((arn, None), (key, pool_id), (key, None)):
            found = self._functions.get(candidate)
            if found is not None:
                return found
        return None


def registry(backend: Backend) -> Triggers:
    return backend.services.triggers


Handler = Callable[[Backend, dict[str, Any]], dict[str, Any]]


def _with_caller(handler: Handler, metadata_for: frozenset[str] | None) -> Handler:
    @wraps(handler)
    def run(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
        callers = registry(backend)._callers
        callers.append(
            _Caller(request.get("ClientId"), request.get("ClientMetadata"),
                    request.get("AccessToken"), metadata_for)
        )  # fmt: skip
        try:
            return handler(backend, request)
        finally:
            callers.pop()

    return run


def with_caller(handler: Handler) -> Handler:
    """Handler decorator: remember the request's ClientId, ClientMetadata and AccessToken while
    it runs, so events carry callerContext.clientId and clientMetadata."""
    return _with_caller(handler, None)


def with_caller_metadata_only_for(*keys: str) -> Callable[[Handler], Handler]:
    """`with_caller` for operations whose ClientMetadata reaches only the `keys` triggers: the
    service documents InitiateAuth and AdminInitiateAuth as passing it to Pre sign-up, Pre
    authentication and User migration only, not to the others they invoke."""
    return lambda handler: _with_caller(handler, frozenset(keys))


def configured(pool: UserPool, key: str) -> str | None:
    """The ARN the pool's LambdaConfig names for `key`, or None."""
    config = pool.settings.get("LambdaConfig") or {}
    if key == "PreTokenGeneration":
        arn = (config.get("PreTokenGenerationConfig") or {}).get("LambdaArn")
        if arn:
            return str(arn)
    arn = config.get(key)
    return str(arn) if arn else None


def token_version(pool: UserPool) -> str:
    """The pre-token event version: "1", or "2"/"3" for PreTokenGenerationConfig V2_0/V3_0."""
    config = (pool.settings.get("LambdaConfig") or {}).get("PreTokenGenerationConfig") or {}
    return _TOKEN_VERSIONS.get(str(config.get("LambdaVersion", "V1_0")), "1")


def user_attributes(user: User) -> dict[str, str]:
    """A user's attributes as events carry them: strings, with `cognito:user_status`."""
    attributes = {k: v for k, v in user.attributes.items() if not k.startswith("dev:")}
    attributes["cognito:user_status"] = user.status
    return attributes


def invoke(
    backend: Backend,
    pool: UserPool,
    key: str,
    source: str,
    *,
    user_name: str,
    request: dict[str, Any],
    response: dict[str, Any] | None = None,
    metadata_as: str = "clientMetadata",
) -> dict[str, Any] | None:
    """Run the pool's `key` trigger; its `response`, or None when the pool does not configure it.

    A function that raises gives UserLambdaValidationException `<key> failed with error <msg>.`;
    `LambdaTimeout` gives UnexpectedLambdaException; anything but an event back gives
    InvalidLambdaResponseException. AssertionErrors propagate: a failed assert inside a trigger
    fails the test that made it, as it should.
    """
    arn = configured(pool, key)
    if arn is None:
        return None
    triggers = registry(backend)
    function = triggers.resolve(key, arn, pool.id)
    if function is None:
        if triggers.missing == "skip":
            return None
        raise TriggerNotRegisteredError(
            f"user pool {pool.id} configures the {key} trigger ({arn}) but no function is "
            f"registered: use mock.triggers.register({key!r}, function) or "
            f"mock.triggers.register({arn!r}, function)"
        )
    caller = triggers._callers[-1] if triggers._callers else _Caller(None, None)
    request = dict(request)
    reaches = caller.metadata_for is None or key in caller.metadata_for
    if caller.metadata and metadata_as and reaches:
        request[metadata_as] = dict(caller.metadata)
    event = {
        "version": token_version(pool) if key == "PreTokenGeneration" else "1",
        "triggerSource": source,
        "region": backend.region,
        "userPoolId": pool.id,
        "userName": user_name,
        "callerContext": {"awsSdkVersion": SDK_VERSION, "clientId": caller.resolved_client_id()},
        "request": request,
        "response": response if response is not None else {},
    }
    triggers.events.append(clone(event))
    try:
        result = function(clone(event))
    except AssertionError:
        raise
    except CognitoMockError:
        raise  # misuse of the library inside a trigger is not the trigger's rejection
    except LambdaTimeout as error:
        reason = str(error) or _TIMEOUT
        raise UnexpectedLambdaException(f"{key} invocation failed due to error {reason}.") from None
    except Exception as error:
        message = str(error) or type(error).__name__
        raise UserLambdaValidationException(f"{key} failed with error {message}.") from None
    if not isinstance(result, dict) or not isinstance(result.get("response"), dict):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    answer: dict[str, Any] = result["response"]
    return answer


def check_fields(response: dict[str, Any], spec: dict[str, tuple[type, ...]]) -> None:
    """InvalidLambdaResponseException unless every `spec` field is absent, null or of its types."""
    for name, kinds in spec.items():
        value = response.get(name)
        if value is None:
            continue
        if isinstance(value, bool) and bool not in kinds:
            raise InvalidLambdaResponseException(INVALID_JSON)
        if not isinstance(value, kinds):
            raise InvalidLambdaResponseException(INVALID_JSON)


def string_map(value: Any) -> dict[str, str]:
    """A response's string map (challenge parameters, ...): None is empty; else all strings."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidLambdaResponseException(INVALID_JSON)
    return dict(value)
