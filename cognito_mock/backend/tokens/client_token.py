"""GetClientToken: a machine-to-machine access token for an app client that proves its secret and
has ALLOW_CLIENT_TOKEN_AUTH as its only flow (the same token as `/oauth2/token` client_credentials)."""

from __future__ import annotations

import hmac
from typing import Any

from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import allowed_flows, client_by_id
from cognito_mock.backend.tokens.machine import grantable_scopes, machine_access_token
from cognito_mock.errors import InvalidParameterException, NotAuthorizedException
from cognito_mock.shapes import CLIENT_TOKEN_FLOW

__all__ = ["FLOW_NOT_ENABLED", "INVALID_SCOPE", "NO_SCOPES", "NO_SECRET", "WRONG_SECRET"]

# The service's texts for these refusals are unpublished; these follow its wording for the
# neighbouring refusals (`USER_PASSWORD_AUTH flow not enabled for this client`, `ClientSecret does
# not match for the client: <id>`, `Invalid scope requested: <scope>`).
FLOW_NOT_ENABLED = f"{CLIENT_TOKEN_FLOW} flow not enabled for this client"
NO_SECRET = "Client {} has no client secret: GetClientToken needs a confidential app client"
WRONG_SECRET = "Secret does not match for the client: {}"
INVALID_SCOPE = "Invalid scope requested: {}"
NO_SCOPES = "Client {} has no custom scopes to grant: allow resource-server scopes in its AllowedOAuthScopes"


@operation("GetClientToken")
def get_client_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Client authentication first (the secret), then the flow, then the scopes. ClientMetadata is
    accepted and unused: the model declares no Lambda errors for this operation, so no trigger runs."""
    pool, client = client_by_id(backend, request["ClientId"])
    secrets = client.secret_values()
    if not secrets:
        raise NotAuthorizedException(NO_SECRET.format(client.client_id))
    given = request["Secret"]
    raw = given.encode("utf-8", "surrogatepass")
    if not any(hmac.compare_digest(s.encode(), raw) for s in secrets):
        raise NotAuthorizedException(WRONG_SECRET.format(client.client_id))
    if allowed_flows(client) != {CLIENT_TOKEN_FLOW}:
        raise InvalidParameterException(FLOW_NOT_ENABLED)
    grantable = grantable_scopes(pool, client)
    requested = request.get("Scopes")
    if not requested:  # none named: every scope configured for the client
        scopes = grantable
    else:
        scopes = list(dict.fromkeys(requested))
        for scope in scopes:
            if scope not in grantable:
                raise InvalidParameterException(INVALID_SCOPE.format(scope))
    if not scopes:
        raise InvalidParameterException(NO_SCOPES.format(client.client_id))
    token, validity = machine_access_token(backend, pool, client, scopes)
    return {
        "ClientAuthenticationResult": {
            "AccessToken": token,
            "ExpiresIn": validity,
            "TokenType": "Bearer",
        }
    }
