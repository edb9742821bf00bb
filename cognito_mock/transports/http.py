"""The HTTP front: one ASGI app for AWS JSON 1.1 at `POST /`, CORS, per-pool JWKS and OIDC
discovery, the control API (`/_cognito-mock/`) and the pool domain seam (`transports/domain.py`),
served by `transports/server.py` (`start_server`).

Every request goes through the same `handle_wire` / `handle_oauth2` / `control` as in process, of
the target it serves (a `CognitoMock`, or `persistence.Persistence` around one). Whatever a
client sends is answered as the service answers, with AWS JSON errors (`__type`, `message`,
`x-amzn-ErrorType`): never HTML, a traceback or a dropped connection. A bug answers 500
`InternalErrorException` with its text and is kept in `errors` (the pytest fixture reports it).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from cognito_mock.errors import OAUTH2_ENDPOINTS, ServiceError
from cognito_mock.transports import control_api, domain
from cognito_mock.transports.asgi import (
    CONTENT_TYPE,
    NOT_UNDERSTOOD,
    BodyTooLarge,
    Receive,
    Scope,
    Send,
    header_value,
    read_body,
    send_error,
    send_json,
    send_response,
    with_cors,
)
from cognito_mock.transports.server import HTTPServer, Limits
from cognito_mock.transports.wire import WireResponse

__all__ = ["CognitoFront", "CognitoHTTPServer", "Limits", "start_server"]

log = logging.getLogger("cognito_mock.http")

# SigV4 credential scope: Credential=<key>/<date>/<region>/cognito-idp/aws4_request
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9a-zA-Z]+)/\.well-known/(jwks\.json|openid-configuration)$")
# What the service's JSON 1.1 endpoint reads; a request without Content-Type is read as JSON.
_JSON_TYPES = frozenset({CONTENT_TYPE, "application/x-amz-json-1.0", "application/json"})
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"})


def _media(value: bytes) -> str:
    return value.split(b";", 1)[0].strip().lower().decode("latin-1")


def _wire_headers(response: WireResponse) -> list[tuple[bytes, bytes]]:
    headers = []
    for name, value in response.headers.items():
        key = name.lower()
        # The error message echoes client input: bounded and ASCII, or clients cannot parse it.
        encoded = header_value(value) if key == "x-amzn-errormessage" else value.encode("latin-1")
        headers.append((key.encode("latin-1"), encoded))
    return headers


class CognitoFront:
    """The ASGI app of a served mock. `target` answers (swappable: the pytest fixture points one
    server at each test's mock); `control=False` turns the control API off."""

    def __init__(self, target: Any, *, control: bool = True, limits: Limits | None = None) -> None:
        self.target = target
        self.control = control
        self.limits = limits or Limits()
        self.errors: list[BaseException] = []  # bugs met while answering, oldest first
        self._oauth2 = domain.OAuth2App(None, self.limits.max_body, self.errors)

    def _failed(self, error: BaseException, what: str) -> None:
        self.errors.append(error)
        log.error("internal error in %s: %s: %s", what, type(error).__name__, error,
                  exc_info=error)  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no websockets, no lifespan
        target = self.target
        if target is None:
            await send_error(send, 503, "ServiceUnavailableException", "No mock is being served.")
            return
        path: str = scope["path"]
        method: str = scope["method"]
        headers = dict(scope["headers"])
        if b"origin" in headers:
            send = with_cors(send)
        if method == "OPTIONS":  # CORS preflight, on any path
            await send_response(send, 200, b"", [])
            return
        host = headers.get(b"host", b"").decode("latin-1").lower().rsplit(":", 1)[0]
        name = domain.domain_from_host(host)
        if (
            name is not None
            or path.startswith(domain.PATH_PREFIX)
            or (host and host not in _LOOPBACK and self._known_domain(target, host))
        ):
            await self._domain(target, domain.domain_scope(scope, name or host), receive, send)
        elif path == "/":
            if method == "POST":
                await self._api(target, headers, receive, send)
            else:
                await send_error(send, 404, "UnknownOperationException", NOT_UNDERSTOOD)
        elif path.startswith(control_api.PREFIX) and self.control:
            await self._control(target, scope, receive, send)
        elif path in OAUTH2_ENDPOINTS:
            await self._domain(target, domain.domain_scope(scope, None), receive, send)
        else:
            match = _WELL_KNOWN.match(path)
            if match is not None and method in ("GET", "HEAD"):
                await self._well_known(target, match.group(1), match.group(2), send)
            else:
                await send_error(send, 404, "UnknownOperationException", NOT_UNDERSTOOD)

    @staticmethod
    def _known_domain(target: Any, host: str) -> bool:
        owner = getattr(target, "domain_owner", None)
        return owner is not None and owner(host) is not None

    async def _body(
        self, headers: dict[bytes, bytes], receive: Receive, send: Send
    ) -> bytes | None:
        """The request body; None (after answering 413, or when the client left) otherwise."""
        declared = headers.get(b"content-length")
        try:
            return await read_body(
                receive, self.limits.max_body, int(declared) if declared is not None else None
            )
        except BodyTooLarge:
            await send_error(
                send, 413, "RequestEntityTooLargeException",
                f"HTTP content length exceeded {self.limits.max_body} bytes.", close=True,
            )  # fmt: skip
            return None

    async def _api(
        self, target: Any, headers: dict[bytes, bytes], receive: Receive, send: Send
    ) -> None:
        started = time.perf_counter()
        content_type = headers.get(b"content-type")
        if content_type is not None and _media(content_type) not in _JSON_TYPES:
            await send_error(
                send, 415, "UnsupportedMediaTypeException",
                f"Content-Type {content_type.decode('latin-1')[:100]} is not supported; "
                f"send {CONTENT_TYPE}.",
            )  # fmt: skip
            return
        body = await self._body(headers, receive, send)
        if body is None:
            return
        operation = headers.get(b"x-amz-target", b"").decode("latin-1") or None
        signed = _SCOPE.search(headers.get(b"authorization", b"").decode("latin-1"))
        try:
            # Unsigned requests (None) are routed by the resource they name (`routing.py`).
            response = target.handle_wire(operation, body, signed.group(1) if signed else None)
        except Exception as error:
            self._failed(error, (operation or "-").rsplit(".", 1)[-1])
            await send_error(
                send, 500, "InternalErrorException", f"{type(error).__name__}: {error}"
            )
            return
        await send_response(send, response.status, response.body, _wire_headers(response))
        if log.isEnabledFor(logging.INFO):
            level = logging.ERROR if response.status >= 500 else logging.INFO
            log.log(level, "%s %d %.1fms", (operation or "-").rsplit(".", 1)[-1],
                    response.status, (time.perf_counter() - started) * 1000)  # fmt: skip

    async def _well_known(self, target: Any, pool_id: str, document: str, send: Send) -> None:
        region = pool_id.split("_", 1)[0]
        try:
            if document == "jwks.json":
                payload = target.jwks(pool_id, region=region)
            else:
                payload = target.openid_configuration(pool_id, region=region)
        except ServiceError:
            await send_error(send, 404, "ResourceNotFoundException",
                             f"User pool {pool_id} does not exist.")  # fmt: skip
            return
        except Exception as error:
            self._failed(error, document)
            await send_error(
                send, 500, "InternalErrorException", f"{type(error).__name__}: {error}"
            )
            return
        await send_json(send, 200, payload)

    async def _control(self, target: Any, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await control_api.handle(target, scope, receive, send, self.limits.max_body)
        except Exception as error:
            self._failed(error, "control API")
            await send_error(
                send, 500, "InternalErrorException", f"{type(error).__name__}: {error}"
            )

    async def _domain(self, target: Any, scope: Scope, receive: Receive, send: Send) -> None:
        app = getattr(target, "domain_app", None)
        if app is None:
            app = self._oauth2
            app.target = target
        started = []

        async def tracked(message: Any) -> None:
            started.append(True)
            await send(message)

        try:
            await app(scope, receive, tracked)
        except Exception as error:
            self._failed(error, "domain app")
            if not started:
                await send_error(send, 500, "InternalErrorException",
                                 f"{type(error).__name__}: {error}")  # fmt: skip


class CognitoHTTPServer(HTTPServer):
    """A served mock: `url`, `front` (its `target`, `errors`), `start()`, `stop()`."""

    front: CognitoFront

    def __init__(self, target: Any, host: str = "127.0.0.1", port: int = 0, *,
                 control: bool = True, limits: Limits | None = None) -> None:  # fmt: skip
        front = CognitoFront(target, control=control, limits=limits)
        super().__init__(front, host, port, front.limits)
        self.front = front

    @property
    def errors(self) -> list[BaseException]:
        return self.front.errors


def start_server(target: Any, host: str = "127.0.0.1", port: int = 0, *, control: bool = True,
                 limits: Limits | None = None) -> CognitoHTTPServer:  # fmt: skip
    """Serve `target` (a CognitoMock, or a Persistence around one) from a background thread;
    `port=0` picks a free port. Stop with `.stop()`."""
    return CognitoHTTPServer(target, host, port, control=control, limits=limits).start()
