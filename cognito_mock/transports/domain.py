"""The user pool domain seam: which requests belong to a pool's domain (managed login, OAuth2),
and the default domain app, which answers the OAuth2 endpoints.

A request reaches the domain app when
- its Host is `<prefix>.localhost[:port]` (browsers resolve `*.localhost` to loopback): domain
  `<prefix>`;
- its Host is a custom domain the mock knows (CreateUserPoolDomain with CustomDomainConfig);
- its path is `/_domain/<domain>/...` (for clients that cannot set a Host): domain `<domain>`,
  the rest of the path is what the app sees;
- its path is an OAuth2 endpoint (`/oauth2/token`, ...) on the API host: no domain (the client id
  finds the pool, as before).

The app is an ASGI callable: the mock's `domain_app` when set (managed login plugs in there),
else `OAuth2App`. It gets a scope whose `path` is relative to the domain, whose `root_path` is
the `/_domain/<domain>` prefix when that form was used, and whose `"cognito_mock.domain"` key is
the domain name (or None).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol
from urllib.parse import unquote

from cognito_mock.errors import OAUTH2_ENDPOINTS, OAuthError
from cognito_mock.transports import oauth2
from cognito_mock.transports.asgi import (
    NOT_UNDERSTOOD,
    BodyTooLarge,
    Receive,
    Scope,
    Send,
    read_body,
    send_error,
    send_response,
)

__all__ = ["DOMAIN_KEY", "PATH_PREFIX", "OAuth2App", "domain_from_host", "domain_scope"]

log = logging.getLogger("cognito_mock.http")

PATH_PREFIX = "/_domain/"
DOMAIN_KEY = "cognito_mock.domain"
_LOCALHOST = ".localhost"


def domain_from_host(host: str) -> str | None:
    """`<prefix>` of `<prefix>.localhost` (lowercase, port removed), else None."""
    if host.endswith(_LOCALHOST) and len(host) > len(_LOCALHOST):
        return host[: -len(_LOCALHOST)]
    return None


def domain_scope(scope: Scope, domain: str | None) -> Scope:
    """The scope the domain app sees: the `/_domain/<domain>` prefix moved into `root_path`."""
    mounted = dict(scope)
    mounted[DOMAIN_KEY] = domain
    path: str = scope["path"]
    if path.startswith(PATH_PREFIX):
        name, _, rest = path[len(PATH_PREFIX) :].partition("/")
        mounted[DOMAIN_KEY] = unquote(name).lower()
        prefix = PATH_PREFIX + name
        mounted["root_path"] = scope.get("root_path", "") + prefix
        mounted["path"] = "/" + rest
        raw = scope.get("raw_path")
        if isinstance(raw, bytes) and raw.startswith(prefix.encode()):
            mounted["raw_path"] = raw[len(prefix) :] or b"/"
    return mounted


class OAuth2Target(Protocol):
    def handle_oauth2(
        self,
        endpoint: str,
        form: dict[str, str],
        basic: tuple[str, str] | None = None,
        bearer: str | None = None,
        *,
        region: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]: ...  # pragma: no cover


class OAuth2App:
    """The default domain app: `/oauth2/token`, `/oauth2/revoke` and `/oauth2/userInfo` through
    `handle_oauth2` (region routing by the client id or the bearer token); 404 for the rest."""

    def __init__(self, target: Any, max_body: int, errors: list[BaseException]) -> None:
        self.target = target  # an OAuth2Target; read per request (the front may swap it)
        self.max_body = max_body
        self.errors = errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path not in OAUTH2_ENDPOINTS:
            await send_error(send, 404, "UnknownOperationException", NOT_UNDERSTOOD)
            return
        headers = dict(scope["headers"])
        try:
            body = await read_body(receive, self.max_body, None)
        except BodyTooLarge:
            await send_error(send, 413, "RequestEntityTooLargeException",
                             f"HTTP content length exceeded {self.max_body} bytes.", close=True)  # fmt: skip
            return
        if body is None:
            return
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        authorization = headers.get(b"authorization", b"").decode("latin-1") or None
        try:
            request = oauth2.parse(path, method, body, content_type, authorization)
            status, answer_headers, payload = self.target.handle_oauth2(
                request.endpoint, request.form, request.basic, request.bearer
            )
        except OAuthError as error:
            status, answer_headers, payload = error.answer()
        except Exception as error:  # a bug: loud, recorded, never a dropped connection
            self.errors.append(error)
            log.error("internal error: %s: %s", type(error).__name__, error, exc_info=error)
            await send_error(
                send, 500, "InternalErrorException", f"{type(error).__name__}: {error}"
            )
            return
        encoded = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer_headers.items()
        ]
        await send_response(send, status, payload, encoded)
