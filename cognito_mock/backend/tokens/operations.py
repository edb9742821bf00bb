"""Token lifecycle operations: RevokeToken, GlobalSignOut, AdminUserGlobalSignOut,
GetTokensFromRefreshToken (with rotation) and GetSigningCertificate."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.records import AppClient
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    client_by_id,
)
from cognito_mock.backend.tokens.lifecycle import refresh_for_client, revoke_for_client
from cognito_mock.backend.tokens.store import signing_certificate
from cognito_mock.backend.tokens.verify import (
    authenticate_access_token,
)
from cognito_mock.errors import (
    NotAuthorizedException,
    ResourceNotFoundException,
    UnauthorizedException,
    UserNotFoundException,
)

__all__: list[str] = []

CLIENT_AUTH_FAILED = "Client authentication failed."


def _secret_matches(client: AppClient, given: str | None) -> bool:
    secrets = client.secret_values()
    if not secrets:
        return True
    return given is not None and any(same(s, given) for s in secrets)


@operation("RevokeToken")
def revoke_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    try:
        pool, client = client_by_id(backend, request["ClientId"])
    except ResourceNotFoundException:  # not declared for RevokeToken: a client-auth failure
        raise UnauthorizedException(CLIENT_AUTH_FAILED) from None
    if not _secret_matches(client, request.get("ClientSecret")):
        raise UnauthorizedException(CLIENT_AUTH_FAILED)
    revoke_for_client(pool, client, request["Token"])
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
    return {
        "AuthenticationResult": refresh_for_client(backend, pool, client, request["RefreshToken"])
    }


@operation("GetSigningCertificate")
def get_signing_certificate(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"Certificate": signing_certificate(backend, backend.pool(request["UserPoolId"]))}
