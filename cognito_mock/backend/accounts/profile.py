"""Self-service user operations authorised by an access token: read, update and delete attributes,
verify email / phone, change password, delete the account."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.attribute_updates import (
    apply_attribute_update,
    check_identifiers,
    delete_attributes,
)
from cognito_mock.backend.directory.passwords import check_password, set_password
from cognito_mock.backend.directory.users import (
    delete_user,
    index_aliases,
    mfa_settings,
)
from cognito_mock.backend.directory.views import checked_attributes
from cognito_mock.backend.hooks.messages import send_code
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.attributes import VERIFIABLE, VERIFIED_FLAG, check_attributes
from cognito_mock.backend.kernel.codes import consume_code, issue_code
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.store import token_store
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import (
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    ServiceError,
)

__all__ = ["HOURLY_LIMITS", "readable_attributes"]

UNAUTHORIZED_WRITE = "A client attempted to write unauthorized attribute"
INCORRECT_PASSWORD = "Incorrect username or password."
NOT_VERIFIABLE = "Invalid attribute name. Only phone_number and email can be verified."
NO_VALUE = {
    "email": "User does not have a valid registered email",
    "phone_number": "User does not have a valid registered phone number",
}
LIMIT = "Attempt limit exceeded, please try after some time."
# Per-user hourly quotas (developer guide quotas, fact sheet section 13).
HOURLY_LIMITS = {"ChangePassword": 5, "GetUserAttributeVerificationCode": 5}
_HOUR = 3600.0
# Clients never write these with an access token, whatever their WriteAttributes say.
_NEVER_WRITABLE = frozenset(VERIFIED_FLAG.values())


def _caller(backend: Backend, request: dict[str, Any]) -> tuple[UserPool, User, AppClient | None]:
    """The pool, user and app client behind the request's access token.

    Every operation here declares UserNotFoundException, which is what the service sends when
    the token's user was deleted, so `authenticate_access_token`'s errors pass through as they are.
    """
    pool, user, claims = authenticate_access_token(backend, request["AccessToken"])
    # A token outliving its (deleted) client keeps the default attribute permissions.
    return pool, user, pool.clients.get(str(claims.get("client_id")))


def _note_attempt(user: User, operation_name: str, now: float) -> None:
    """Enforce the operation's per-user hourly quota, counting this attempt."""
    key = f"hourly:{operation_name}"
    recent = [t for t in user.hourly.get(key, []) if now - t < _HOUR]
    if len(recent) >= HOURLY_LIMITS[operation_name]:
        raise LimitExceededException(LIMIT)
    user.hourly[key] = [*recent, now]


def readable_attributes(client: AppClient | None, user: User) -> list[dict[str, str]] | None:
    """The user's attributes the client may read when it lists some in ReadAttributes (and
    `sub`, which identifies the user and is always returned); None when it reads them all."""
    readable = client.settings.get("ReadAttributes") if client is not None else None
    if not readable:
        return None
    allowed = set(readable)
    return [
        {"Name": name, "Value": value}
        for name, value in user.attributes.items()
        if name == "sub" or name in allowed
    ]


def _check_writable(pool: UserPool, client: AppClient | None, names: list[str]) -> None:
    """NotAuthorizedException for a schema attribute the client may not write (verification
    flags, developer-only attributes, or one missing from the client's WriteAttributes).

    Names outside the schema are left to the schema checks, which name the attribute.
    """
    writable = client.settings.get("WriteAttributes") if client is not None else None
    allowed = set(writable) if writable else None
    for name in names:
        if name == "sub" or pool.schema_attribute(name) is None:
            continue
        if (
            name in _NEVER_WRITABLE
            or name.startswith("dev:")
            or (allowed is not None and name not in allowed)
        ):
            raise NotAuthorizedException(UNAUTHORIZED_WRITE)


def _verifiable(name: str) -> str:
    if name not in VERIFIABLE:
        raise InvalidParameterException(NOT_VERIFIABLE)
    return name


