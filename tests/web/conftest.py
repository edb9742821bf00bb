"""Fixtures of the served managed-login tests: a mock served by `mock.serve()` (the HTTP front
routes its user pool domains to managed login), with the served URL as issuer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

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
    with mock.serve(issuer="server") as url:  # domains go to mock.domain_app (managed login)
        yield Served(mock, url, int(url.rsplit(":", 1)[1]), mock.domain_app)


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
