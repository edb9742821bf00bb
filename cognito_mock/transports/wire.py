"""The AWS JSON 1.1 codec: `X-Amz-Target` routing, request bodies, result and error bodies/headers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cognito_mock import compact_json
from cognito_mock.errors import ServiceError, WireError
from cognito_mock.shapes import index

__all__ = [
    "CONTENT_TYPE",
    "WireError",
    "WireResponse",
    "decode_request",
    "encode_error",
    "encode_json",
    "encode_result",
    "operation_from_target",
    "result_headers",
]

CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass
class WireResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# Built once: json.loads with options constructs a new decoder on every call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_SPACE = " \t\n\r"  # JSON's whitespace
# Long flat bodies parsed lately, by their bytes: a token sent again (GetUser after GetUser) is
# not scanned again by json (~10 instructions a character), and the token string it gives back
# is one whose hash is known, so the handler's lookups by value cost nothing more. Only bodies of
# immutable values are kept, and each caller gets a new dict (issue 16). Bounded: emptied when full.
_PARSED: dict[bytes, dict[str, Any]] = {}
_PARSED_LIMIT = 256
_LONG_BODY, _LONG_BODY_LIMIT = 256, 8192
_SCALARS = frozenset({str, int, float, bool, type(None)})
_HEADER_LIMIT = 4096


def operation_from_target(target: str | None) -> str:
    """`AWSCognitoIdentityProviderService.AdminGetUser` -> `AdminGetUser`."""
    name = _operations_by_target().get(target) if isinstance(target, str) else None
    if name is None:
        raise WireError("UnknownOperationException", "")
    return name


@cache
def _operations_by_target() -> dict[str, str]:
    prefix = index()["target_prefix"] + "."
    return {prefix + name: name for name in index()["operations"]}


def decode_request(target: str | None, body: bytes | str | None) -> tuple[str, dict[str, Any]]:
    """The operation name and its wire-form parameters; WireError when either cannot be read."""
    operation = operation_from_target(target)
    if not body:
        return operation, {}
    key = body if isinstance(body, bytes) and _LONG_BODY < len(body) <= _LONG_BODY_LIMIT else None
    if key is not None:
        known = _PARSED.get(key)
        if known is not None:
            return operation, dict(known)  # a new dict of the same immutable values
    try:
        if isinstance(body, (bytes, bytearray)):
            # A body opening with `{` and no NUL after it is UTF-8 (what detect_encoding says).
            utf8 = body[:1] == b"{" and body[1:2] != b"\x00"
            text = body.decode("utf-8" if utf8 else json.detect_encoding(body), "surrogatepass")
        else:
            text = body
        params = _parse(text)
    # ValueError covers bad JSON and bad UTF-8; json raises RecursionError on deep nesting (a
    # body of `[[[[…` is refused here, before anything walks it).
    # The service answers a body it cannot parse, or one that is a JSON scalar, with a
    # SerializationException without a text; a list gets the deserializer's list text.
    except (ValueError, RecursionError):
        raise WireError("SerializationException", "") from None
    if not isinstance(params, dict):
        message = "Start of list found where not expected" if isinstance(params, list) else ""
        raise WireError("SerializationException", message)
    if key is not None and all(type(value) in _SCALARS for value in params.values()):
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[key] = dict(params)
    return operation, params


def _parse(text: str) -> Any:
    """`json.loads(text)` with non-finite numbers refused; ValueError for anything else."""
    # JSONDecoder.decode without its regex-based whitespace skipping (a third of a small body).
    value, end = _DECODER.raw_decode(text, len(text) - len(text.lstrip(_SPACE)))
    if text[end:].strip(_SPACE):
        raise ValueError("extra data after the JSON value")
    return value


def result_headers(request_id: str) -> dict[str, str]:
    return {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": request_id}


def encode_json(value: Any) -> bytes:
    """`value` as the service writes JSON: compact, UTF-8."""
    # Values never hold unpaired surrogates (the deserializer refuses them); were one to slip
    # through, it is written as `?` (as Java's encoder does), never a UnicodeEncodeError.
    return compact_json.dumps(value).encode("utf-8", "replace")


def _header_value(text: str) -> str:
    """`text` as a header value: latin-1 only, at most `_HEADER_LIMIT` characters. (The HTTP
    server narrows it further to printable ASCII; in-process clients read it as it is.)"""
    if len(text) > _HEADER_LIMIT:
        text = text[:_HEADER_LIMIT] + "..."
    return text.encode("latin-1", "replace").decode("latin-1").replace("\n", " ")


def encode_result(result: dict[str, Any], request_id: str) -> WireResponse:
    return WireResponse(200, encode_json(result), result_headers(request_id))


def encode_error(error: ServiceError | WireError, request_id: str) -> WireResponse:
    """The error body `{"__type", "message"}` with `x-amzn-ErrorType`/`x-amzn-ErrorMessage` headers."""
    if isinstance(error, ServiceError):
        payload, status = error.to_wire(), error.status
    else:  # the protocol's own errors: empty where the service sends no text
        payload, status = {"__type": error.code, "message": error.message}, error.status
    headers = result_headers(request_id)
    headers["x-amzn-ErrorType"] = f"{payload['__type']}:"
    if payload.get("message"):
        # Header values must be latin-1 and one line; the body keeps the exact text.
        headers["x-amzn-ErrorMessage"] = _header_value(str(payload["message"]))
    return WireResponse(status, encode_json(payload), headers)
