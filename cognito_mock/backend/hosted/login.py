"""`/oauth2/authorize`, the sign-in page (`/login`) and the challenge pages that may follow it
(new password, MFA code, MFA choice, TOTP setup): each form answers one step of the sign-in."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from cognito_mock.backend.accounts.signup import resend_confirmation
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.hosted.authorize import AuthorizeRequest, parse_authorize, to_app
from cognito_mock.backend.hosted.federation import start_federation
from cognito_mock.backend.hosted.pages import PageResponse, Respond, redirect
from cognito_mock.backend.hosted.signin import (
    answer_challenge,
    password_sign_in,
    start_totp_setup,
    verify_totp_setup,
)
from cognito_mock.backend.hosted.visit import Visit
from cognito_mock.errors import (
    InvalidLambdaResponseException,
    OAuthError,
    PasswordResetRequiredException,
    ServiceError,
    UnexpectedLambdaException,
    UserLambdaValidationException,
    UserNotConfirmedException,
)

__all__ = ["authorize", "challenge_submit", "login_page", "login_submit"]

_TRIGGER_ERRORS = (
    UserLambdaValidationException, UnexpectedLambdaException, InvalidLambdaResponseException,
)  # fmt: skip
# Challenge -> (page template, the form path that answers it).
CHALLENGE_PAGES = {
    "SOFTWARE_TOKEN_MFA": ("mfa", "/mfa"),
    "SMS_MFA": ("mfa", "/mfa"),
    "EMAIL_OTP": ("mfa", "/mfa"),
    "SELECT_MFA_TYPE": ("select_mfa", "/mfa"),
    "MFA_SETUP": ("mfa_setup", "/mfaSetup"),
    "NEW_PASSWORD_REQUIRED": ("new_password", "/newPassword"),
}
_MFA_LABELS = {
    "SOFTWARE_TOKEN_MFA": "Authenticator app",
    "SMS_MFA": "Text message (SMS)",
    "EMAIL_OTP": "Email",
}


def authorize(visit: Visit) -> PageResponse:
    """GET /oauth2/authorize: a silent code for a signed-in browser (SSO), the IdP for
    `identity_provider`, else the sign-in page."""
    auth = parse_authorize(visit.pool, visit.query)
    try:
        visit.fault("/oauth2/authorize", dict(visit.query))  # once the redirect URI is trusted
    except OAuthError as error:
        raise to_app(auth.redirect_uri, error.error, auth.state) from None
    if auth.provider is not None:
        return start_federation(visit, auth)
    reused = visit.reusable(auth)
    if reused is not None:
        return visit.finish(auth, reused[1], reused=reused[0])
    if auth.prompt == "none":
        raise to_app(auth.redirect_uri, "login_required", auth.state)
    return redirect(visit.url("/login", auth))


def login_page(
    visit: Visit, auth: AuthorizeRequest, *, error: str | None = None, message: str | None = None
) -> PageResponse:
    """The sign-in form; a signed-in browser is offered to continue as its user."""
    found = visit.session() if auth.prompt != "login" else None
    current = found[1].username if found is not None else None
    shown = found[1].attributes.get("email", current) if found is not None else None
    return visit.page(
        "login", auth, status=400 if error else 200, error=error, message=message,
        action=visit.url("/login", auth), current=shown,
    )  # fmt: skip


def _trigger_failure(auth: AuthorizeRequest, error: ServiceError) -> Respond:
    # The service sends trigger failures to the app (`error_description`, fact sheet 11.4).
    return to_app(auth.redirect_uri, "invalid_request", auth.state, error.message)


def login_submit(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    visit.check_csrf()
    form = visit.form
    if form.get("continue"):
        found = visit.session()
        if found is not None:
            return visit.finish(auth, found[1], reused=found[0])
        return login_page(visit, auth)
    username, password = form.get("username", "").strip(), form.get("password", "")
    if not username or not password:
        return login_page(visit, auth, error="Please enter your username and password.")
    backend, pool = visit.backend, visit.pool
    try:
        result = password_sign_in(backend, pool, auth.client, username, password)
    except UserNotConfirmedException:
        user = find_user(pool, username)
        try:
            resend_confirmation(backend, pool, auth.client, user, {"Username": username})
        except ServiceError as error:
            return login_page(visit, auth, error=error.message)
        return redirect(visit.url("/confirm", auth, username=username))
    except PasswordResetRequiredException as error:
        return visit.page(
            "forgot", auth, error=error.message, action=visit.url("/forgotPassword", auth),
            username=username,
        )  # fmt: skip
    except _TRIGGER_ERRORS as error:
        raise _trigger_failure(auth, error) from None
    except ServiceError as error:
        return login_page(visit, auth, error=error.message)
    return after_step(visit, auth, result, username)


def after_step(
    visit: Visit, auth: AuthorizeRequest, result: dict[str, Any], username: str
) -> PageResponse:
    """Where a sign-in step led: the app (signed in), or the next challenge's page."""
    if "SignedIn" in result:
        user = visit.pool.users.get(result["SignedIn"])
        if user is None:  # pragma: no cover - the pipeline just signed this user in
            return visit.error_page()
        return visit.finish(auth, user)
    return challenge_page(visit, auth, result, username)


