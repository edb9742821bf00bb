"""What the rest of the backend asks of an app client: finding it (by pool or mock-wide by id),
its auth flows and existence-error setting, token validity, refresh-token rotation, SECRET_HASH."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.crypto.secret_hash import secret_hash
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
)

__all__ = [
    "DEFAULT_FLOWS",
    "LEGACY_FLOWS",
    "UNIT_SECONDS",
    "VALIDITY",
    "allowed_flows",
    "check_flow",
    "check_secret_hash",
    "client_by_id",
    "client_index",
    "hides_user_existence",
    "require_client",
    "rotation_enabled",
    "token_validity_seconds",
    "validity_seconds",
]

DEFAULT_FLOWS = ("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH")
LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# token -> (value member, default unit, default seconds, effective range in seconds)
VALIDITY = {
    "access": ("AccessTokenValidity", "AccessToken", "hours", 3600, (300, 86400)),
    "id": ("IdTokenValidity", "IdToken", "hours", 3600, (300, 86400)),
    "refresh": ("RefreshTokenValidity", "RefreshToken", "days", 30 * 86400, (3600, 3650 * 86400)),
}
# Flow -> the ALLOW_* permission it needs.
_PERMISSION = {
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "USER_AUTH": "ALLOW_USER_AUTH",
}


def client_index(backend: Backend) -> dict[str, str]:
    """Mock-wide client id -> pool id, so self-service calls (ClientId only) find the pool in O(1)."""
    return backend.services.client_index


def _not_found(client_id: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"User pool client {client_id} does not exist.")


def require_client(backend: Backend, pool_id: str, client_id: str) -> AppClient:
    """The pool's client; ResourceNotFoundException for an unknown pool or a client of another pool."""
    client = backend.pool(pool_id).clients.get(client_id)
    if client is None:
        raise _not_found(client_id)
    return client


def client_by_id(backend: Backend, client_id: str) -> tuple[UserPool, AppClient]:
    """The pool holding `client_id` and the client, or the service's ResourceNotFoundException."""
    pool = backend.pools.get(client_index(backend).get(client_id, ""))
    if pool is not None and client_id in pool.clients:
        return pool, pool.clients[client_id]
    # The index misses (or is stale) only for unknown ids, deleted pools, another account/region's
    # client or restored state: scan the pools (not users) and repair it, so a restored snapshot
    # never hides a client. A miss is never dropped from the mock-wide index: it may be another
    # backend's client.
    for pool in backend.pools.values():
        if client_id in pool.clients:
            client_index(backend)[client_id] = pool.id
            return pool, pool.clients[client_id]
    raise _not_found(client_id)


def allowed_flows(client: AppClient) -> set[str]:
    """The client's auth flows as ALLOW_* names, defaults applied and legacy names translated.

    Legacy clients always allowed SRP, refresh and custom auth; CUSTOM_AUTH_FLOW_ONLY took away
    the password flows (SRP included), leaving custom auth and refresh.
    """
    flows = client.settings.get("ExplicitAuthFlows") or list(DEFAULT_FLOWS)
    if not any(f in LEGACY_FLOWS for f in flows):
        return set(flows)
    if "CUSTOM_AUTH_FLOW_ONLY" in flows:
        return {"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    return set(DEFAULT_FLOWS) | {LEGACY_FLOWS[f] for f in flows}


def hides_user_existence(client: AppClient) -> bool:
    """PreventUserExistenceErrors is ENABLED (absent means the API default, LEGACY)."""
    return client.settings.get("PreventUserExistenceErrors") == "ENABLED"


def validity_seconds(settings: dict[str, Any], token: str) -> int:
    member, unit_key, default_unit, default, _ = VALIDITY[token]
    value = settings.get(member)
    if not value:
        return default
    unit = settings.get("TokenValidityUnits", {}).get(unit_key, default_unit)
    return int(value) * UNIT_SECONDS[unit]


def token_validity_seconds(client: AppClient) -> dict[str, int]:
    """{"access": s, "id": s, "refresh": s}: how long tokens this client issues stay valid."""
    return {token: validity_seconds(client.settings, token) for token in VALIDITY}


def check_flow(client: AppClient, flow: str, *, admin: bool) -> None:
    if _PERMISSION[flow] in allowed_flows(client):
        return
    if admin:
        raise InvalidParameterException("Auth flow not enabled for this client")
    if flow == "CUSTOM_AUTH":
        raise InvalidParameterException("CUSTOM_AUTH is not enabled for the client.")
    name = "REFRESH_TOKEN_AUTH" if flow == "REFRESH_TOKEN" else flow
    raise InvalidParameterException(f"{name} flow not enabled for this client")


def rotation_enabled(client: AppClient) -> bool:
    """RefreshTokenRotation is on: each refresh returns a new refresh token."""
    rotation = client.settings.get("RefreshTokenRotation") or {}
    return rotation.get("Feature") == "ENABLED"


def check_secret_hash(
    client: AppClient, usernames: str | list[str], given: str | None, *, auth_flow: bool = False
) -> None:
    """Raise NotAuthorizedException unless `given` is right for one of `usernames` (or the
    client has no secret). Any of the client's secrets is accepted (secret rotation)."""
    secrets = client.secret_values()
    if not secrets:
        return
    if not given:
        if auth_flow:
            raise NotAuthorizedException(
                f"Client {client.client_id} is configured with secret but SECRET_HASH was not received"
            )
        raise NotAuthorizedException(f"Unable to verify secret hash for client {client.client_id}")
    names = [usernames] if isinstance(usernames, str) else usernames
    for secret in secrets:
        for name in names:
            if same(secret_hash(secret, name, client.client_id), given):
                return
    raise NotAuthorizedException(f"SecretHash does not match for the client: {client.client_id}")
