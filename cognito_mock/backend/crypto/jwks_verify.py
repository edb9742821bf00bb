"""Verifying an RS256 JWT signed by someone else against their JWKS document (a federated
identity provider's ID token); no state, and no trust in anything the token says of itself."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["verify_rs256"]

_MAX_TOKEN_CHARS = 64 * 1024
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def _decode(segment: str) -> bytes:
    if not _SEGMENT.fullmatch(segment):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _number(value: Any) -> int:
    return int.from_bytes(_decode(str(value)), "big")


def _key(jwks: Any, kid: Any) -> rsa.RSAPublicKey | None:
    """The JWKS's RSA signing key with `kid` (the only one, when the token names none)."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        return None
    candidates = [
        k for k in keys
        if isinstance(k, dict) and k.get("kty") == "RSA" and k.get("use", "sig") == "sig"
        and (kid is None or k.get("kid") == kid)
    ]  # fmt: skip
    if len(candidates) != 1:
        return None
    try:
        numbers = rsa.RSAPublicNumbers(_number(candidates[0]["e"]), _number(candidates[0]["n"]))
        return numbers.public_key()
    except (KeyError, ValueError, binascii.Error):
        return None


def verify_rs256(token: str, jwks: Any) -> dict[str, Any] | None:
    """The claims of `token` when it is a compact RS256 JWS signed by a key of `jwks`; else None."""
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS or token.count(".") != 2:
        return None
    head, body, signature = token.split(".")
    try:
        header = json.loads(_decode(head))
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            return None
        key = _key(jwks, header.get("kid"))
        if key is None:
            return None
        key.verify(_decode(signature), f"{head}.{body}".encode("ascii"), padding.PKCS1v15(),
                   hashes.SHA256())  # fmt: skip
        claims = json.loads(_decode(body))
    except (ValueError, binascii.Error, InvalidSignature, RecursionError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None
