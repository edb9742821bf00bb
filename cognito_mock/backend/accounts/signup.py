"""Self-service sign-up: SignUp, ConfirmSignUp, ResendConfirmationCode (and their client-side checks)."""

from __future__ import annotations

import zlib
from typing import Any

from cognito_mock.backend.directory.passwords import check_password, set_password
from cognito_mock.backend.directory.users import (
    claim_aliases,
    create_user,
    delete_user,
    find_user,
    index_aliases,
)
from cognito_mock.backend.hooks.events import post_confirmation, pre_sign_up
from cognito_mock.backend.hooks.messages import send_code, verification_target
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.attributes import (
    VERIFIED_FLAG,
    check_attributes,
    looks_like_email,
    looks_like_phone,
)
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    open_session,
    session_owner,
    take_session,
)
from cognito_mock.backend.kernel.codes import consume_code, issue_code
from cognito_mock.backend.kernel.outbox import code_delivery
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    check_secret_hash,
    client_by_id,
    hides_user_existence,
)
from cognito_mock.errors import (
    CodeMismatchException,
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    ServiceError,
    UserNotFoundException,
)

__all__ = [
    "NOT_FOUND",
    "RESEND_LIMIT",
    "SIGNED_UP",
    "client_and_pool",
    "confirm_registration",
    "register",
    "resend_confirmation",
    "simulated_delivery",
]

# Sign-in straight after sign-up (USER_AUTH): SignUp's Session goes to ConfirmSignUp, whose Session
# goes to InitiateAuth, where the confirmation code counts as the first factor. These name the
# two kinds of session among a pool's challenge sessions (never a ChallengeName of the model).
_SIGNING_UP = "SignUp"
SIGNED_UP = "ConfirmSignUp"

NOT_FOUND = "Username/client id combination not found."
RESEND_LIMIT = 5  # ResendConfirmationCode per user per hour (developer guide quotas)
_HOUR = 3600.0
_LIMIT = "Attempt limit exceeded, please try after some time."
_MISMATCH = "Invalid verification code provided, please try again."
_PASSWORDLESS = ("EMAIL_OTP", "SMS_OTP")


def client_and_pool(
    backend: Backend, request: dict[str, Any]
) -> tuple[UserPool, AppClient, User | None]:
    """The client's pool and client, with SECRET_HASH checked, and the user `Username` names."""
    pool, client = client_by_id(backend, request["ClientId"])
    # The hash is over the Username exactly as sent (alias, email or internal name).
    check_secret_hash(client, request["Username"], request.get("SecretHash"))
    return pool, client, find_user(pool, request["Username"])


def simulated_delivery(username: str, preferred: str) -> dict[str, str]:
    """CodeDeliveryDetails for a user that does not exist (or may not be revealed).

    The medium follows the username's format, else `preferred`; the destination is derived from
    the username so repeated calls answer alike (nothing is sent).
    """
    if looks_like_email(username):
        return code_delivery("email", username)
    if looks_like_phone(username):
        return code_delivery("phone_number", username)
    if preferred == "phone_number":
        return code_delivery("phone_number", f"+1555{zlib.crc32(username.encode()) % 10**7:07d}")
    return code_delivery("email", f"{username}@{username}")


def _check_write_attributes(client: AppClient, attributes: list[dict[str, Any]]) -> None:
    allowed = client.settings.get("WriteAttributes")
    if not allowed:
        return  # no explicit list: every standard and custom attribute is writable
    for item in attributes:
        if item["Name"] not in allowed:
            raise NotAuthorizedException("A client attempted to write unauthorized attribute")


def _check_password_given(pool: UserPool, password: str | None) -> None:
    if password:
        check_password(pool, password)
        return
    factors = ((pool.settings.get("Policies") or {}).get("SignInPolicy") or {}).get(
        "AllowedFirstAuthFactors"
    ) or []
    if not any(factor in _PASSWORDLESS for factor in factors):
        # Only pools offering passwordless first factors accept a sign-up without a password.
        raise InvalidParameterException("Password is required for sign-up in this user pool.")


def _send_confirmation(
    backend: Backend, pool: UserPool, user: User, operation_name: str
) -> dict[str, str] | None:
    """Issue and send a sign-up code to the auto-verified attribute (phone wins), if any."""
    attribute = verification_target(pool, user)
    if attribute is None:
        return None
    code = issue_code(user, "confirm_sign_up", backend.ids, backend.clock.now(), attribute)
    return send_code(
        backend, pool, user, attribute, code, purpose="confirm_sign_up", operation=operation_name
    )


