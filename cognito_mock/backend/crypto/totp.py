"""TOTP (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 6 digits, 30-second steps): pure functions."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cognito_mock.backend.crypto.equal import same

__all__ = ["STEP", "totp_code", "totp_match"]

STEP = 30  # RFC 6238 time step
_SKEW = 1  # steps accepted either side (developer guide: codes from 30 s before or after)


def totp_code(secret: str, counter: int) -> str:
    """RFC 4226 HOTP (HMAC-SHA1, 6 digits) of the base32 `secret` at `counter`."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_match(secret: str, code: str, now: float) -> list[int]:
    """The time steps within the skew whose code is `code` (usually none or one)."""
    current = int(now // STEP)
    steps = range(current - _SKEW, current + _SKEW + 1)
    return [s for s in steps if same(totp_code(secret, s), code)]
