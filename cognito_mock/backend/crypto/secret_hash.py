"""SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id))."""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["secret_hash"]


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """The SECRET_HASH a client with `secret` sends for `username`."""
    digest = hmac.digest(secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(digest).decode()
