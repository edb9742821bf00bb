"""Lambda triggers as Python callables: the registry, events, invocation with the service's error
mapping, and response checks. Imports backend records and state, jsontree and errors only."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from cognito_mock.backend.kernel.attributes import looks_like_email, looks_like_phone
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
    "CODE_PARAMETER",
    "INVALID_JSON",
    "NO_CLIENT",
    "SDK_VERSION",
    "TRIGGERS",
    "UNRECOGNIZABLE",
    "USERNAME_PARAMETER",
    "LambdaTimeout",
    "TriggerFunction",
    "TriggerNotRegisteredError",
    "Triggers",
    "check_fields",
    "configured",
    "custom_message",
    "invoke",
    "post_authentication",
    "post_confirmation",
    "pre_authentication",
    "pre_sign_up",
    "registry",
    "string_map",
    "token_version",
    "user_attributes",
    "user_migration",
    "with_caller",
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


def with_caller(
    handler: Callable[[Backend, dict[str, Any]], dict[str, Any]],
) -> Callable[[Backend, dict[str, Any]], dict[str, Any]]:
    """Handler decorator: remember the request's ClientId, ClientMetadata and AccessToken while
    it runs, so events carry callerContext.clientId and clientMetadata."""

    @wraps(handler)
    def run(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
        callers = registry(backend)._callers
        callers.append(
            _Caller(request.get("ClientId"), request.get("ClientMetadata"),
                    request.get("AccessToken"))
        )  # fmt: skip
        try:
            return handler(backend, request)
        finally:
            callers.pop()

    return run


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
    if caller.metadata and metadata_as:
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


# ----------------------------------------------------------------------------- the triggers


def _validation_data(request: dict[str, Any]) -> dict[str, str] | None:
    items = request.get("ValidationData")
    return {item["Name"]: item.get("Value", "") for item in items} if items else None


def pre_sign_up(
    backend: Backend,
    pool: UserPool,
    source: str,
    username: str,
    attributes: dict[str, str],
    request: dict[str, Any],
) -> dict[str, bool]:
    """PreSignUp before the user exists: the response's autoConfirmUser / autoVerifyEmail /
    autoVerifyPhone (all False when the trigger is not configured)."""
    attributes = dict(attributes)
    kinds = pool.username_attributes  # an email / phone username is also that attribute
    if "email" in kinds and looks_like_email(username):
        attributes.setdefault("email", username)
    elif "phone_number" in kinds and looks_like_phone(username):
        attributes.setdefault("phone_number", username)
    response = invoke(
        backend, pool, "PreSignUp", source, user_name=username,
        request={"userAttributes": dict(attributes), "validationData": _validation_data(request)},
        response={"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    )  # fmt: skip
    if response is None:
        return {}
    fields = ("autoConfirmUser", "autoVerifyEmail", "autoVerifyPhone")
    check_fields(response, dict.fromkeys(fields, (bool,)))
    wanted = {name: bool(response.get(name)) for name in fields}
    for flag, attribute in (("autoVerifyEmail", "email"), ("autoVerifyPhone", "phone_number")):
        if wanted[flag] and not attributes.get(attribute):
            raise InvalidLambdaResponseException(
                f"Invalid lambda function output : {flag} requires the {attribute} attribute"
            )
    return wanted


def post_confirmation(backend: Backend, pool: UserPool, user: User, source: str) -> None:
    invoke(
        backend, pool, "PostConfirmation", source, user_name=user.username,
        request={"userAttributes": user_attributes(user)},
    )  # fmt: skip


def pre_authentication(
    backend: Backend, pool: UserPool, user: User | None, username: str, *, hidden: bool
) -> None:
    """Before the password is checked; `hidden` (PreventUserExistenceErrors ENABLED) adds
    `userNotFound`. The client's ClientMetadata arrives as `validationData`."""
    request: dict[str, Any] = {
        "userAttributes": user_attributes(user) if user is not None else {},
        "validationData": None,
    }
    if hidden:
        request["userNotFound"] = user is None
    invoke(
        backend, pool, "PreAuthentication", "PreAuthentication_Authentication",
        user_name=user.username if user is not None else username, request=request,
        metadata_as="validationData",
    )  # fmt: skip


def post_authentication(
    backend: Backend, pool: UserPool, user: User, *, new_device: bool = False
) -> None:
    invoke(
        backend, pool, "PostAuthentication", "PostAuthentication_Authentication",
        user_name=user.username,
        request={"userAttributes": user_attributes(user), "newDeviceUsed": new_device},
    )  # fmt: skip


