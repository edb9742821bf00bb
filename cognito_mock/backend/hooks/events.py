"""The events of each Lambda trigger the service sends (PreSignUp, PostConfirmation,
PreAuthentication, PostAuthentication, UserMigration, CustomMessage): what goes in, what the
response may change, and the checks on it."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.hooks.triggers import (
    INVALID_JSON,
    check_fields,
    configured,
    invoke,
    user_attributes,
)
from cognito_mock.backend.kernel.attributes import looks_like_email, looks_like_phone
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import InvalidLambdaResponseException

__all__ = [
    "CODE_PARAMETER",
    "USERNAME_PARAMETER",
    "custom_message",
    "post_authentication",
    "post_confirmation",
    "pre_authentication",
    "pre_sign_up",
    "user_migration",
]


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
    if configured(pool, "PreSignUp") is None:
        return {}  # no event to build (issue 16: most of a bulk AdminCreateUser's pool)
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
    if configured(pool, "PostConfirmation") is None:
        return  # no event to build (a sign-up's hot path)
    invoke(
        backend, pool, "PostConfirmation", source, user_name=user.username,
        request={"userAttributes": user_attributes(user)},
    )  # fmt: skip


def pre_authentication(
    backend: Backend, pool: UserPool, user: User | None, username: str, *, hidden: bool
) -> None:
    """Before the password is checked; `hidden` (PreventUserExistenceErrors ENABLED) adds
    `userNotFound`. The client's ClientMetadata arrives as `validationData`."""
    if configured(pool, "PreAuthentication") is None:
        return  # no event to build (every sign-in's hot path)
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
    if configured(pool, "PostAuthentication") is None:
        return
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
