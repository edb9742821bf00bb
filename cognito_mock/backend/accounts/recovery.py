"""Self-service password recovery: ForgotPassword and ConfirmForgotPassword."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.accounts.signup import NOT_FOUND, client_and_pool, simulated_delivery
from cognito_mock.backend.directory.migration import migrate_user
from cognito_mock.backend.directory.passwords import check_password, set_password
from cognito_mock.backend.directory.users import recovery_attribute, recovery_order
from cognito_mock.backend.hooks.events import post_confirmation
from cognito_mock.backend.hooks.messages import send_code
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.attributes import VERIFIED_FLAG
from cognito_mock.backend.kernel.codes import consume_code, issue_code
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import hides_user_existence
from cognito_mock.errors import (
    CodeMismatchException,
    InvalidParameterException,
    NotAuthorizedException,
    UserNotFoundException,
)

__all__ = ["finish_recovery", "start_recovery"]

_NO_CHANNEL = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
_ADMIN_ONLY = "Self-service password recovery is disabled for this user pool."
_DISABLED = "User is disabled."
_CANNOT_RESET = "User password cannot be reset in the current state."
_MISMATCH = "Invalid verification code provided, please try again."


def _simulated(pool: UserPool, username: str) -> dict[str, Any]:
    # The medium follows the username's format, else the pool's recovery order, restricted to
    # the attributes the pool verifies when it verifies any of them.
    order = [a for a in recovery_order(pool)[0] if a in VERIFIED_FLAG]
    verified = [a for a in order if a in pool.auto_verified]
    preferred = (verified or order or ["email"])[0]
    return {"CodeDeliveryDetails": simulated_delivery(username, preferred)}


@operation("ForgotPassword")
@with_caller
def forgot_password(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client, user = client_and_pool(backend, request)
    return start_recovery(backend, pool, client, user, request)


def start_recovery(
    backend: Backend, pool: UserPool, client: AppClient, user: User | None, request: dict[str, Any]
) -> dict[str, Any]:
    """ForgotPassword for the user `Username` names; also the forgot-password page's."""
    hide = hides_user_existence(client)
    if user is None:  # the UserMigration trigger may know the user
        user = migrate_user(backend, pool, request["Username"], None)
    if user is None:
        if hide:
            return _simulated(pool, request["Username"])
        raise UserNotFoundException(NOT_FOUND)
    if recovery_order(pool)[0] == ["admin_only"]:
        raise NotAuthorizedException(_ADMIN_ONLY)
    if user.status == "FORCE_CHANGE_PASSWORD":
        raise NotAuthorizedException(_CANNOT_RESET)
    attribute = recovery_attribute(pool, user)
    # With ENABLED, disabled users and users without a channel get the unknown-user answer.
    if not user.enabled:
        if hide:
            return _simulated(pool, request["Username"])
        raise NotAuthorizedException(_DISABLED)
    if attribute is None:
        if hide:
            return _simulated(pool, request["Username"])
        raise InvalidParameterException(_NO_CHANNEL)
    # CustomMessage trigger (CustomMessage_ForgotPassword) belongs to the triggers concern.
    code = issue_code(user, "forgot_password", backend.ids, backend.clock.now(), attribute)
    delivery = send_code(
        backend, pool, user, attribute, code, purpose="forgot_password", operation="ForgotPassword"
    )
    return {"CodeDeliveryDetails": delivery}


@operation("ConfirmForgotPassword")
@with_caller
def confirm_forgot_password(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client, user = client_and_pool(backend, request)
    return finish_recovery(backend, pool, client, user, request)


def finish_recovery(
    backend: Backend, pool: UserPool, client: AppClient, user: User | None, request: dict[str, Any]
) -> dict[str, Any]:
    """ConfirmForgotPassword for the user `Username` names; also the reset page's."""
    hide = hides_user_existence(client)
    if user is None:
        if hide:
            raise CodeMismatchException(_MISMATCH)
        raise UserNotFoundException(NOT_FOUND)
    if not user.enabled:
        if hide:
            raise CodeMismatchException(_MISMATCH)
        raise NotAuthorizedException(_DISABLED)
    password = request["Password"]
    # Policy and history first: a rejected password must not spend the code.
    check_password(pool, password, user)
    now = backend.clock.now()
    consume_code(user, "forgot_password", request["ConfirmationCode"], now)
    set_password(pool, user, password, now)
    # The code reached a verified email/phone, so an UNCONFIRMED user ends CONFIRMED as well.
    user.status = "CONFIRMED"
    user.modified = now
    pool.users.touch(user)  # the ListUsers indexes follow status changes
    # A reset password ends every session: refresh and access tokens issued so far stop working.
    user.revoke_tokens()
    post_confirmation(backend, pool, user, "PostConfirmation_ConfirmForgotPassword")
    return {}
