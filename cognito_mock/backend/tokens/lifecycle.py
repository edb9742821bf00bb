"""Refreshing and revoking with an app client that has already proven who it is: the logic shared
by GetTokensFromRefreshToken / RevokeToken and the OAuth2 token and revoke endpoints."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    check_flow,
    hides_user_existence,
    rotation_enabled,
)
from cognito_mock.backend.tokens.issue import issue_tokens
from cognito_mock.backend.tokens.store import token_store
from cognito_mock.backend.tokens.verify import refresh_record, revoke_refresh_token
from cognito_mock.errors import (
    NotAuthorizedException,
    RefreshTokenReuseException,
    UnauthorizedException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
    UserNotFoundException,
)

__all__ = ["refresh_for_client", "revoke_for_client"]


def refresh_for_client(
    backend: Backend, pool: UserPool, client: AppClient, token: str
) -> dict[str, Any]:
    """New tokens for a refresh token issued to `client` (AuthenticationResult, wire form): the
    record checks, Pre token generation and rotation (a new refresh token; the old one retired
    after the client's grace period)."""
    check_flow(client, "REFRESH_TOKEN_AUTH", admin=False)
    known = token_store(pool).refresh.get(token)
    if (
        known is not None
        and known.retired_at is not None
        and known.client_id == client.client_id
        and backend.clock.now() >= known.retired_at
    ):
        # Rotated out and past its grace period.
        raise RefreshTokenReuseException("Refresh token has already been used.")
    try:
        record, user = refresh_record(backend, pool, client, token)
    except UserNotFoundException:
        if hides_user_existence(client):
            raise NotAuthorizedException("Invalid Refresh Token") from None
        raise
    rotate = rotation_enabled(client)
    result = issue_tokens(
        backend, pool, client, user, origin=record.origin, new_refresh_token=rotate
    )
    if rotate and record.retired_at is None:
        grace = (client.settings.get("RefreshTokenRotation") or {}).get(
            "RetryGracePeriodSeconds", 0
        )
        record.retired_at = backend.clock.now() + float(grace or 0)
    return result


def revoke_for_client(pool: UserPool, client: AppClient, token: str) -> None:
    """Revoke a refresh token issued to `client` and every access token of its sign-in.

    Unknown tokens are ignored (RFC 7009: revocation is idempotent); ID and access tokens cannot
    be revoked; a token of another client is refused.
    """
    if not client.settings.get("EnableTokenRevocation", True):
        raise UnsupportedOperationException("Token revocation is not enabled for this client.")
    if token.count(".") == 2:  # a JWS: an ID or access token
        raise UnsupportedTokenTypeException("Only refresh tokens can be revoked.")
    record = token_store(pool).refresh.get(token)
    if record is None:
        return
    if record.client_id != client.client_id:
        raise UnauthorizedException("The token was not issued to this client.")
    revoke_refresh_token(record)
