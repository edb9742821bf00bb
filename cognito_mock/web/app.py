"""The ASGI app of user pool domains: managed login's pages, `/oauth2/authorize`,
`/oauth2/idpresponse`, `/logout` and the domain's `/oauth2/token|revoke|userInfo`.

A request is parsed here (domain from the front or the Host header, query, form, cookies) and
answered by the façade (`handle_hosted`, `handle_oauth2`: the mock's lock, faults and journal);
pages are rendered with Jinja2; the outbound calls of federation are made here, outside the
lock, and their answers handed back. Runs under any ASGI server, or in-process through
`httpx.ASGITransport`."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any, Protocol
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from cognito_mock.backend.hosted.pages import Fetch, Fetched, PageRequest, PageResponse
from cognito_mock.errors import OAUTH2_ENDPOINTS, OAuthError, ServiceError
from cognito_mock.transports import oauth2 as oauth2_transport
from cognito_mock.transports.domain import OAuth2Target
from cognito_mock.web.hosts import DOMAIN_SCOPE_KEY, domain_from_host
from cognito_mock.web.render import render_page

__all__ = ["DOMAIN_SCOPE_KEY", "DomainApp"]

log = logging.getLogger("cognito_mock.web")

_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
_MAX_BODY = 64 * 1024  # a sign-in form is tiny; anything larger is refused (413)
_MAX_FETCHED = 1024 * 1024
_MAX_ROUNDS = 4  # discovery, token + JWKS, user info: federation never needs more
_FETCH_TIMEOUT = 5.0  # the service's triggers and IdP calls time out after seconds, not minutes
# The issuer's documents (`<issuer>/.well-known/...`), so an OIDC client of a pool (or another pool
# federating to it) discovers it wherever this app is reached.
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9a-zA-Z]+)/\.well-known/(jwks\.json|openid-configuration)$")


class Front(OAuth2Target, Protocol):
    """What answers: a `CognitoMock`, or `persistence.Persistence` (which journals)."""

    def handle_hosted(self, request: PageRequest) -> PageResponse: ...  # pragma: no cover

    def jwks(self, pool_id: str, *, region: str | None = None) -> dict[str, Any]: ...

    def openid_configuration(
        self, pool_id: str, *, region: str | None = None
    ) -> dict[str, Any]: ...  # pragma: no cover


class DomainApp:
    """Every user pool domain of one mock, as an ASGI application."""

    def __init__(
        self,
        front: Front,
        *,
        region: str | None = None,
        upstream: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`front`: the mock (or its Persistence). `upstream`: the transport of federation's
        outbound calls (default: the network; tests may route them in-process)."""
        self.front = front
        self.region = region
        self.upstream = upstream
        self._app = Starlette(routes=[Route("/{path:path}", self._handle, methods=_METHODS)])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)

    # -- one request ---------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        try:
            return await self._answer(request)
        except Exception as error:  # a bug must reach the browser as a 500, loudly logged
            log.error("internal error: %s: %s", type(error).__name__, error, exc_info=error)
            return HTMLResponse(render_page("error", {"message": "Internal error."}), 500)

    async def _answer(self, request: Request) -> Response:
        path = "/" + request.path_params.get("path", "")
        body = await request.body()
        if len(body) > _MAX_BODY:
            return HTMLResponse(render_page("error", {"message": "Request too large."}), 413)
        if path in OAUTH2_ENDPOINTS:
            return await self._oauth2(request, path, body)
        well_known = _WELL_KNOWN.match(path)
        if well_known is not None and request.method in ("GET", "HEAD"):
            return await run_in_threadpool(self._document, *well_known.groups())
        domain = request.scope.get(DOMAIN_SCOPE_KEY) or domain_from_host(
            request.headers.get("host", "")
        )
        root = request.scope.get("root_path", "").rstrip("/")
        page_request = PageRequest(
            domain=domain,
            base_url=f"{request.url.scheme}://{request.url.netloc}{root}",
            method=request.method,
            path=path,
            query=_single(parse_qsl(request.url.query, keep_blank_values=True)),
            form=_form(request, body),
            cookies=dict(request.cookies),
        )
        answer = await run_in_threadpool(self.front.handle_hosted, page_request)
        rounds = 0
        while answer.fetch and rounds < _MAX_ROUNDS:
            fetched = {call.key: await self._fetch(call) for call in answer.fetch}
            page_request = dataclasses.replace(
                page_request, upstream={**page_request.upstream, **fetched}
            )
            answer = await run_in_threadpool(self.front.handle_hosted, page_request)
            rounds += 1
        return _response(answer, root, secure=request.url.scheme == "https")

    async def _oauth2(self, request: Request, path: str, body: bytes) -> Response:
        try:
            parsed = oauth2_transport.parse(
                path, request.method, body, request.headers.get("content-type"),
                request.headers.get("authorization"),
            )  # fmt: skip
            status, headers, payload = await run_in_threadpool(
                lambda: self.front.handle_oauth2(
                    parsed.endpoint, parsed.form, parsed.basic, parsed.bearer, region=self.region
                )
            )
        except OAuthError as error:
            status, headers, payload = error.answer()
        return Response(payload, status, headers=headers)

    def _document(self, pool_id: str, document: str) -> Response:
        region = pool_id.split("_", 1)[0]
        try:
            if document == "jwks.json":
                return JSONResponse(self.front.jwks(pool_id, region=region))
            return JSONResponse(self.front.openid_configuration(pool_id, region=region))
        except ServiceError:
            return JSONResponse({"message": f"User pool {pool_id} does not exist."}, 404)

    async def _fetch(self, call: Fetch) -> Fetched:
        """One outbound call of federation (to a URL the IdP's details or discovery named)."""
        if not call.url.startswith(("http://", "https://")):
            return Fetched(0, b"", "connection")
        try:
            async with httpx.AsyncClient(
                transport=self.upstream, timeout=_FETCH_TIMEOUT, follow_redirects=False
            ) as client:
                answer = await client.request(
                    call.method, call.url, data=call.form, headers=call.headers
                )
        except httpx.TimeoutException:
            return Fetched(0, b"", "timeout")
        except httpx.HTTPError:
            return Fetched(0, b"", "connection")
        return Fetched(answer.status_code, answer.content[:_MAX_FETCHED])


def _single(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Parameters by name; a repeated one keeps its first value."""
    out: dict[str, str] = {}
    for name, value in pairs:
        out.setdefault(name, value)
    return out


def _form(request: Request, body: bytes) -> dict[str, str]:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if request.method != "POST" or media != oauth2_transport.FORM_TYPE:
        return {}
    try:
        return _single(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        return {}


def _response(answer: PageResponse, root: str, *, secure: bool) -> Response:
    response: Response
    if answer.location is not None:
        location = answer.location
        if location.startswith("/") and not location.startswith("//"):
            location = root + location  # the domain's own pages, under the front's mount point
        response = RedirectResponse(location, answer.status)
    elif answer.page is not None:
        response = HTMLResponse(render_page(answer.page, answer.context, root), answer.status)
    else:  # pragma: no cover - every answer is a page or a redirect once fetches are done
        response = JSONResponse({"error": "server_error"}, 500)
    response.headers.update(answer.headers)
    response.headers["Cache-Control"] = "no-cache, no-store, max-age=0, must-revalidate"
    response.headers["X-Frame-Options"] = "DENY"
    for cookie in answer.cookies:
        response.set_cookie(
            cookie.name, cookie.value, max_age=cookie.max_age, path=root or "/",
            secure=secure, httponly=cookie.http_only, samesite="lax",
        )  # fmt: skip
    return response