def challenge_page(
    visit: Visit,
    auth: AuthorizeRequest,
    result: dict[str, Any],
    username: str,
    *,
    error: str | None = None,
) -> PageResponse:
    name = result["ChallengeName"]
    if name not in CHALLENGE_PAGES:
        return login_page(visit, auth, error=f"The sign-in step {name} is not supported here.")
    template, path = CHALLENGE_PAGES[name]
    parameters = result.get("ChallengeParameters") or {}
    extra: dict[str, Any] = {}
    session = result["Session"]
    if name == "SELECT_MFA_TYPE":
        choices = json.loads(parameters.get("MFAS_CAN_CHOOSE", "[]"))
        extra["choices"] = [(c, _MFA_LABELS.get(c, c)) for c in choices]
    elif name == "MFA_SETUP":
        if "SOFTWARE_TOKEN_MFA" not in json.loads(parameters.get("MFAS_CAN_SETUP", "[]")):
            return login_page(visit, auth, error="Multi-factor authentication setup is required.")
        if "secret" in result:
            extra["secret"] = result["secret"]
        else:
            secret, session = start_totp_setup(visit.backend, visit.pool, auth.client, session)
            extra["secret"] = secret
        label = quote(f"{visit.pool.name}:{username}")
        extra["otpauth"] = f"otpauth://totp/{label}?secret={extra['secret']}&issuer=" + quote(
            visit.pool.name
        )
    elif name == "NEW_PASSWORD_REQUIRED":
        required = json.loads(parameters.get("requiredAttributes", "[]"))
        extra["required"] = [a.removeprefix("userAttributes.") for a in required]
    else:
        extra["destination"] = parameters.get("CODE_DELIVERY_DESTINATION")
        extra["factor"] = _MFA_LABELS.get(name, name)
    hidden = {k: v for k, v in parameters.items() if k in _KEPT}
    if "secret" in extra:
        hidden["secret"] = extra["secret"]
    return visit.page(
        template, auth, status=400 if error else 200, error=error, challenge=name,
        session=session, username=username, action=visit.url(path, auth), hidden=hidden,
        **extra,
    )  # fmt: skip


def challenge_submit(visit: Visit, auth: AuthorizeRequest, path: str) -> PageResponse:
    """A challenge page's form: its answer goes to the challenge's handler."""
    visit.check_csrf()
    form = visit.form
    name, session, username = (
        form.get("challenge", ""),
        form.get("session", ""),
        form.get("username", ""),
    )
    if name not in CHALLENGE_PAGES or CHALLENGE_PAGES[name][1].lower() != path:
        return visit.error_page(400, "invalid_request")
    backend, pool, client = visit.backend, visit.pool, auth.client
    responses: dict[str, str] = {}
    if name in ("SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"):
        key = {"SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE", "SMS_MFA": "SMS_MFA_CODE"}
        responses[key.get(name, "EMAIL_OTP_CODE")] = form.get("code", "").strip()
    elif name == "SELECT_MFA_TYPE":
        responses["ANSWER"] = form.get("mfa", "")
    elif name == "NEW_PASSWORD_REQUIRED":
        responses["NEW_PASSWORD"] = form.get("password", "")
        for field, value in form.items():
            if field.startswith("userAttributes.") and value:
                responses[field] = value
    try:
        if name == "MFA_SETUP":
            result = verify_totp_setup(
                backend, pool, client, session, username, form.get("code", "").strip(),
                form.get("deviceName") or None,
            )  # fmt: skip
        else:
            result = answer_challenge(backend, pool, client, name, session, username, responses)
    except _TRIGGER_ERRORS as error:
        raise _trigger_failure(auth, error) from None
    except ServiceError as error:
        if error.code in ("CodeMismatchException", "EnableSoftwareTokenMFAException",
                          "InvalidPasswordException", "InvalidParameterException",
                          "ExpiredCodeException", "MFAMethodNotFoundException"):  # fmt: skip
            # A wrong answer leaves the session usable: the same page again, with the error.
            again = {"ChallengeName": name, "Session": session,
                     "ChallengeParameters": _parameters(form), "secret": form.get("secret")}  # fmt: skip
            if name != "MFA_SETUP":
                again.pop("secret")
            return challenge_page(visit, auth, again, username, error=error.message)
        return login_page(visit, auth, error=error.message)
    return after_step(visit, auth, result, username)


# ChallengeParameters a page keeps in hidden fields, to show itself again after a wrong answer.
_KEPT = ("MFAS_CAN_CHOOSE", "MFAS_CAN_SETUP", "requiredAttributes", "CODE_DELIVERY_DESTINATION")


def _parameters(form: dict[str, str]) -> dict[str, str]:
    return {key: form[key] for key in _KEPT if key in form}
