"""One request to a user pool domain as every page sees it: the CSRF double-submit cookie, the
sign-in session cookie (SSO across the pool's clients), the data every page shows (client,
branding, providers), and the end of a sign-in (a code or tokens for the app, a session)."""

from __future__ import annotations

import base64
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.hosted.authorize import COGNITO, AuthorizeRequest, carried
from cognito_mock.backend.hosted.pages import (
    Cookie,
    PageRequest,
    PageResponse,
    Respond,
    add_query,
    page,
    redirect,
)
from cognito_mock.backend.hosted.state import SESSION_SECONDS, SsoSession, hosted_state, new_token
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.branding import branding_for_client
from cognito_mock.backend.tokens.authorization_codes import Grant, implicit_tokens, issue_code
from cognito_mock.backend.tokens.tracked_sessions import sso_validity_minutes

__all__ = ["CSRF_COOKIE", "ERROR_TEXT", "SESSION_COOKIE", "FaultHook", "Visit"]

FaultHook = Callable[[str, dict[str, Any]], None]
SESSION_COOKIE = "cognito"  # the session cookie's name (unverified; the one commonly seen)
CSRF_COOKIE = "XSRF-TOKEN"  # double submit: the `_csrf` field must repeat it (fact sheet 2, 1.3)
ERROR_TEXT = "An error was encountered with the requested page."
_LOGO_CATEGORIES = ("FORM_LOGO", "PAGE_HEADER_LOGO", "PAGE_FOOTER_LOGO")
_MIME = {"png": "image/png", "jpg": "image/jpeg", "PNG": "image/png", "JPEG": "image/jpeg",
         "SVG": "image/svg+xml", "WEBP": "image/webp", "ICO": "image/x-icon"}  # fmt: skip


