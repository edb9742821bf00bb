"""Fixtures of the served managed-login tests: the domain app of a mock on the system clock,
served by uvicorn on a free loopback port, with its public URL set (issuer = the served URL)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.web import DomainApp


@dataclass
class Served:
    mock: CognitoMock
    url: str  # http://127.0.0.1:<port>
    port: int
    app: DomainApp


@pytest.fixture
def served() -> Iterator[Served]:
    # A manual clock at the real time: browsers and Authlib check expiry against real time, and
    # a test can still step past a TOTP window.
    mock = CognitoMock(clock=ManualClock(time.time()))
    app = DomainApp(mock)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():  # pragma: no cover - the server could not start
            raise RuntimeError("uvicorn did not start")
        threading.Event().wait(0.01)
    url = f"http://127.0.0.1:{port}"
    mock.set_public_url(url, issuer="server")
    try:
        yield Served(mock, url, port, app)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


class LoopbackTransport(httpx.HTTPTransport):
    """Reaches `<name>.localhost` on 127.0.0.1 with its Host header kept, as browsers resolve
    `*.localhost` (this machine's resolver does not)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        original = request.url
        if original.host.endswith(".localhost"):
            request.headers["Host"] = original.netloc.decode()
            request.url = original.copy_with(host="127.0.0.1")
        response = super().handle_request(request)
        request.url = original  # cookies are kept for the name the browser used
        return response


def http_client(**kwargs: Any) -> httpx.Client:
    return httpx.Client(transport=LoopbackTransport(), follow_redirects=False, **kwargs)
