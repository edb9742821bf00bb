"""One request to a user pool domain: the path's handler (pages, `/oauth2/authorize`,
`/oauth2/idpresponse`, `/logout`, `/error`), with the authorize parameters checked first for every
page that carries them; the entry point the façade calls under the mock's lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.hosted import account_pages as accounts
from cognito_mock.backend.hosted.authorize import AuthorizeRequest, error_page_url, parse_authorize
from cognito_mock.backend.hosted.federation import idp_response
from cognito_mock.backend.hosted.login import (
    authorize,
    challenge_submit,
    login_page,
    login_submit,
)
from cognito_mock.backend.hosted.pages import (
    PageRequest,
    PageResponse,
    Respond,
    add_query,
    redirect,
)
from cognito_mock.backend.hosted.visit import ERROR_TEXT, FaultHook, Visit
from cognito_mock.backend.kernel import guards
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import DOMAIN_ENDPOINTS, OAuthError, ServiceError

__all__ = ["PAGE_PATHS", "answer", "unknown_domain"]

Page = Callable[[Visit, AuthorizeRequest], PageResponse]
# (method, lowercased path) -> the handler of a page that carries the authorize parameters.
_PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/login"): login_page,
    ("POST", "/login"): login_submit,
    ("GET", "/signup"): accounts.signup_page,
    ("POST", "/signup"): accounts.signup_submit,
    ("GET", "/confirm"): accounts.confirm_page,
    ("POST", "/confirm"): accounts.confirm_submit,
    ("GET", "/resendcode"): accounts.resend_code,
    ("GET", "/forgotpassword"): accounts.forgot_page,
    ("POST", "/forgotpassword"): accounts.forgot_submit,
    ("GET", "/confirmforgotpassword"): accounts.reset_page,
    ("POST", "/confirmforgotpassword"): accounts.reset_submit,
    ("POST", "/mfa"): lambda visit, auth: challenge_submit(visit, auth, "/mfa"),
    ("POST", "/mfasetup"): lambda visit, auth: challenge_submit(visit, auth, "/mfasetup"),
    ("POST", "/newpassword"): lambda visit, auth: challenge_submit(visit, auth, "/newpassword"),
}
_FAULT_NAMES = {path.lower(): path for path in DOMAIN_ENDPOINTS}
PAGE_PATHS = frozenset(path for _, path in _PAGES) | {
    "/oauth2/authorize", "/oauth2/idpresponse", "/logout", "/error",
}  # fmt: skip


# (method, lowercased path) -> the operation whose pool-wide guards (a secondary replica, a
# recovery's write pause) and history recorder a page runs, as that operation's call would.
_OPERATIONS = {
    ("GET", "/oauth2/authorize"): "InitiateAuth",
    ("GET", "/oauth2/idpresponse"): "InitiateAuth",
    ("POST", "/login"): "InitiateAuth",
    ("POST", "/signup"): "SignUp",
    ("POST", "/confirm"): "ConfirmSignUp",
    ("GET", "/resendcode"): "ResendConfirmationCode",
    ("POST", "/forgotpassword"): "ForgotPassword",
    ("POST", "/confirmforgotpassword"): "ConfirmForgotPassword",
    ("POST", "/mfa"): "RespondToAuthChallenge",
    ("POST", "/mfasetup"): "RespondToAuthChallenge",
    ("POST", "/newpassword"): "RespondToAuthChallenge",
}


def _guard(visit: Visit, method: str, path: str) -> None:
    """The guards and recorder of the operation a page stands for (kernel/guards.py)."""
    operation = _OPERATIONS.get((method, path))
    if operation is None:
        return
    form, query = visit.form, visit.query
    request: dict[str, Any] = {"ClientId": query.get("client_id", "")}
    username = form.get("username") or query.get("username")
    if username:
        request["Username"] = username
    if operation == "RespondToAuthChallenge":
        request["ChallengeName"] = form.get("challenge", "")
        request["ChallengeResponses"] = {"USERNAME": username or ""}
    guards.before(visit.backend, operation, request)


def unknown_domain() -> PageResponse:
    """A host that is no pool's domain."""
    return PageResponse(404, page="error", context={"message": ERROR_TEXT, "code": "not_found"})


def _logout(visit: Visit) -> PageResponse:
    """GET /logout: `client_id` with a registered `logout_uri`, or the authorize parameters
    (back to the sign-in page); either way the domain's session ends."""
    query = visit.query
    client = visit.pool.clients.get(query.get("client_id", ""))
    if client is None:
        return redirect(error_page_url("invalid_request"))
    logout_uri = query.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.settings.get("LogoutURLs") or []):
            # The service sends the browser to /login, which refuses these parameters (400).
            return redirect(add_query("/login", {"client_id": client.client_id}))
        visit.end_session()
        return redirect(logout_uri)
    auth = parse_authorize(visit.pool, query)  # redirect_uri + response_type: sign in again
    visit.end_session()
    return redirect(visit.url("/login", auth))


def _route(visit: Visit) -> PageResponse:
    request = visit.request
    path, method = request.path.rstrip("/").lower() or "/", request.method.upper()
    if method == "HEAD":
        method = "GET"
    if path == "/error" and method == "GET":
        return visit.error_page(400, visit.query.get("error"))
    try:
        _guard(visit, method, path)
    except ServiceError as error:  # the pool refuses this operation here (replica, recovery)
        refused = visit.error_page(400, error.code)
        refused.context["message"] = error.message
        return refused
    if path == "/oauth2/authorize" and method == "GET":
        return authorize(visit)
    if path == "/oauth2/idpresponse" and method in ("GET", "POST"):
        return idp_response(visit)
    if path == "/logout" and method == "GET":
        return _logout(visit)
    handler = _PAGES.get((method, path))
    if handler is None:
        known = path in PAGE_PATHS
        return visit.error_page(405 if known else 404, "invalid_request")
    auth = parse_authorize(visit.pool, visit.query)
    if auth.provider is not None and path == "/login":
        return redirect(visit.url("/oauth2/authorize", auth))
    return handler(visit, auth)


def answer(
    backend: Backend, pool: UserPool, request: PageRequest, fault: FaultHook
) -> PageResponse:
    """The answer to one request to `pool`'s domain. The fault hook runs per path (`/login`,
    ...); `/oauth2/authorize` runs it once its redirect URI is trusted."""
    visit = Visit(backend, pool, request, fault)

    def run(_: Backend, params: dict[str, Any]) -> dict[str, Any]:
        try:
            path = _FAULT_NAMES.get(request.path.rstrip("/").lower())
            if path is not None and path != "/oauth2/authorize":
                fault(path, dict(request.form or request.query))
            return {"answer": _route(visit)}
        except Respond as stop:
            return {"answer": stop.response}
        except OAuthError as error:  # an injected fault: the domain's error page
            return {"answer": visit.error_page(error.status, error.error)}

    result: PageResponse = with_caller(run)(backend, {"ClientId": request.query.get("client_id")})[
        "answer"
    ]
    return visit.respond(result)
