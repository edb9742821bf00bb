"""RS256 compact JWS for ID and access tokens, and opaque JWE-shaped refresh tokens."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import pybase64
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from cognito_mock import compact_json
from cognito_mock.backend.crypto.keys import SigningKey
from cognito_mock.minted import minted

__all__ = [
    "REFRESH_TOKEN_HEADER",
    "decode_verified",
    "encode",
    "encode_payload",
    "refresh_token",
    "verified_claims",
]

# The refresh token's protected header, byte for byte as the service issues it:
# {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}.
REFRESH_TOKEN_HEADER = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"
# Part sizes in bytes: RSA-2048 encrypted key, GCM IV, a typical ciphertext, GCM tag.
_REFRESH_PARTS = (256, 12, 400, 16)
_REFRESH_BYTES = sum(_REFRESH_PARTS)

# Tokens we issue never come near this; it bounds the work a hostile string can cause.
_MAX_TOKEN_CHARS = 64 * 1024
_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")
_SIGNATURE_BYTES = 256  # RSA-2048
# RS256's padding and hash, made once: both are immutable descriptions (two objects a signature).
_PKCS1 = padding.PKCS1v15()
_SHA256 = hashes.SHA256()
# Tokens remembered per key as verified; past this the memory starts again (a suite's tokens
# are used a few times each, soon after issue).
_VERIFIED_LIMIT = 1024  # ~2 MB at most per key (a token and its claims)


_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def _b64url(raw: bytes) -> str:
    """Unpadded base64url. pybase64's SIMD encoder writes the URL-safe alphabet in one pass,
    but its call costs more than binascii's: short inputs (a refresh token's IV and tag) go
    to binascii. (altchars passed by position: a keyword costs pybase64 a third more.)"""
    if len(raw) < 64:
        return binascii.b2a_base64(raw, newline=False).translate(_URL_SAFE).rstrip(b"=").decode()
    return pybase64.b64encode(raw, b"-_").rstrip(b"=").decode()


def _b64url_decode(segment: str) -> bytes:
    """Strict base64url: the alphabet only (the stdlib silently drops other characters)."""
    if not _SEGMENT.fullmatch(segment):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def encode(claims: Mapping[str, Any], key: SigningKey) -> str:
    """A compact RS256 JWS of `claims` (compact JSON, claims in the given order)."""
    return encode_payload(compact_json.dumps(claims), key)


def encode_payload(payload: str, key: SigningKey) -> str:
    """A compact RS256 JWS of a payload already encoded as JSON text."""
    signing_input = f"{key.header_segment}.{_b64url(payload.encode())}"
    signature = key.private_key.sign(signing_input.encode("ascii"), _PKCS1, _SHA256)
    # Base64url segments and dots whatever the claims: remembered as such (`minted`).
    return minted(f"{signing_input}.{_b64url(signature)}")


def decode_verified(token: str, keys_by_kid: Mapping[str, SigningKey]) -> dict[str, Any] | None:
    """The claims of a well-formed RS256 token whose kid is known and whose signature holds.

    Anything else, including any garbage string, gives None; this never raises. Expiry,
    issuer, audience and revocation are the caller's to check.
    """
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header_segment, payload_segment, signature_segment = parts
    try:
        # Header first: it is untrusted, so everything about it is checked before use.
        header = json.loads(_b64url_decode(header_segment))
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            return None  # rejects alg:none and HS256-with-the-public-key confusion alike
        kid = header.get("kid")
        key = keys_by_kid.get(kid) if isinstance(kid, str) else None
        if key is None:
            return None
        signature = _b64url_decode(signature_segment)
        if len(signature) != _SIGNATURE_BYTES:
            return None
        if not _SEGMENT.fullmatch(payload_segment):
            return None
        key.public_key.verify(
            signature,
            f"{header_segment}.{payload_segment}".encode("ascii"),
            _PKCS1,
            _SHA256,
        )
        claims = json.loads(_b64url_decode(payload_segment))
    # ValueError covers binascii.Error, JSONDecodeError and UnicodeDecodeError; RecursionError
    # is what json raises on deeply nested input.
    except (InvalidSignature, ValueError, binascii.Error, RecursionError):
        return None
    return claims if isinstance(claims, dict) else None


def verified_claims(token: str, key: SigningKey) -> dict[str, Any] | None:
    """`decode_verified` for one key, remembering what it proved: a token string this key has
    verified verifies again without the RSA work (the string is the whole proof: same header,
    payload and signature). A copy of the claims, so callers cannot edit the memory."""
    if not isinstance(token, str):
        return None
    known = key.verified.get(token)
    if known is None:
        known = decode_verified(token, {key.kid: key})
        if known is None:
            return None
        if len(key.verified) >= _VERIFIED_LIMIT:
            key.verified.clear()
        key.verified[token] = known
    return dict(known)


def refresh_token(
    random_bytes: Callable[[int], bytes], seal: Callable[[bytes], bytes] = lambda raw: raw
) -> str:
    """An opaque, JWE-shaped refresh token; the server maps it to state, it means nothing itself.
    `seal` may rewrite its bytes (before the last 16: the "tag") to mark who issued it."""
    # One draw of all the parts: each size is a multiple of 4, so a seeded stream gives the
    # same bytes as one draw per part did (random.randbytes fills 32-bit words in order).
    raw = seal(random_bytes(_REFRESH_BYTES))
    parts, at = [], 0
    for size in _REFRESH_PARTS:
        parts.append(_b64url(raw[at : at + size]))
        at += size
    return minted(".".join([REFRESH_TOKEN_HEADER, *parts]))
