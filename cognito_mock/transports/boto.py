"""botocore interception, in-process and socket-free: our answers cross the real JSON 1.1 wire format.

`mock.client()` registers a `before-send` handler on one client. `intercept()` must also reach clients
made before it started, whose event emitters are already copied, so it wraps `Endpoint._send` for
every endpoint whose prefix is `cognito-idp` and restores it on exit.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict
from botocore.endpoint import Endpoint
from botocore.errorfactory import ClientExceptionsFactory
from botocore.signers import RequestSigner

from cognito_mock.transports.wire import WireResponse

__all__ = [
    "Interception",
    "WireHandler",
    "as_aws_response",
    "before_send",
    "intercepting",
    "region_of",
    "shared_exceptions",
]

# (operation target header, body, region) -> wire response; the façade supplies it.
WireHandler = Callable[[str | None, bytes | None, str], WireResponse]
F = TypeVar("F", bound=Callable[..., Any])

_DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class _RawBody(io.BytesIO):
    """The raw stream botocore reads a response body from."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def as_aws_response(url: str, wire: WireResponse) -> AWSResponse:
    return AWSResponse(url, wire.status, HeadersDict(wire.headers), _RawBody(wire.body))


def region_of(request: AWSPreparedRequest, default: str) -> str:
    """The client's region (from the request context, else the endpoint host)."""
    context = getattr(request, "context", None) or {}
    region = context.get("client_region")
    if region:
        return str(region)
    host = urlsplit(request.url).hostname or ""
    parts = host.split(".")
    if len(parts) >= 3 and parts[0] == "cognito-idp":
        return parts[1]
    return default


def _body(request: AWSPreparedRequest) -> bytes | None:
    body = request.body
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body.read())


def _answer(handle: WireHandler, request: AWSPreparedRequest, default_region: str) -> AWSResponse:
    wire = handle(
        request.headers.get("X-Amz-Target"), _body(request), region_of(request, default_region)
    )
    return as_aws_response(request.url, wire)


def before_send(handle: WireHandler, default_region: str) -> Callable[..., AWSResponse]:
    """A `before-send` event handler answering every request of the client it is registered on."""

    def on_before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        if isinstance(request.headers.get("X-Amz-Target"), bytes):
            request.headers["X-Amz-Target"] = request.headers["X-Amz-Target"].decode()
        return _answer(handle, request, default_region)

    return on_before_send


_active: list[tuple[WireHandler, str]] = []
_patch_lock = threading.Lock()
_original_send = Endpoint._send
_original_sign = RequestSigner.sign
_original_exceptions = ClientExceptionsFactory.create_client_exceptions
_shared: dict[str, Any] = {}


def shared_exceptions(factory: ClientExceptionsFactory, service_model: Any) -> Any:
    """The process's one set of cognito-idp exception classes.

    botocore makes exception classes per session, so `pytest.raises(client.exceptions.X)` with the
    test's client would not catch what an application's client (another session: a module-level
    `boto3.client(...)`) raises. Every cognito-idp client made by `mock.client()`, or first raising
    while interception is on, uses these classes instead.
    """
    if service_model.service_name != "cognito-idp":
        return _original_exceptions(factory, service_model)
    with _patch_lock:
        found = _shared.get("cognito-idp")
        if found is None:
            found = _shared["cognito-idp"] = _original_exceptions(factory, service_model)
    return found


def _routed_sign(self: RequestSigner, operation_name: str, request: Any, *a: Any, **kw: Any) -> Any:
    # A client made before any credentials existed cannot sign; the mock needs no signature, so
    # its cognito-idp requests go unsigned instead of failing with NoCredentialsError.
    if _active and self._signing_name == "cognito-idp" and self._credentials is None:
        return None
    return _original_sign(self, operation_name, request, *a, **kw)


def _routed_send(self: Endpoint, request: AWSPreparedRequest) -> Any:
    if _active and getattr(self, "_endpoint_prefix", None) == "cognito-idp":
        handle, region = _active[-1]
        target = request.headers.get("X-Amz-Target")
        if isinstance(target, bytes):
            request.headers["X-Amz-Target"] = target.decode()
        return _answer(handle, request, region)
    return _original_send(self, request)


@contextmanager
def intercepting(handle: WireHandler, default_region: str) -> Iterator[None]:
    """Route every botocore cognito-idp client to `handle` while active (innermost wins)."""
    with _patch_lock:
        _active.append((handle, default_region))
        Endpoint._send = _routed_send
        RequestSigner.sign = _routed_sign
        ClientExceptionsFactory.create_client_exceptions = shared_exceptions
    saved = {k: os.environ.get(k) for k in _DUMMY_CREDENTIALS}
    if not os.environ.get("AWS_ACCESS_KEY_ID"):
        # Signed operations need some credentials; never reach for real ones.
        os.environ.update(_DUMMY_CREDENTIALS)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with _patch_lock:
            _active.remove((handle, default_region))
            if not _active:
                Endpoint._send = _original_send
                RequestSigner.sign = _original_sign
                ClientExceptionsFactory.create_client_exceptions = _original_exceptions


class Interception(AbstractContextManager["Interception"]):
    """`mock.intercept()`: `intercepting` as a context manager and a decorator."""

    def __init__(self, handle: WireHandler, default_region: str) -> None:
        self._handle = handle
        self._region = default_region
        self._context: AbstractContextManager[None] | None = None

    def __enter__(self) -> Interception:
        self._context = intercepting(self._handle, self._region)
        self._context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._context is not None
        self._context.__exit__(None, None, None)
        self._context = None

    def __call__(self, func: F) -> F:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with Interception(self._handle, self._region):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