def _keep_sessions(pool: UserPool, user: User, before: tuple[float, str | None]) -> None:
    """ChangePassword leaves every session of the user working (the service revokes nothing;
    GlobalSignOut does that), so re-stamp the user's token origins with the new password.

    The stamp mirrors tokens._password_stamp; test_user_self checks tokens survive a change.
    O(tokens in the pool), paid only on a password change, never on a token check.
    """
    after = (user.password_set, user.password)
    store = token_store(pool)
    origins = [record.origin for record in store.refresh.values()]
    origins.extend(store.access.values())
    for origin in origins:
        if origin.sub == user.sub and origin.password_stamp == before:
            origin.password_stamp = after


@operation("GetUser")
def get_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, client = _caller(backend, request)
    # None: all of them, which the proven list may answer without building them (views.py).
    attributes = checked_attributes(pool.users, user, readable_attributes(client, user))
    result: dict[str, Any] = {"Username": user.username, "UserAttributes": attributes}
    result.update(mfa_settings(user))  # exactly as AdminGetUser reports them
    return result


@operation("UpdateUserAttributes")
@with_caller
def update_user_attributes(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, client = _caller(backend, request)
    attributes = request["UserAttributes"]
    _check_writable(pool, client, [item["Name"] for item in attributes])
    values = check_attributes(pool.schema, attributes, developer=False, creating=False)
    deliveries = apply_attribute_update(
        backend, pool, user, values, operation_name="UpdateUserAttributes"
    )
    return {"CodeDeliveryDetailsList": deliveries} if deliveries else {}


@operation("DeleteUserAttributes")
def delete_user_attributes(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, client = _caller(backend, request)
    names = request["UserAttributeNames"]
    _check_writable(pool, client, names)  # deleting a value is writing it
    delete_attributes(backend, pool, user, names)
    return {}


@operation("DeleteUser")
def delete_self(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = _caller(backend, request)
    # The user's tokens now fail with UserNotFoundException: they resolve the user by sub.
    delete_user(pool, user)
    return {}


@operation("ChangePassword")
def change_password(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = _caller(backend, request)
    now = backend.clock.now()
    _note_attempt(user, "ChangePassword", now)  # wrong guesses count: it bounds brute force
    previous = request.get("PreviousPassword")
    # PreviousPassword may be omitted only by a passwordless user (one without a password).
    if user.password is not None and previous != user.password:
        raise NotAuthorizedException(INCORRECT_PASSWORD)
    proposed = request["ProposedPassword"]
    check_password(pool, proposed, user)
    before = (user.password_set, user.password)
    set_password(pool, user, proposed, now)
    user.modified = now
    _keep_sessions(pool, user, before)
    return {}


@operation("GetUserAttributeVerificationCode")
@with_caller
def get_user_attribute_verification_code(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    pool, user, _ = _caller(backend, request)
    name = _verifiable(request["AttributeName"])
    # A value awaiting verification (AttributesRequireVerificationBeforeUpdate) gets the code.
    destination = user.pending.get(name) or user.attributes.get(name)
    if not destination:
        raise InvalidParameterException(NO_VALUE[name])
    now = backend.clock.now()
    _note_attempt(user, "GetUserAttributeVerificationCode", now)
    code = issue_code(user, "verify_attribute", backend.ids, now, attribute=name)
    delivery = send_code(
        backend, pool, user, name, code,
        purpose="verify_attribute", operation="GetUserAttributeVerificationCode",
        destination=destination,
    )  # fmt: skip
    return {"CodeDeliveryDetails": delivery}


@operation("VerifyUserAttribute")
def verify_user_attribute(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = _caller(backend, request)
    name = _verifiable(request["AttributeName"])
    now = backend.clock.now()
    codes_before = dict(user.codes)
    consume_code(user, "verify_attribute", request["Code"], now, attribute=name)
    value = user.pending.get(name) or user.attributes.get(name)
    updated = {**user.attributes, VERIFIED_FLAG[name]: "true"}
    if value:
        updated[name] = value
    try:
        if not value:  # the value was deleted since the code was sent
            raise InvalidParameterException(NO_VALUE[name])
        check_identifiers(pool, user.copy(updated))
    except ServiceError:
        user.codes.clear()  # a refused verification leaves the code usable
        user.codes.update(codes_before)
        raise
    user.attributes = updated
    user.pending.pop(name, None)
    user.modified = now
    index_aliases(pool, user)  # re-indexes the alias and touches the ListUsers index
    return {}