def user_migration(
    backend: Backend, pool: UserPool, username: str, password: str | None
) -> dict[str, Any] | None:
    """UserMigration for a user this pool does not know: the checked response, or None when
    the pool has no migration trigger. A response without userAttributes is malformed."""
    source = (
        "UserMigration_Authentication" if password is not None else "UserMigration_ForgotPassword"
    )
    request: dict[str, Any] = {"validationData": None}
    if password is not None:
        request["password"] = password
    response = invoke(
        backend, pool, "UserMigration", source, user_name=username, request=request,
        response={"userAttributes": None, "finalUserStatus": None, "messageAction": None,
                  "desiredDeliveryMediums": None, "forceAliasCreation": None,
                  "enableSMSMFA": None},
        metadata_as="validationData",
    )  # fmt: skip
    if response is None:
        return None
    check_fields(
        response,
        {"finalUserStatus": (str,), "messageAction": (str,), "desiredDeliveryMediums": (list,),
         "forceAliasCreation": (bool,), "enableSMSMFA": (bool,)},
    )  # fmt: skip
    attributes = response.get("userAttributes")
    if not isinstance(attributes, dict) or not attributes:
        raise InvalidLambdaResponseException(INVALID_JSON)
    if response.get("finalUserStatus") not in (None, "CONFIRMED", "RESET_REQUIRED"):
        raise InvalidLambdaResponseException(INVALID_JSON)
    return {**response, "userAttributes": {str(k): str(v) for k, v in attributes.items()}}


# CustomMessage: (purpose, operation) of a message -> triggerSource.
_MESSAGE_SOURCES = {
    ("confirm_sign_up", "SignUp"): "CustomMessage_SignUp",
    ("confirm_sign_up", "ResendConfirmationCode"): "CustomMessage_ResendCode",
    ("invitation", "AdminCreateUser"): "CustomMessage_AdminCreateUser",
    ("forgot_password", "ForgotPassword"): "CustomMessage_ForgotPassword",
    ("forgot_password", "AdminResetUserPassword"): "CustomMessage_ForgotPassword",
    ("verify_attribute", "UpdateUserAttributes"): "CustomMessage_UpdateUserAttribute",
    ("verify_attribute", "AdminUpdateUserAttributes"): "CustomMessage_UpdateUserAttribute",
    ("verify_attribute", "GetUserAttributeVerificationCode"): "CustomMessage_VerifyUserAttribute",
}
CODE_PARAMETER = "{####}"
USERNAME_PARAMETER = "{username}"


def custom_message(
    backend: Backend, pool: UserPool, user: User, purpose: str, operation: str
) -> dict[str, str]:
    """The CustomMessage response's non-null texts (smsMessage, emailMessage, emailSubject) for
    a message about to be sent; empty when there is no trigger (templates apply)."""
    source = "CustomMessage_Authentication" if purpose == "mfa" else None
    source = source or _MESSAGE_SOURCES.get((purpose, operation))
    if source is None or configured(pool, "CustomMessage") is None:
        return {}
    invitation = purpose == "invitation"
    response = invoke(
        backend, pool, "CustomMessage", source, user_name=user.username,
        request={"userAttributes": user_attributes(user), "codeParameter": CODE_PARAMETER,
                 "linkParameter": "{##Click Here##}",
                 "usernameParameter": USERNAME_PARAMETER if invitation else None},
        response={"smsMessage": None, "emailMessage": None, "emailSubject": None},
    )  # fmt: skip
    if response is None:
        return {}
    fields = ("smsMessage", "emailMessage", "emailSubject")
    check_fields(response, dict.fromkeys(fields, (str,)))
    texts = {name: str(response[name]) for name in fields if response.get(name) is not None}
    developer = (pool.settings.get("EmailConfiguration") or {}).get("EmailSendingAccount")
    if developer != "DEVELOPER" and ("emailMessage" in texts or "emailSubject" in texts):
        raise InvalidLambdaResponseException(
            "Invalid lambda function output : emailMessage and emailSubject require "
            "EmailSendingAccount DEVELOPER"
        )
    for name in ("smsMessage", "emailMessage"):
        text = texts.get(name)
        if text is None:
            continue
        for parameter in (CODE_PARAMETER, USERNAME_PARAMETER) if invitation else (CODE_PARAMETER,):
            if parameter not in text:
                raise InvalidLambdaResponseException(
                    f"Invalid lambda function output : {name} must contain {parameter}"
                )
    return texts
