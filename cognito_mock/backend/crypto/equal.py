"""Constant-time equality of secrets given as text or bytes: the one place the mock compares them.

`hmac.compare_digest` raises TypeError on a `str` holding anything but ASCII, so a non-ASCII code,
SECRET_HASH or client secret would crash the comparison instead of failing it. Text is compared as
its UTF-8 bytes (an unpaired surrogate, which the deserializer refuses anyway, passes through
unchanged rather than raising), and values of different kinds are simply unequal.
"""

from __future__ import annotations

import hmac

__all__ = ["same"]


def _raw(value: str | bytes) -> bytes:
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value


def same(given: str | bytes | None, expected: str | bytes | None) -> bool:
    """Whether `given` equals `expected`, in time independent of where they differ."""
    if given is None or expected is None or isinstance(given, str) != isinstance(expected, str):
        return False
    return hmac.compare_digest(_raw(given), _raw(expected))
