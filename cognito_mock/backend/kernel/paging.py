"""Opaque, stable pagination tokens shared by every List* operation.

A token names the sort key of the last item returned, so items added or removed between pages never
make a page repeat or skip an item that existed throughout.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, TypeVar

from cognito_mock.errors import InvalidParameterException

__all__ = ["decode_token", "encode_token", "page_after"]

T = TypeVar("T")


def encode_token(kind: str, key: Any) -> str:
    raw = json.dumps([kind, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(kind: str, token: str) -> Any:
    """The key inside `token`; InvalidParameterException if it is not one of ours for `kind`."""
    try:
        padded = token + "=" * (-len(token) % 4)
        found_kind, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, TypeError):
        raise InvalidParameterException("Invalid pagination token.") from None
    if found_kind != kind:
        raise InvalidParameterException("Invalid pagination token.")
    return key


def page_after(
    keys: Sequence[Any], items: Sequence[T], limit: int, token: str | None, kind: str
) -> tuple[list[T], str | None]:
    """One page of `items` (sorted by `keys`, parallel lists) after the token's key."""
    start = 0 if token is None else bisect_right(keys, decode_token(kind, token))
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return page, (encode_token(kind, keys[start + limit - 1]) if more and page else None)