@operation("SignUp")
@with_caller
def sign_up(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = client_by_id(backend, request["ClientId"])
    check_secret_hash(client, request["Username"], request.get("SecretHash"))
    return register(backend, pool, client, request)


def register(
    backend: Backend, pool: UserPool, client: AppClient, request: dict[str, Any]
) -> dict[str, Any]:
    """SignUp after the client is known and proven (SignUp's answer); managed login's sign-up
    page calls it too."""
    admin_only = (pool.settings.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly")
    if admin_only:
        raise NotAuthorizedException("SignUp is not permitted for this user pool")
    given = request.get("UserAttributes", [])
    _check_write_attributes(client, given)
    password = request.get("Password")
    _check_password_given(pool, password)
    values = check_attributes(pool.schema, given, developer=False, creating=True)
    # PreSignUp runs before the user exists, so its rejection leaves nothing behind.
    auto = pre_sign_up(backend, pool, "PreSignUp_SignUp", request["Username"], values, request)
    for flag, name in (
        ("autoVerifyEmail", "email_verified"),
        ("autoVerifyPhone", "phone_number_verified"),
    ):
        if auto.get(flag):
            values[name] = "true"
    confirmed = bool(auto.get("autoConfirmUser"))
    force = bool(auto.get("autoVerifyEmail") or auto.get("autoVerifyPhone"))
    now = backend.clock.now()
    # An alias value another user holds verified stays theirs until this user confirms: the
    # service refuses it then (ConfirmSignUp's AliasExistsException), not at sign-up.
    user = create_user(
        backend, pool, request["Username"], values,
        status="CONFIRMED" if confirmed else "UNCONFIRMED", exists_message="User already exists",
        now=now, force_alias=force, defer_aliases=not force,
    )  # fmt: skip
    if password:
        set_password(pool, user, password, now)
    result: dict[str, Any] = {"UserConfirmed": confirmed, "UserSub": user.sub}
    try:  # a CustomMessage trigger failure fails the call: take the user back
        delivery = None if confirmed else _send_confirmation(backend, pool, user, "SignUp")
    except ServiceError:
        delete_user(pool, user)
        raise
    if delivery is not None:
        result["CodeDeliveryDetails"] = delivery
        result["Session"] = open_session(backend, pool, client, _SIGNING_UP, user.username)
    return result


def _mark_verified(pool: UserPool, user: User, attribute: str | None, force: bool) -> None:
    """Flag the attribute the code went to as verified and take its alias (all or nothing)."""
    flag = VERIFIED_FLAG.get(attribute or "")
    if flag is None or not user.attributes.get(attribute or ""):
        index_aliases(pool, user)
        return
    before = user.attributes.get(flag)
    user.attributes[flag] = "true"
    try:
        claim_aliases(pool, user, force)
    except ServiceError:
        if before is None:
            del user.attributes[flag]
        else:
            user.attributes[flag] = before
        raise
    index_aliases(pool, user)


@operation("ConfirmSignUp")
@with_caller
def confirm_sign_up(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client, user = client_and_pool(backend, request)
    return confirm_registration(backend, pool, client, user, request)


def confirm_registration(
    backend: Backend, pool: UserPool, client: AppClient, user: User | None, request: dict[str, Any]
) -> dict[str, Any]:
    """ConfirmSignUp for the user `Username` names (None: unknown); also the confirm page's."""
    if user is None:
        if hides_user_existence(client):
            raise CodeMismatchException(_MISMATCH)
        raise UserNotFoundException(NOT_FOUND)
    if user.status != "UNCONFIRMED":
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status}")
    # SignUp's Session, if given, must be this user's (checked before anything changes).
    signing_up = None
    if request.get("Session"):
        signing_up = take_session(backend, pool, client, request["Session"], {_SIGNING_UP})
        if session_owner(pool, signing_up) is not user:
            raise NotAuthorizedException(SESSION_INVALID)
    now = backend.clock.now()
    code = consume_code(user, "confirm_sign_up", request["ConfirmationCode"], now)
    try:
        _mark_verified(pool, user, code.attribute, bool(request.get("ForceAliasCreation")))
    except ServiceError:
        user.codes["confirm_sign_up"] = code  # an alias conflict leaves the code usable
        raise
    user.status = "CONFIRMED"
    user.modified = now
    # The user stays confirmed even if PostConfirmation then fails (as the service does).
    post_confirmation(backend, pool, user, "PostConfirmation_ConfirmSignUp")
    if signing_up is None:
        return {}
    signing_up.used = True
    factor = "SMS_OTP" if code.attribute == "phone_number" else "EMAIL_OTP"
    return {"Session": open_session(backend, pool, client, SIGNED_UP, user.username, factor=factor)}


def _note_resend(user: User, now: float) -> None:
    """Enforce the hourly resend quota (checked and recorded before anything is sent)."""
    recent = [t for t in user.hourly.get("ResendConfirmationCode", []) if now - t < _HOUR]
    if len(recent) >= RESEND_LIMIT:
        raise LimitExceededException(_LIMIT)
    user.hourly["ResendConfirmationCode"] = [*recent, now]


@operation("ResendConfirmationCode")
@with_caller
def resend_confirmation_code(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client, user = client_and_pool(backend, request)
    return resend_confirmation(backend, pool, client, user, request)


def resend_confirmation(
    backend: Backend, pool: UserPool, client: AppClient, user: User | None, request: dict[str, Any]
) -> dict[str, Any]:
    """ResendConfirmationCode for the user `Username` names; also the managed-login pages'."""
    if user is None:
        if hides_user_existence(client):
            preferred = "phone_number" if "phone_number" in pool.auto_verified else "email"
            return {"CodeDeliveryDetails": simulated_delivery(request["Username"], preferred)}
        raise UserNotFoundException(NOT_FOUND)
    if user.status != "UNCONFIRMED":
        raise InvalidParameterException("User is already confirmed.")
    if verification_target(pool, user) is None:
        raise InvalidParameterException("Auto verification not turned on.")
    _note_resend(user, backend.clock.now())
    delivery = _send_confirmation(backend, pool, user, "ResendConfirmationCode")
    assert delivery is not None  # the target was checked above
    return {"CodeDeliveryDetails": delivery}
