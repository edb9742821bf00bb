"""Helpers every test module may import (`from tests.helpers import fails, PASSWORD`): the one
copy of each, computed independently of the mock where they prove something (SECRET_HASH)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import http.client
import importlib
import json
import os
import socket
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.backend.kernel.records import User

__all__ = [
    "ALL_FLOWS",
    "PASSWORD",
    "Agent",
    "add_client",
    "confirmed_user",
    "exchange",
    "fails",
    "forms",
    "http_request",
    "needs",
    "record",
    "secret_hash",
    "secret_of",
    "status",
]

PASSWORD = "Correct-Horse-9"  # satisfies the default password policy
ALL_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
]


def fails(call: Callable[..., Any], code: str, message: str, **kwargs: Any) -> ClientError:
    """The boto3 call must fail with exactly this error code and message."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == (code, message)
    return caught.value


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """AWS's documented SECRET_HASH, computed here so the mock's own helper is not its judge."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def confirmed_user(mock: Any, username: str = "alice") -> tuple[str, str]:
    """(pool id, client id): a new pool through `mock.call`, a client allowing every password
    flow, and `username` confirmed with PASSWORD."""
    pool_id = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    client_id = mock.call(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=ALL_FLOWS
    )["UserPoolClient"]["ClientId"]
    mock.call("AdminCreateUser", UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    mock.call(
        "AdminSetUserPassword", UserPoolId=pool_id, Username=username, Password=PASSWORD,
        Permanent=True,
    )  # fmt: skip
    return pool_id, client_id


def add_client(client: Any, pool_id: str, *, secret: bool = False, **settings: Any) -> str:
    """An app client of `pool_id` (LEGACY existence errors unless overridden)."""
    settings.setdefault("ExplicitAuthFlows", ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    settings.setdefault("PreventUserExistenceErrors", "LEGACY")
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", GenerateSecret=secret, **settings
    )
    return str(made["UserPoolClient"]["ClientId"])


def secret_of(client: Any, pool_id: str, client_id: str) -> str:
    got = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    return str(got["UserPoolClient"]["ClientSecret"])


def record(mock: CognitoMock, pool_id: str, name: str) -> User:
    """The user's record in the mock's state."""
    user = mock.backend().pools[pool_id].users.get(name)
    assert user is not None
    return user


def status(client: Any, pool_id: str, name: str) -> str:
    return str(client.admin_get_user(UserPoolId=pool_id, Username=name)["UserStatus"])


def needs(module: str, why: str = "") -> Any:
    """Import an optional component a test needs. Missing: the test fails under CI (`CI=true`,
    where .ci/run installs everything) and is skipped with the reason locally."""
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=why or f"needs {module}")


def http_request(
    url: str, method: str, path: str, body: bytes | str = b"", **headers: str
) -> tuple[http.client.HTTPResponse, bytes]:
    """One request on a fresh connection to a served mock: the response and its body."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def exchange(url: str, data: bytes, *, timeout: float = 10.0) -> tuple[int, dict[str, str], Any]:
    """Raw bytes to a served mock, read until it closes: (status, headers, JSON body or bytes).
    For what http.client cannot send: garbage, stalled requests, lying Content-Length."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as conn:
        conn.sendall(data)
        received = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0] else 0
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    try:
        return status, headers, json.loads(body)
    except ValueError:
        return status, headers, body


# ----------------------------------------------------------------------------- managed login


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, Any]] = {}
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = {"action": values.get("action", ""), "fields": {}}
            self.found[values.get("name", str(len(self.found)))] = self._current
        elif (
            tag == "input"
            and self._current is not None
            and "name" in values
            and (values.get("type") != "radio" or "checked" in values)
        ):
            self._current["fields"][values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms(html: str) -> dict[str, dict[str, Any]]:
    """The page's forms by name: {"action": ..., "fields": {name: value}} (inputs' values)."""
    parser = _Forms()
    parser.feed(html)
    return parser.found


class Agent:
    """A browser without a browser: drives an ASGI app in-process (httpx.ASGITransport) at one
    host, keeps its cookies, and fills in the forms of the pages it gets."""

    def __init__(self, app: Any, host: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.base = f"http://{host}"
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=self.base, follow_redirects=False
        )

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.get(url, **kwargs))

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.post(url, **kwargs))

    def submit(self, page: httpx.Response, form: str, **fields: str) -> httpx.Response:
        """Fill in form `form` of `page` (its hidden fields kept) and post it."""
        found = forms(page.text)[form]
        action = urljoin(str(page.url), found["action"])
        return self.post(action, data={**found["fields"], **fields})

    def follow(self, response: httpx.Response) -> httpx.Response:
        """GET the redirect's location (on this host)."""
        assert response.status_code == 302, (response.status_code, response.text[:500])
        return self.get(urljoin(str(response.url), response.headers["location"]))

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()