@dataclass
class Visit:
    backend: Backend
    pool: UserPool
    request: PageRequest
    fault: FaultHook
    cookies: list[Cookie] = field(default_factory=list)  # set on whatever the answer is

    @property
    def form(self) -> dict[str, str]:
        return self.request.form

    @property
    def query(self) -> dict[str, str]:
        return self.request.query

    def now(self) -> float:
        return self.backend.clock.now()

    # -- answers ------------------------------------------------------------------------------

    def respond(self, response: PageResponse) -> PageResponse:
        response.cookies[:0] = self.cookies
        return response

    def error_page(self, status: int = 400, error: str | None = None) -> PageResponse:
        return page("error", status, message=ERROR_TEXT, code=error, **self.branding(None))

    def page(
        self, name: str, auth: AuthorizeRequest, status: int = 200, **extra: Any
    ) -> PageResponse:
        return page(name, status, **self.context(auth), **extra)

    # -- CSRF ---------------------------------------------------------------------------------

    def csrf(self) -> str:
        """The double-submit token: the browser's cookie, or a new one set with this answer."""
        token = self.request.cookies.get(CSRF_COOKIE, "")
        if len(token) != 36:
            token = self.backend.ids.uuid4()
            self.cookies.append(Cookie(CSRF_COOKIE, token, http_only=False))
        return token

    def check_csrf(self) -> None:
        """A form post must repeat the cookie's token in `_csrf` (403 otherwise)."""
        cookie = self.request.cookies.get(CSRF_COOKIE, "")
        given = self.form.get("_csrf", "")
        if not cookie or not hmac.compare_digest(cookie.encode(), given.encode()):
            raise Respond(self.error_page(403, "invalid_csrf"))

    # -- what every page shows ----------------------------------------------------------------

    def branding(self, client_id: str | None) -> dict[str, Any]:
        """The UI customization (CSS, logo) of the client, else of the pool; and the managed
        login branding's logo where the client has a style."""
        store = self.pool.ui_customization
        found = (store.get(client_id) if client_id else None) or store.get("ALL") or {}
        css = str(found.get("CSS") or "")
        logo = None
        if found.get("_image"):
            kind = str(found.get("ImageUrl", "image.png")).rsplit(".", 1)[-1]
            logo = _data_url(_MIME.get(kind, "image/png"), found["_image"])
        style = branding_for_client(self.pool, client_id) if client_id else None
        if style is not None and logo is None:
            for asset in style.assets:
                if asset["Category"] in _LOGO_CATEGORIES and asset.get("Bytes"):
                    raw = base64.b64decode(asset["Bytes"])
                    logo = _data_url(_MIME.get(asset["Extension"], "image/png"), raw)
                    break
        return {"custom_css": css, "logo": logo, "pool_name": self.pool.name}

    def context(self, auth: AuthorizeRequest) -> dict[str, Any]:
        client = auth.client
        supported = client.settings.get("SupportedIdentityProviders") or []
        providers = [
            {"name": name, "url": add_query("/oauth2/authorize", {**auth.query, "identity_provider": name})}
            for name in supported
            if name != COGNITO and name in self.pool.identity_providers
        ]  # fmt: skip
        admin_only = (self.pool.settings.get("AdminCreateUserConfig") or {}).get(
            "AllowAdminCreateUserOnly"
        )
        kinds = self.pool.username_attributes
        label = "Username"
        if kinds:
            label = " or ".join("Email" if k == "email" else "Phone number" for k in kinds)
        return {
            "query": auth.query,
            "client_name": client.name,
            "csrf": self.csrf(),
            "providers": providers,
            "native": COGNITO in supported,
            "signup": not admin_only,
            "username_label": label,
            **self.branding(client.client_id),
        }

    def url(self, path: str, auth: AuthorizeRequest, **extra: str) -> str:
        return add_query(path, carried(auth, **extra))

    # -- sign-in sessions ---------------------------------------------------------------------

    def session(self) -> tuple[SsoSession, User] | None:
        """The browser's live sign-in session of this pool and its (enabled) user."""
        sid = self.request.cookies.get(SESSION_COOKIE, "")
        sessions = hosted_state(self.pool).sessions
        found = sessions.get(sid) if sid else None
        if found is None:
            return None
        user = self.pool.users.by_sub.get(found.sub)
        if self.now() >= found.expires or user is None or not user.enabled:
            del sessions[sid]
            return None
        return found, user

    def reusable(self, auth: AuthorizeRequest) -> tuple[SsoSession, User] | None:
        """The session, if `auth`'s client may sign its user in silently (SSO)."""
        found = self.session()
        if found is None or auth.prompt == "login":
            return None
        minutes = sso_validity_minutes(self.pool, auth.client_id)
        if minutes <= 0 or self.now() - found[0].auth_time > minutes * 60:
            return None
        return found

    def end_session(self) -> None:
        sid = self.request.cookies.get(SESSION_COOKIE, "")
        hosted_state(self.pool).sessions.pop(sid, None)
        self.cookies.append(Cookie(SESSION_COOKIE, "", max_age=0))

    # -- the end of a sign-in -----------------------------------------------------------------

    def finish(
        self,
        auth: AuthorizeRequest,
        user: User,
        *,
        reused: SsoSession | None = None,
        provider: str | None = None,
    ) -> PageResponse:
        """Redirect to the app with a code (or tokens); a fresh sign-in opens a session."""
        now = self.now()
        if reused is None:
            auth_time = int(now)
            sid = new_token(self.backend)
            hosted_state(self.pool).sessions[sid] = SsoSession(
                sub=user.sub, auth_time=auth_time, expires=now + SESSION_SECONDS, provider=provider
            )
            self.cookies.append(Cookie(SESSION_COOKIE, sid, max_age=int(SESSION_SECONDS)))
        else:
            auth_time = reused.auth_time
        grant = Grant(
            sub=user.sub, scopes=auth.scopes, redirect_uri=auth.redirect_uri, nonce=auth.nonce,
            code_challenge=auth.code_challenge, auth_time=auth_time,
        )  # fmt: skip
        if auth.response_type == "code":
            code = issue_code(self.backend, self.pool, auth.client, grant)
            location = add_query(auth.redirect_uri, {"code": code, "state": auth.state})
        else:
            tokens = implicit_tokens(self.backend, self.pool, auth.client, grant)
            fragment = {
                "id_token": tokens.get("IdToken"), "access_token": tokens["AccessToken"],
                "token_type": "bearer", "expires_in": str(tokens["ExpiresIn"]),
                "state": auth.state,
            }  # fmt: skip
            location = add_query(auth.redirect_uri, fragment, fragment=True)
        return redirect(location)


def _data_url(mime: str, raw: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"
