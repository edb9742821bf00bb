"""Opaque, tamper-evident, stable pagination tokens shared by every List* operation.

A token names the sort key of the last item returned, so items added or removed between pages never
make a page repeat or skip an item that existed throughout. It is signed (HMAC-SHA256) with a key of
this mock's (`mock_mac`), over the list it pages (`kind`) and whose list it is (`scope`: the pool,
user, group ...),
so a forged, altered or foreign token (another pool's, another mock's, one from before `reset()`) is
`InvalidParameterException` before anything reads it, never a crash or someone else's page.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, TypeVar

from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.kernel.state import Backend, mock_mac
from cognito_mock.errors import InvalidParameterException

__all__ = ["INVALID_TOKEN", "decode_token", "encode_token", "page_after"]

T = TypeVar("T")

INVALID_TOKEN = "Invalid pagination token."  # the mock's wording: no public response shows one
_MAC_CHARS = 27  # 160 bits of the HMAC, base64url


def _mac(backend: Backend, kind: str, scope: str, payload: str) -> str:
    digest = mock_mac(backend, "page", kind, scope, payload)
    return base64.urlsafe_b64encode(digest).decode("ascii")[:_MAC_CHARS]


def encode_token(backend: Backend, kind: str, scope: str, key: Any) -> str:
    """A token resuming `kind`'s list of `scope` after `key` (JSON: numbers, strings, lists)."""
    raw = json.dumps(key, separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{payload}.{_mac(backend, kind, scope, payload)}"


def decode_token(backend: Backend, kind: str, scope: str, token: str) -> Any:
    """The key inside `token`; InvalidParameterException unless this mock made it for this list."""
    payload, _, mac = token.rpartition(".")
    if not payload or not same(mac, _mac(backend, kind, scope, payload)):
        raise InvalidParameterException(INVALID_TOKEN)
    try:  # signed by us, so well-formed; decoding stays defensive all the same
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error):
        raise InvalidParameterException(INVALID_TOKEN) from None


def page_after(
    backend: Backend,
    kind: str,
    scope: str,
    keys: Sequence[Any],
    items: Sequence[T],
    limit: int,
    token: str | None,
) -> tuple[list[T], str | None]:
    """One page of `items` (sorted by `keys`, parallel lists) after the token's key."""
    start = 0
    if token is not None:
        after = decode_token(backend, kind, scope, token)
        try:
            start = bisect_right(keys, after)
        except TypeError:  # a key of an older shape of this list: start again is wrong, refuse
            raise InvalidParameterException(INVALID_TOKEN) from None
    page = list(items[start : start + limit])
    if not page or start + limit >= len(items):
        return page, None
    return page, encode_token(backend, kind, scope, keys[start + limit - 1])
