"""The administrative user operations (Admin* on one user, AddCustomAttributes): create, read,
delete, enable/disable, attributes, passwords, confirmation."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.attribute_updates import (
    apply_attribute_update,
    delete_attributes,
)
from cognito_mock.backend.directory.passwords import (
    check_password,
    generate_temporary_password,
    set_password,
)
from cognito_mock.backend.directory.users import (
    create_user,
    delete_user,
    mfa_settings,
    recovery_attribute,
    require_user,
    user_type,
)
from cognito_mock.backend.directory.views import checked_attributes
from cognito_mock.backend.hooks.events import post_confirmation, pre_sign_up
from cognito_mock.backend.hooks.messages import send_code, send_invitation
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.attributes import (
    check_attributes,
    custom_attribute,
)
from cognito_mock.backend.kernel.codes import issue_code
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    ServiceError,
    UnsupportedUserStateException,
)

__all__: list[str] = []

MAX_CUSTOM_ATTRIBUTES = 50


@operation("AdminCreateUser")
@with_caller
def admin_create_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    action = request.get("MessageAction")
    mediums = request.get("DesiredDeliveryMediums") or ["SMS"]
    password = request.get("TemporaryPassword")
    if password is not None:
        check_password(pool, password, admin=True)
    else:
        password = generate_temporary_password(pool, backend.ids)
    now = backend.clock.now()
    if action == "RESEND":
        user = require_user(pool, request["Username"])
        if user.status != "FORCE_CHANGE_PASSWORD":
            raise UnsupportedUserStateException(f"User status is {user.status}")
    else:
        values = check_attributes(
            pool.schema, request.get("UserAttributes", []), developer=True, creating=True
        )
        # PreSignUp runs before the user exists; its response is ignored for AdminCreateUser.
        pre_sign_up(
            backend, pool, "PreSignUp_AdminCreateUser", request["Username"], values, request
        )
        # Required attributes may be missing: the user gives them at the first sign-in, whose
        # NEW_PASSWORD_REQUIRED challenge lists them in requiredAttributes (developer guide).
        user = create_user(
            backend, pool, request["Username"], values,
            status="FORCE_CHANGE_PASSWORD", exists_message="User account already exists",
            now=now, force_alias=bool(request.get("ForceAliasCreation")),
            require_attributes=False,
        )  # fmt: skip
    set_password(pool, user, password, now)
    user.modified = now
    if action != "SUPPRESS":
        try:
            send_invitation(backend, pool, user, password, mediums, "AdminCreateUser")
        except ServiceError:  # a CustomMessage trigger failed: a new user is taken back
            if action != "RESEND":
                delete_user(pool, user)
            raise
    return {"User": user_type(user)}


@operation("AdminGetUser")
def admin_get_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    result = user_type(user)
    # The same view under AdminGetUser's name.
    result["UserAttributes"] = checked_attributes(pool.users, user, result.pop("Attributes"))
    result.update(mfa_settings(user))
    return result


@operation("AdminDeleteUser")
def admin_delete_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    delete_user(pool, require_user(pool, request["Username"]))
    return {}


@operation("AdminDisableUser")
def admin_disable_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:

    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    user.enabled = False
    user.modified = backend.clock.now()
    user.revoke_tokens()  # the service revokes the user's tokens on disable
    pool.users.touch(user)
    return {}


@operation("AdminEnableUser")
def admin_enable_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    user = require_user(backend.pool(request["UserPoolId"]), request["Username"])
    user.enabled = True
    user.modified = backend.clock.now()
    backend.pool(request["UserPoolId"]).users.touch(user)
    return {}


@operation("AdminUpdateUserAttributes")
@with_caller
def admin_update_user_attributes(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    values = check_attributes(
        pool.schema, request["UserAttributes"], developer=True, creating=False
    )
    apply_attribute_update(backend, pool, user, values, operation_name="AdminUpdateUserAttributes")
    return {}


@operation("AdminDeleteUserAttributes")
def admin_delete_user_attributes(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    delete_attributes(backend, pool, user, request["UserAttributeNames"])
    return {}


@operation("AddCustomAttributes")
def add_custom_attributes(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    existing = {a["Name"] for a in pool.schema}
    added = [custom_attribute(spec) for spec in request["CustomAttributes"]]
    names = [a["Name"] for a in added]
    for name in names:
        if name in existing or names.count(name) > 1:
            raise InvalidParameterException(f"Existing attribute already has name {name}.")
    custom_count = sum(1 for name in existing if "custom:" in name)
    if custom_count + len(added) > MAX_CUSTOM_ATTRIBUTES:
        raise InvalidParameterException(
            f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
        )
    pool.schema.extend(added)
    pool.modified = backend.clock.now()
    return {}


@operation("AdminSetUserPassword")
def admin_set_user_password(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    password = request["Password"]
    check_password(pool, password, user, admin=True)
    now = backend.clock.now()
    set_password(pool, user, password, now)
    user.status = "CONFIRMED" if request.get("Permanent") else "FORCE_CHANGE_PASSWORD"
    pool.users.touch(user)
    user.modified = now
    return {}


@operation("AdminResetUserPassword")
@with_caller
def admin_reset_user_password(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    if user.status == "FORCE_CHANGE_PASSWORD":
        raise NotAuthorizedException("User password cannot be reset in the current state.")
    if not user.enabled:  # as ForgotPassword refuses it
        raise NotAuthorizedException("User is disabled.")
    attribute = recovery_attribute(pool, user)
    if attribute is None:
        raise InvalidParameterException(
            "Cannot reset password for the user as there is no registered/verified email or "
            "phone_number"
        )
    now = backend.clock.now()
    code = issue_code(user, "forgot_password", backend.ids, now)
    send_code(
        backend, pool, user, attribute, code,
        purpose="forgot_password", operation="AdminResetUserPassword",
    )  # fmt: skip
    user.status = "RESET_REQUIRED"
    user.modified = now
    user.revoke_tokens()  # the old password and its sessions stop working
    pool.users.touch(user)
    return {}


@operation("AdminConfirmSignUp")
@with_caller
def admin_confirm_sign_up(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    if user.status != "UNCONFIRMED":
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status}")
    user.status = "CONFIRMED"
    user.codes.pop("confirm_sign_up", None)
    pool.users.touch(user)
    user.modified = backend.clock.now()
    post_confirmation(backend, pool, user, "PostConfirmation_ConfirmSignUp")
    return {}
