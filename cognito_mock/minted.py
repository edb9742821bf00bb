"""Tokens the mock minted: strings made only of base64url characters and dots by construction,
remembered by identity so the response check and the wire encoder need not scan them again.

A sign-in answers with three tokens of ~4,000 characters in all. The response check proves each
matches its pattern (`[A-Za-z0-9-_=.]+`) by scanning it, and the wire encoder scans it again to
copy it without JSON escaping: together ~13% of a sign-in's instructions (issue 16). A JWT or
refresh token built by `backend/crypto/jwt.py` is base64url segments joined by dots whatever its
claims, so its maker remembers it here, and both checks accept that very object without a scan.

Only the object its maker built is known (a dict from `id()` to the object itself, which keeps
it alive, so an id cannot be reused while it is remembered); an equal string made anywhere else
is scanned as before. The memory is small: two generations of 64, the older dropped at once.
"""

from __future__ import annotations

import string

__all__ = ["ALPHABET", "is_minted", "minted"]

ALPHABET = frozenset(string.ascii_letters + string.digits + "-_.")
_LIMIT = 64  # a generation: a few sign-ins' worth (each mints three and checks them at once)
# Two generations: when the newer is full it becomes the older and the older is dropped, so the
# tokens of the call under way (minted just before a turnover) are still known when checked.
_made: dict[int, str] = {}
_older: dict[int, str] = {}


def minted(text: str) -> str:
    """Remember `text`, which its maker built of `ALPHABET` characters only; return it."""
    global _made, _older
    if len(_made) >= _LIMIT:
        _older, _made = _made, {}  # each name rebound in one step, safe beside readers
    _made[id(text)] = text
    return text


def is_minted(value: object) -> bool:
    """Whether `value` is a string `minted` remembers (so made of `ALPHABET` only)."""
    if type(value) is not str:
        return False
    key = id(value)
    return _made.get(key) is value or _older.get(key) is value
