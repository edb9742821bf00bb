"""HTTP parsing for the OAuth2 endpoints: the form body, `Authorization: Basic` client credentials
and `Authorization: Bearer` tokens, turned into the plain values `CognitoMock.handle_oauth2` takes."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from cognito_mock.errors import OAUTH2_ENDPOINTS, OAuthError

__all__ = ["FORM_TYPE", "OAuth2Request", "as_sent", "parse"]

FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class OAuth2Request:
    """One request to an OAuth2 endpoint, parsed."""

    endpoint: str  # a key of OAUTH2_ENDPOINTS
    form: dict[str, str]
    basic: tuple[str, str] | None  # (client id, secret) from `Authorization: Basic`
    bearer: str | None  # the token from `Authorization: Bearer`


def parse_form(content_type: str | None, body: bytes) -> dict[str, str]:
    """The form parameters; `invalid_request` for another content type, bad encoding or a
    repeated parameter (RFC 6749 §3.1: parameters must not be included more than once)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != FORM_TYPE:
        raise OAuthError("invalid_request")
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise OAuthError("invalid_request") from None
    if any(len(values) > 1 for values in parsed.values()):
        raise OAuthError("invalid_request")
    return {name: values[0] for name, values in parsed.items()}


def _sendable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def as_sent(
    form: dict[str, str], basic: tuple[str, str] | None, bearer: str | None
) -> tuple[dict[str, str], tuple[str, str] | None, str | None]:
    """An in-process request as it would arrive over HTTP: text that UTF-8 cannot carry (an
    unpaired surrogate) becomes `?`, as it would on the wire, so nothing behind the endpoints
    meets a string it cannot encode."""
    clean = {_sendable(str(k)): _sendable(str(v)) for k, v in form.items()}
    pair = None if basic is None else (_sendable(basic[0]), _sendable(basic[1]))
    return clean, pair, None if bearer is None else _sendable(bearer)


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """(client id, secret) from `Authorization: Basic`; None without that header."""
    if not authorization or authorization[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise OAuthError("invalid_client", 401) from None
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id:
        raise OAuthError("invalid_client", 401)
    # RFC 6749 §2.3.1: both halves are form-url-encoded before being joined.
    return unquote(client_id), unquote(secret)


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def parse(
    path: str, method: str, body: bytes, content_type: str | None, authorization: str | None
) -> OAuth2Request:
    """The request to OAuth2 endpoint `path`; raises OAuthError (`invalid_request`, or
    `invalid_client` for unreadable Basic credentials) for what never reaches the endpoint."""
    if path not in OAUTH2_ENDPOINTS:
        raise ValueError(f"{path} is not an OAuth2 endpoint")
    if path == "/oauth2/userInfo":
        if method not in ("GET", "POST"):
            raise OAuthError("invalid_request")
        return OAuth2Request(path, {}, None, bearer_token(authorization))
    if method != "POST":
        raise OAuthError("invalid_request")
    form = parse_form(content_type, body)
    return OAuth2Request(path, form, basic_credentials(authorization), None)
