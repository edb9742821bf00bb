"""Machine-to-machine access tokens: the custom scopes an app client may be granted and the claims
of a token that names a client, not a user. `/oauth2/token`'s client_credentials grant and
GetClientToken issue the same tokens through here."""

from __future__ import annotations

from cognito_mock.backend.crypto import jwt
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import token_validity_seconds
from cognito_mock.backend.pool_config.resource_servers import custom_scopes
from cognito_mock.backend.tokens.store import issuer, pool_keys, token_store

__all__ = ["STANDARD_SCOPES", "grantable_scopes", "machine_access_token"]

STANDARD_SCOPES = frozenset(
    {"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"}
)


def grantable_scopes(pool: UserPool, client: AppClient) -> list[str]:
    """The client's allowed scopes that are resource-server scopes still defined in the pool."""
    defined = custom_scopes(pool)
    allowed = client.settings.get("AllowedOAuthScopes") or []
    return [s for s in allowed if s not in STANDARD_SCOPES and s in defined]


def machine_access_token(
    backend: Backend, pool: UserPool, client: AppClient, scopes: list[str]
) -> tuple[str, int]:
    """(signed access token, seconds it is valid) for `client` itself with `scopes`."""
    now = int(backend.clock.now())
    validity = token_validity_seconds(client)["access"]
    # Claims in the order machine-to-machine tokens show them (fact sheet §2.3): no username,
    # no groups, no origin; `version: 2` marks a token from the OAuth endpoints.
    claims = {
        "sub": client.client_id,
        "token_use": "access",
        "scope": " ".join(scopes),
        "auth_time": now,
        "iss": issuer(backend, pool),
        "exp": now + validity,
        "iat": now,
        "version": 2,
        "jti": backend.ids.uuid4(),
        "client_id": client.client_id,
    }
    token_store(pool).machine[str(claims["jti"])] = client.client_id
    return jwt.encode(claims, pool_keys(backend, pool)[1]), validity
