"""HTTP for the control API under `/_cognito-mock/`: method and path to a control operation, the
query string and JSON body to its parameters, its answer to JSON (errors as AWS JSON errors)."""

from __future__ import annotations

import json
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

from cognito_mock.errors import WireError
from cognito_mock.transports.asgi import (
    NOT_UNDERSTOOD,
    BodyTooLarge,
    Receive,
    Scope,
    Send,
    read_body,
    send_error,
    send_json,
)

__all__ = ["PREFIX", "ROUTES", "handle"]

PREFIX = "/_cognito-mock/"

# (method, path under the prefix) -> control operation; `triggers/<name>` is matched apart.
ROUTES: dict[tuple[str, str], str] = {
    ("POST", "reset"): "reset",
    ("GET", "outbox"): "outbox",
    ("GET", "outbox/last"): "outbox.last",
    ("GET", "clock"): "clock",
    ("POST", "clock/advance"): "clock.advance",
    ("POST", "clock/set"): "clock.set",
    ("GET", "faults"): "faults",
    ("POST", "faults"): "faults.add",
    ("DELETE", "faults"): "faults.clear",
    ("POST", "seed"): "seed",
    ("PUT", "triggers/*"): "triggers.put",
    ("DELETE", "triggers/*"): "triggers.delete",
}


class ControlTarget(Protocol):
    def control(self, name: str, params: dict[str, Any]) -> dict[str, Any]: ...  # pragma: no cover


def _route(method: str, rest: str) -> tuple[str | None, dict[str, Any], str]:
    """(operation or None, parameters from the path, the route's path pattern)."""
    path, params = rest.rstrip("/"), {}
    if path.startswith("triggers/") and path.count("/") == 1 and len(path) > len("triggers/"):
        params["name"] = unquote(path[len("triggers/") :])
        path = "triggers/*"
    return ROUTES.get((method, path)), params, path


async def handle(
    target: ControlTarget, scope: Scope, receive: Receive, send: Send, max_body: int
) -> None:
    method = scope["method"]
    operation, params, path = _route(method, scope["path"][len(PREFIX) :])
    if operation is None:
        allowed = sorted(m for m, p in ROUTES if p == path)
        if allowed:
            await send_error(
                send, 405, "MethodNotAllowedException",
                f"{method} is not allowed on {scope['path']}; use {' or '.join(allowed)}.",
                extra=[(b"allow", ", ".join(allowed).encode())],
            )  # fmt: skip
            return
        await send_error(send, 404, "UnknownOperationException", NOT_UNDERSTOOD)
        return
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                                 keep_blank_values=True):  # fmt: skip
        params[name] = value
    try:
        body = await read_body(receive, max_body, None)
    except BodyTooLarge:
        await send_error(send, 413, "RequestEntityTooLargeException",
                         f"HTTP content length exceeded {max_body} bytes.", close=True)  # fmt: skip
        return
    if body is None:
        return
    if body.strip():
        try:
            document = json.loads(body)
        except ValueError:
            await send_error(send, 400, "SerializationException", "The body is not valid JSON.")
            return
        if not isinstance(document, dict):
            await send_error(send, 400, "SerializationException", "The body must be a JSON object.")
            return
        clash = sorted(set(document) & set(params))
        if clash:
            await send_error(send, 400, "InvalidParameterException",
                             f"{', '.join(clash)} given twice (path or query, and body).")  # fmt: skip
            return
        params.update(document)
    try:
        answer = target.control(operation, params)
    except WireError as error:
        await send_error(send, error.status, error.code, error.message)
        return
    await send_json(send, 200, answer)
