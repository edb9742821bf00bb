"""ASGI plumbing shared by the HTTP front's parts: reading a bounded body, answering JSON and AWS
JSON errors with bounded, safely encoded headers, and the names of the front's own error codes."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from email.utils import formatdate
from typing import Any

__all__ = [
    "BAD_REQUEST",
    "CONTENT_TYPE",
    "CORS",
    "HEADER_LIMIT",
    "NOT_UNDERSTOOD",
    "ASGIApp",
    "BodyTooLarge",
    "Receive",
    "Scope",
    "Send",
    "error_body",
    "header_value",
    "read_body",
    "send_error",
    "send_json",
    "send_response",
    "with_cors",
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_TYPE = "application/x-amz-json-1.1"
# What the service's front door answers for a request it cannot route (observed on
# cognito-idp.<region>.amazonaws.com for unknown paths: 404, `"message"` with this text).
NOT_UNDERSTOOD = "The server did not understand the operation that was requested."
BAD_REQUEST = "Invalid HTTP request received."
# A header line longer than http.client's 65,536-byte limit makes botocore drop the response
# (ConnectionClosedError); the body keeps the full text, the header a bounded, ASCII copy.
HEADER_LIMIT = 1024
_UNSAFE = re.compile(r"[^\x20-\x7e]")

CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"POST, GET, PUT, DELETE, OPTIONS"),
    (
        b"access-control-allow-headers",
        b"content-type, x-amz-target, x-amz-user-agent, authorization, x-amz-date, "
        b"x-amz-security-token, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, "
        b"cache-control",
    ),
    (
        b"access-control-expose-headers",
        b"x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    ),
    (b"access-control-max-age", b"86400"),
]


def with_cors(send: Send) -> Send:
    """`send` adding the CORS headers to the response: for requests with an `Origin` (browsers
    send one on every cross-origin request); other clients are spared the bytes."""

    async def cors_send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *CORS]}
        await send(message)

    return cors_send


_date: list[Any] = [-1, b""]  # (monotonic second, Date value): formatted once a second


def _date_header() -> bytes:
    second = int(time.monotonic())
    if _date[0] != second:
        _date[:] = [second, formatdate(usegmt=True).encode()]
    return bytes(_date[1])


class BodyTooLarge(Exception):
    """The request body is longer than the front accepts."""


def header_value(text: str) -> bytes:
    """`text` as a header value: printable ASCII only (anything else becomes `?`), at most
    HEADER_LIMIT characters, so every client's header parser reads it."""
    if len(text) > HEADER_LIMIT:
        text = text[: HEADER_LIMIT - 3] + "..."
    return _UNSAFE.sub("?", text).encode("ascii")


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"__type": code, "message": message}, separators=(",", ":")).encode()


async def read_body(receive: Receive, limit: int, declared: int | None) -> bytes | None:
    """The whole request body (chunked or not); None when the client went away; BodyTooLarge past
    `limit` bytes, declared or received."""
    if declared is not None and declared > limit:
        raise BodyTooLarge
    message = await receive()
    if message["type"] != "http.request":
        return None
    body: bytes = message.get("body", b"")
    if len(body) > limit:
        raise BodyTooLarge
    if not message.get("more_body"):
        return body  # the common case: one message
    parts = [body]
    size = len(body)
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        parts.append(chunk)
        if not message.get("more_body"):
            return b"".join(parts)


async def send_response(
    send: Send,
    status: int,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
    *,
    close: bool = False,
) -> None:
    """One complete response with Content-Length and Date."""
    head = [*headers, (b"content-length", str(len(body)).encode()), (b"date", _date_header())]
    if close:
        head.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Send, status: int, payload: Any) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    await send_response(send, status, body, [(b"content-type", b"application/json")])


async def send_error(
    send: Send,
    status: int,
    code: str,
    message: str,
    *,
    close: bool = False,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """An AWS JSON error: `{"__type", "message"}` with `x-amzn-ErrorType`/`x-amzn-ErrorMessage`."""
    headers = [
        (b"content-type", CONTENT_TYPE.encode()),
        (b"x-amzn-errortype", f"{code}:".encode()),
        *(extra or []),
    ]
    if message:
        headers.append((b"x-amzn-errormessage", header_value(message)))
    await send_response(send, status, error_body(code, message), headers, close=close)
