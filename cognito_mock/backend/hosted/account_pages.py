"""The self-service pages: sign-up (with the pool's required attributes), the confirmation code,
a new code, forgot password and the reset with its code. Each runs the same logic as SignUp,
ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword."""

from __future__ import annotations

from cognito_mock.backend.accounts.recovery import finish_recovery, start_recovery
from cognito_mock.backend.accounts.signup import confirm_registration, register, resend_confirmation
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.hosted.authorize import AuthorizeRequest
from cognito_mock.backend.hosted.login import after_step, login_page
from cognito_mock.backend.hosted.pages import PageResponse, redirect
from cognito_mock.backend.hosted.signin import password_sign_in
from cognito_mock.backend.hosted.visit import Visit
from cognito_mock.errors import ServiceError

__all__ = [
    "confirm_page",
    "confirm_submit",
    "forgot_page",
    "forgot_submit",
    "resend_code",
    "reset_submit",
    "signup_page",
    "signup_submit",
]

_NOT_ON_FORM = frozenset({"sub", "email_verified", "phone_number_verified", "identities"})


def _signup_fields(visit: Visit) -> list[str]:
    """The pool's required attributes, except what the username already is."""
    given_as_username = set(visit.pool.username_attributes)
    return [
        a["Name"]
        for a in visit.pool.schema
        if a.get("Required") and a["Name"] not in _NOT_ON_FORM | given_as_username
    ]


def signup_page(visit: Visit, auth: AuthorizeRequest, *, error: str | None = None) -> PageResponse:
    return visit.page(
        "signup", auth, status=400 if error else 200, error=error, fields=_signup_fields(visit),
        values={k: v for k, v in visit.form.items() if k not in ("password", "_csrf")},
        action=visit.url("/signup", auth),
    )  # fmt: skip


def signup_submit(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    visit.check_csrf()
    form = visit.form
    username, password = form.get("username", "").strip(), form.get("password", "")
    attributes = [
        {"Name": name, "Value": form[name].strip()}
        for name in _signup_fields(visit)
        if form.get(name, "").strip()
    ]
    request = {
        "ClientId": auth.client_id, "Username": username, "Password": password,
        "UserAttributes": attributes,
    }  # fmt: skip
    backend, pool, client = visit.backend, visit.pool, auth.client
    try:
        result = register(backend, pool, client, request)
        if not result["UserConfirmed"]:
            return redirect(visit.url("/confirm", auth, username=username))
        signed_in = password_sign_in(backend, pool, client, username, password)
    except ServiceError as error:
        return signup_page(visit, auth, error=error.message)
    return after_step(visit, auth, signed_in, username)


def confirm_page(
    visit: Visit,
    auth: AuthorizeRequest,
    *,
    error: str | None = None,
    message: str | None = None,
) -> PageResponse:
    username = visit.form.get("username") or visit.query.get("username", "")
    return visit.page(
        "confirm", auth, status=400 if error else 200, error=error, message=message,
        username=username, action=visit.url("/confirm", auth, username=username),
        resend=visit.url("/resendcode", auth, username=username),
    )  # fmt: skip


def confirm_submit(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    visit.check_csrf()
    username = visit.form.get("username", "")
    request = {"Username": username, "ConfirmationCode": visit.form.get("code", "").strip()}
    user = find_user(visit.pool, username)
    try:
        confirm_registration(visit.backend, visit.pool, auth.client, user, request)
    except ServiceError as error:
        return confirm_page(visit, auth, error=error.message)
    return login_page(visit, auth, message="Your account is confirmed. Sign in to continue.")


def resend_code(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    username = visit.query.get("username", "")
    user = find_user(visit.pool, username)
    try:
        result = resend_confirmation(
            visit.backend, visit.pool, auth.client, user, {"Username": username}
        )
    except ServiceError as error:
        return confirm_page(visit, auth, error=error.message)
    sent = result["CodeDeliveryDetails"]["Destination"]
    return confirm_page(visit, auth, message=f"A new code was sent to {sent}.")


def forgot_page(visit: Visit, auth: AuthorizeRequest, *, error: str | None = None) -> PageResponse:
    return visit.page(
        "forgot", auth, status=400 if error else 200, error=error,
        username=visit.form.get("username", ""), action=visit.url("/forgotPassword", auth),
    )  # fmt: skip


def _reset_page(
    visit: Visit, auth: AuthorizeRequest, username: str, *, error: str | None = None,
    sent: str | None = None,
) -> PageResponse:  # fmt: skip
    return visit.page(
        "reset", auth, status=400 if error else 200, error=error, username=username, sent=sent,
        action=visit.url("/confirmForgotPassword", auth),
    )  # fmt: skip


def forgot_submit(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    visit.check_csrf()
    username = visit.form.get("username", "").strip()
    user = find_user(visit.pool, username)
    try:
        result = start_recovery(
            visit.backend, visit.pool, auth.client, user, {"Username": username}
        )
    except ServiceError as error:
        return forgot_page(visit, auth, error=error.message)
    sent = result["CodeDeliveryDetails"]["Destination"]
    return _reset_page(visit, auth, username, sent=sent)


def reset_page(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    return _reset_page(visit, auth, visit.query.get("username", ""))


def reset_submit(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    visit.check_csrf()
    form = visit.form
    username = form.get("username", "")
    if form.get("password", "") != form.get("confirm", form.get("password", "")):
        return _reset_page(visit, auth, username, error="The passwords do not match.")
    request = {
        "Username": username, "ConfirmationCode": form.get("code", "").strip(),
        "Password": form.get("password", ""),
    }  # fmt: skip
    user = find_user(visit.pool, username)
    try:
        finish_recovery(visit.backend, visit.pool, auth.client, user, request)
    except ServiceError as error:
        return _reset_page(visit, auth, username, error=error.message)
    return login_page(visit, auth, message="Your password was changed. Sign in to continue.")
