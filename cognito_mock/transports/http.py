"""The HTTP endpoint: AWS JSON 1.1 at `POST /`, CORS for browser SDKs, JWKS and OIDC discovery.

Standard library only (`ThreadingHTTPServer`, HTTP/1.1 keep-alive); every request goes through the
same `CognitoMock.handle_wire` as the in-process transports, so state and checks are shared.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Protocol

from cognito_mock.errors import OAUTH2_ENDPOINTS, OAuthError, ServiceError
from cognito_mock.transports import oauth2
from cognito_mock.transports.wire import CONTENT_TYPE, WireResponse

if TYPE_CHECKING:
    from cognito_mock.mock import CognitoMock

__all__ = ["CognitoHTTPServer", "start_server"]

log = logging.getLogger("cognito_mock.http")

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": (
        "content-type, x-amz-target, x-amz-user-agent, authorization, x-amz-date, "
        "x-amz-security-token, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, "
        "cache-control"
    ),
    "Access-Control-Expose-Headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    "Access-Control-Max-Age": "86400",
}
# SigV4 credential scope: Credential=<key>/<date>/<region>/cognito-idp/aws4_request
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")
_WELL_KNOWN = re.compile(r"^/([\w-]+_[0-9a-zA-Z]+)/\.well-known/(jwks\.json|openid-configuration)$")


class _App(Protocol):
    def handle_wire(
        self, target: str | None, body: bytes | None, region: str
    ) -> WireResponse: ...  # pragma: no cover

    def handle_oauth2(
        self,
        endpoint: str,
        form: dict[str, str],
        basic: tuple[str, str] | None = None,
        bearer: str | None = None,
        *,
        region: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]: ...  # pragma: no cover

    def jwks(self, pool_id: str, *, region: str | None = None) -> dict[str, Any]: ...

    def openid_configuration(
        self, pool_id: str, *, region: str | None = None
    ) -> dict[str, Any]: ...  # pragma: no cover


def _internal_error(error: BaseException) -> WireResponse:
    """A bug (a ContractViolation included) answers 500 with its text, loudly, never a traceback
    page or a dropped connection."""
    log.error("internal error: %s: %s", type(error).__name__, error, exc_info=error)
    body = {"__type": "InternalErrorException", "message": f"{type(error).__name__}: {error}"}
    return WireResponse(
        500,
        json.dumps(body, separators=(",", ":")).encode(),
        {"Content-Type": CONTENT_TYPE, "x-amzn-ErrorType": "InternalErrorException:"},
    )


class CognitoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], mock: CognitoMock, app: _App | None = None
    ) -> None:
        super().__init__(address, _Handler)
        self.mock = mock
        # What answers requests: the mock itself, or a wrapper with the same methods that
        # journals state changes (`cognito_mock.persistence.Persistence`).
        self.app: _App = app if app is not None else mock

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; with Nagle on, each keep-alive answer would
    # wait for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server: CognitoHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # one line per call is logged by _send instead

    def _send(self, response: WireResponse, started: float, what: str) -> None:
        self.send_response(response.status)
        for key, value in {**response.headers, **_CORS}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)
        log.log(
            logging.ERROR if response.status >= 500 else logging.INFO,
            "%s %d %.1fms",
            what,
            response.status,
            (time.perf_counter() - started) * 1000,
        )

    def _json(self, status: int, payload: Any, started: float, what: str) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        self._send(WireResponse(status, body, {"Content-Type": "application/json"}), started, what)

    def _body(self) -> bytes | None:
        """The request body; None (after answering 400) when its length is unreadable."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError(length)
        except ValueError:
            self.close_connection = True
            self._json(400, {"__type": "SerializationException", "message": "Bad Content-Length"},
                       time.perf_counter(), "POST")  # fmt: skip
            return None
        return self.rfile.read(length) if length else b""

    def _oauth2(self, method: str, body: bytes, started: float) -> None:
        """The user pool domain's OAuth2 endpoints; no pool id in the path: the client id finds it."""
        path = self.path.split("?", 1)[0]
        try:
            request = oauth2.parse(
                path, method, body, self.headers.get("Content-Type"),
                self.headers.get("Authorization"),
            )  # fmt: skip
            status, headers, payload = self.server.app.handle_oauth2(
                request.endpoint, request.form, request.basic, request.bearer,
                region=self.server.mock.region,
            )  # fmt: skip
            response = WireResponse(status, payload, headers)
        except OAuthError as error:
            status, headers, payload = error.answer()
            response = WireResponse(status, payload, headers)
        except Exception as error:  # a bug must reach the client as a 500
            response = _internal_error(error)
        self._send(response, started, f"{method} {path}")

    def do_OPTIONS(self) -> None:
        self._send(WireResponse(200, b"", {}), time.perf_counter(), "OPTIONS")

    def do_POST(self) -> None:
        started = time.perf_counter()
        body = self._body()
        if body is None:
            return
        if self.path.split("?", 1)[0] in OAUTH2_ENDPOINTS:
            self._oauth2("POST", body, started)
            return
        if self.path.split("?", 1)[0] != "/":
            self._json(404, {"__type": "UnknownOperationException"}, started, f"POST {self.path}")
            return
        target = self.headers.get("X-Amz-Target")
        scope = _SCOPE.search(self.headers.get("Authorization") or "")
        region = scope.group(1) if scope else self.server.mock.region
        try:
            response = self.server.app.handle_wire(target, body, region)
        except Exception as error:  # a bug must reach the client as a 500
            response = _internal_error(error)
        response.headers.setdefault("Content-Type", CONTENT_TYPE)
        self._send(response, started, (target or "-").rsplit(".", 1)[-1])

    def do_GET(self) -> None:
        started = time.perf_counter()
        if self.path.split("?", 1)[0] in OAUTH2_ENDPOINTS:
            self._oauth2("GET", b"", started)
            return
        match = _WELL_KNOWN.match(self.path.split("?", 1)[0])
        if match is None:
            self._json(404, {"message": "Not Found"}, started, f"GET {self.path}")
            return
        pool_id, document = match.groups()
        app = self.server.app
        region = pool_id.split("_", 1)[0]
        try:
            if document == "jwks.json":
                payload = app.jwks(pool_id, region=region)
            else:
                payload = app.openid_configuration(pool_id, region=region)
        except ServiceError:
            self._json(404, {"message": f"User pool {pool_id} does not exist."}, started, "GET")
            return
        except Exception as error:
            self._send(_internal_error(error), started, f"GET {document}")
            return
        self._json(200, payload, started, f"GET {document}")


def start_server(
    mock: CognitoMock, host: str = "127.0.0.1", port: int = 0, app: _App | None = None
) -> CognitoHTTPServer:
    """Start serving in a daemon thread; `port=0` picks a free port. Stop with `.shutdown()`."""
    server = CognitoHTTPServer((host, port), mock, app)
    thread = threading.Thread(target=server.serve_forever, name="cognito-mock-http", daemon=True)
    thread.start()
    return server
