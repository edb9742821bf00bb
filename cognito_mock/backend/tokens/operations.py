"""Token lifecycle operations: RevokeToken, GlobalSignOut, AdminUserGlobalSignOut,
GetTokensFromRefreshToken (with rotation) and GetSigningCertificate."""

from __future__ import annotations

import hmac
from typing import Any

from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.records import AppClient
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    check_flow,
    client_by_id,
    hides_user_existence,
    rotation_enabled,
)
from cognito_mock.backend.tokens.issue import issue_tokens
from cognito_mock.backend.tokens.store import signing_certificate, token_store
from cognito_mock.backend.tokens.verify import (
    authenticate_access_token,
    refresh_record,
    revoke_refresh_token,
)
from cognito_mock.errors import (
    NotAuthorizedException,
    RefreshTokenReuseException,
    ResourceNotFoundException,
    UnauthorizedException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
    UserNotFoundException,
)

__all__: list[str] = []

CLIENT_AUTH_FAILED = "Client authentication failed."


def _secret_matches(client: AppClient, given: str | None) -> bool:
    secrets = client.secret_values()
    if not secrets:
        return True
    return given is not None and any(hmac.compare_digest(s, given) for s in secrets)


@operation("RevokeToken")
def revoke_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    try:
        pool, client = client_by_id(backend, request["ClientId"])
    except ResourceNotFoundException:  # not declared for RevokeToken: a client-auth failure
        raise UnauthorizedException(CLIENT_AUTH_FAILED) from None
    if not _secret_matches(client, request.get("ClientSecret")):
        raise UnauthorizedException(CLIENT_AUTH_FAILED)
    if not client.settings.get("EnableTokenRevocation", True):
        raise UnsupportedOperationException("Token revocation is not enabled for this client.")
    token = request["Token"]
    if token.count(".") == 2:  # a JWS: an ID or access token
        raise UnsupportedTokenTypeException("Only refresh tokens can be revoked.")
    record = token_store(pool).refresh.get(token)
    if record is None:
        return {}  # unknown or already gone: revocation is idempotent (RFC 7009)
    if record.client_id != client.client_id:
        raise UnauthorizedException("The token was not issued to this client.")
    revoke_refresh_token(record)
    return {}


@operation("GlobalSignOut")
def global_sign_out(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    try:
        _pool, user, _ = authenticate_access_token(backend, request["AccessToken"])
    except UserNotFoundException as error:  # not declared for GlobalSignOut
        raise NotAuthorizedException(error.message) from None
    user.revoke_tokens()
    return {}


@operation("AdminUserGlobalSignOut")
def admin_user_global_sign_out(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    require_user(pool, request["Username"]).revoke_tokens()
    return {}


@operation("GetTokensFromRefreshToken")
@with_caller  # PreTokenGeneration events carry the caller's ClientId and ClientMetadata
def get_tokens_from_refresh_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = client_by_id(backend, request["ClientId"])
    secret = request.get("ClientSecret")
    if client.secret_values():
        if not secret:
            raise NotAuthorizedException(
                f"Client {client.client_id} is configured with secret but ClientSecret was not "
                "received"
            )
        if not _secret_matches(client, secret):
            raise NotAuthorizedException(
                f"ClientSecret does not match for the client: {client.client_id}"
            )
    check_flow(client, "REFRESH_TOKEN_AUTH", admin=False)
    token = request["RefreshToken"]
    known = token_store(pool).refresh.get(token)
    retired = (
        known is not None and known.retired_at is not None and known.client_id == client.client_id
    )
    if retired and backend.clock.now() >= known.retired_at:  # type: ignore[union-attr,operator]
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
    return {"AuthenticationResult": result}


@operation("GetSigningCertificate")
def get_signing_certificate(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"Certificate": signing_certificate(backend, backend.pool(request["UserPoolId"]))}
