"""Checking tokens at use time: access tokens (signature, expiry, revocation, scope, the user
record they were issued to) and refresh tokens (client, rotation, expiry, revocation, the user)."""

from __future__ import annotations

import base64
import binascii
import functools
import json
from typing import Any

from cognito_mock.backend.crypto import jwt
from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.issue import ADMIN_SCOPE
from cognito_mock.backend.tokens.store import (
    Origin,
    RefreshRecord,
    origin_user,
    pool_keys,
    revoked,
    token_store,
)
from cognito_mock.errors import NotAuthorizedException, UserNotFoundException

__all__ = [
    "INVALID_ACCESS",
    "INVALID_REFRESH",
    "authenticate_access_token",
    "refresh_record",
    "revoke_refresh_token",
]

INVALID_ACCESS = "Invalid Access Token"
INVALID_REFRESH = "Invalid Refresh Token"


def _unverified_kid(token: str) -> str | None:
    head = token.split(".", 1)[0] if isinstance(token, str) else ""
    if not head or len(head) > 1024:
        return None
    return _kid_of_header(head)


@functools.lru_cache(maxsize=256)  # a pure parse; a mock's tokens share a few header segments
def _kid_of_header(head: str) -> str | None:
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def _number(value: Any) -> float:
    return float(value) if type(value) in (int, float) else 0.0


def _claims_match(claims: dict[str, Any], origin: Origin) -> bool:
    """The token names the user and authentication its record was made for (claims no Pre
    token generation trigger may change)."""
    return claims.get("sub") == origin.sub and (
        claims.get("origin_jti", origin.origin_jti) == origin.origin_jti
    )


def authenticate_access_token(
    backend: Backend, token: str, *, scope: str = ADMIN_SCOPE
) -> tuple[UserPool, User, dict[str, Any]]:
    """The pool, user and claims of a live access token this mock issued, else the service's
    NotAuthorizedException (invalid, expired, revoked, missing `scope`) or UserNotFoundException
    (the user was deleted). Callers whose operation lacks UserNotFoundException translate it."""
    owner = backend.services.kid_index.get(_unverified_kid(token) or "")
    if owner is None or owner[0] != backend.account_id or owner[3] != "access":
        raise NotAuthorizedException(INVALID_ACCESS)
    pool = backend.pools.get(owner[2])  # as this Region serves it: its own, or a replica
    if pool is None:
        raise NotAuthorizedException(INVALID_ACCESS)
    access_key = pool_keys(backend, pool)[1]
    claims = jwt.verified_claims(token, access_key)
    if claims is None or claims.get("token_use") != "access":
        raise NotAuthorizedException(INVALID_ACCESS)
    # The signature proves the pool signed it; the record proves this mock issued it, now.
    origin = token_store(pool).access.get(str(claims.get("jti")))
    if origin is None or not _claims_match(claims, origin):
        raise NotAuthorizedException(INVALID_ACCESS)
    if _number(claims.get("exp")) <= backend.clock.now():
        raise NotAuthorizedException("Access Token has expired")
    user = origin_user(pool, origin)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if scope not in str(claims.get("scope", "")).split():
        raise NotAuthorizedException("Access Token does not have required scopes")
    if revoked(origin, user):
        raise NotAuthorizedException("Access Token has been revoked")
    return pool, user, claims


def refresh_record(
    backend: Backend, pool: UserPool, client: AppClient, token: str
) -> tuple[RefreshRecord, User]:
    """The live refresh record for `token` issued to `client`, and its user.

    NotAuthorizedException `Invalid Refresh Token` (unknown, other client, retired by rotation),
    `Refresh Token has expired`, `Refresh Token has been revoked`, `User is disabled.`;
    UserNotFoundException `User does not exist.` when the user was deleted.
    """
    record = token_store(pool).refresh.get(token)
    if record is None or not same(record.client_id, client.client_id):
        raise NotAuthorizedException(INVALID_REFRESH)
    now = backend.clock.now()
    if record.retired_at is not None and now >= record.retired_at:
        raise NotAuthorizedException(INVALID_REFRESH)
    if now >= record.expires:
        raise NotAuthorizedException("Refresh Token has expired")
    user = origin_user(pool, record.origin)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if record.revoked or revoked(record.origin, user):
        raise NotAuthorizedException("Refresh Token has been revoked")
    return record, user


# ----------------------------------------------------------------------------- revocation


def revoke_refresh_token(record: RefreshRecord) -> None:
    """RevokeToken: this refresh token and every access token of its origin stop working."""
    record.revoked = True
    record.origin.revoked = True
