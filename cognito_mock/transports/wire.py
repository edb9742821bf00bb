"""The AWS JSON 1.1 codec: `X-Amz-Target` routing, request bodies, result and error bodies/headers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.errors import ServiceError, WireError
from cognito_mock.shapes import index

__all__ = [
    "CONTENT_TYPE",
    "WireError",
    "WireResponse",
    "decode_request",
    "encode_error",
    "encode_result",
    "operation_from_target",
]

CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass
class WireResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# Built once: json.loads/json.dumps with options construct a new decoder/encoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def operation_from_target(target: str | None) -> str:
    """`AWSCognitoIdentityProviderService.AdminGetUser` -> `AdminGetUser`."""
    prefix = index()["target_prefix"] + "."
    if not target or not target.startswith(prefix):
        raise WireError("UnknownOperationException", "")
    name = target[len(prefix) :]
    if name not in index()["operations"]:
        raise WireError("UnknownOperationException", "")
    return name


def decode_request(target: str | None, body: bytes | str | None) -> tuple[str, dict[str, Any]]:
    """The operation name and its wire-form parameters; WireError when either cannot be read."""
    operation = operation_from_target(target)
    if not body:
        return operation, {}
    try:
        text = (
            body.decode(json.detect_encoding(body), "surrogatepass")
            if isinstance(body, (bytes, bytearray))
            else body
        )
        params = _DECODER.decode(text)
    except (ValueError, UnicodeDecodeError):
        raise WireError("SerializationException", "Failed to parse the request body.") from None
    if not isinstance(params, dict):
        raise WireError(
            "SerializationException",
            "Start of list found where not expected"
            if isinstance(params, list)
            else "Expected a JSON object as the request body.",
        )
    return operation, params


def _headers(request_id: str) -> dict[str, str]:
    return {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": request_id}


def encode_result(result: dict[str, Any], request_id: str) -> WireResponse:
    body = _ENCODER.encode(result).encode("utf-8")
    return WireResponse(200, body, _headers(request_id))


def encode_error(error: ServiceError | WireError, request_id: str) -> WireResponse:
    """The error body `{"__type", "message"}` with `x-amzn-ErrorType`/`x-amzn-ErrorMessage` headers."""
    if isinstance(error, ServiceError):
        payload, status = error.to_wire(), error.status
    else:
        payload, status = {"__type": error.code, "message": error.message}, error.status
    headers = _headers(request_id)
    headers["x-amzn-ErrorType"] = f"{payload['__type']}:"
    if payload.get("message"):
        # Header values must be latin-1; the body keeps the exact text.
        headers["x-amzn-ErrorMessage"] = (
            str(payload["message"])
            .encode("latin-1", "replace")
            .decode("latin-1")
            .replace("\n", " ")
        )
    body = _ENCODER.encode(payload).encode("utf-8")
    return WireResponse(status, body, headers)
