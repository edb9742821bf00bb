"""Session tracking: list and revoke a user's token sessions; the pool's and app clients' session
configuration."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import require_client
from cognito_mock.backend.tokens.store import (
    Origin,
    access_origin,
    revoke_session,
    sessions_of,
    token_store,
)
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)

__all__ = ["DEFAULT_SSO_MINUTES", "sso_validity_minutes"]

DEFAULT_SSO_MINUTES = 60
PAGE_SIZE = 125  # "all of a user's sessions in a single page of up to 125 sessions"
NOT_TRACKING = "Session tracking is not enabled for this user pool."
NEEDS_TIER = "Session management requires the Essentials tier or higher."
NO_SESSION = "Session does not exist."
OWN_SESSION = "The session that the access token belongs to can't be revoked."

# ----------------------------------------------------------------------------- sessions


def _require_tracking(pool: UserPool) -> None:
    if not token_store(pool).tracking:
        raise OperationNotEnabledException(NOT_TRACKING)


def _describe(origin: Origin, current: Origin | None) -> dict[str, Any]:
    # API sign-ins carry no user agent, IP or SSO parent: DeviceType is the documented `unknown`,
    # and LastIPAddress, LastLocation and OriginSessionId are left out.
    return {
        "SessionId": origin.session_id,
        "SessionType": "TOKEN",
        "ClientId": origin.client_id,
        "CreateDate": origin.created,
        "LastActiveDate": origin.last_active,
        "DeviceType": "unknown",
        "IsCurrentSession": origin is current,
    }


def _list(
    backend: Backend, pool: UserPool, user: User, token: str | None, current: Origin | None
) -> dict[str, Any]:
    sessions = _active(backend, pool, user)
    # Creation order, ties broken by id: stable across pages.
    keys = [[origin.created, origin.session_id] for origin in sessions]
    page, next_token = page_after(
        backend, "user_sessions", f"{pool.id}/{user.sub}", keys, sessions, PAGE_SIZE, token
    )
    result: dict[str, Any] = {"Sessions": [_describe(origin, current) for origin in page]}
    if next_token:
        result["NextToken"] = next_token
    return result


def _active(backend: Backend, pool: UserPool, user: User) -> list[Origin]:
    """Live sessions whose app client still exists (a deleted client's tokens no longer refresh)."""
    return [o for o in sessions_of(backend, pool, user) if o.client_id in pool.clients]


def _find(backend: Backend, pool: UserPool, user: User, session_id: str) -> Origin:
    """The user's active session `session_id`; SSO sessions never exist (no managed login)."""
    for origin in _active(backend, pool, user):
        if origin.session_id == session_id:
            return origin
    raise ResourceNotFoundException(NO_SESSION)


@operation("ListUserSessions")
def list_user_sessions(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, claims = authenticate_access_token(backend, request["AccessToken"])
    _require_tracking(pool)
    return _list(backend, pool, user, request.get("NextToken"), access_origin(pool, claims))


@operation("AdminListUserSessions")
def admin_list_user_sessions(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    _require_tracking(pool)
    return _list(backend, pool, user, request.get("NextToken"), None)


@operation("RevokeUserSession")
def revoke_user_session(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, claims = authenticate_access_token(backend, request["AccessToken"])
    _require_tracking(pool)
    origin = _find(backend, pool, user, request["SessionId"])
    if origin is access_origin(pool, claims):
        raise InvalidParameterException(OWN_SESSION)
    # LINKED also revokes the parent SSO session; API sign-ins have none, so it equals NONE.
    revoke_session(pool, user, origin)
    return {}


@operation("AdminRevokeUserSession")
def admin_revoke_user_session(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    _require_tracking(pool)
    revoke_session(pool, user, _find(backend, pool, user, request["SessionId"]))
    return {}


# ----------------------------------------------------------------------------- configuration


def _require_tier(pool: UserPool) -> None:
    if pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(NEEDS_TIER)


def _pool_configuration(pool: UserPool) -> dict[str, Any]:
    store = token_store(pool)
    return {
        "UserPoolId": pool.id,
        "UserSessionTracking": "ENABLED" if store.tracking else "DISABLED",
        "TokenSession": {"MaxPerUser": store.max_sessions},
    }


@operation("SetUserPoolSessionConfiguration")
def set_user_pool_session_configuration(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    store = token_store(pool)
    tracking = request["UserSessionTracking"] == "ENABLED"
    if store.tracking and not tracking:
        # Turning tracking off drops the session records; the tokens themselves stay valid.
        store.sessions.clear()
    store.tracking = tracking
    # A lower limit evicts nothing now: each user is brought within it at their next sign-in.
    store.max_sessions = int(request["TokenSession"]["MaxPerUser"])
    return _pool_configuration(pool)


@operation("GetUserPoolSessionConfiguration")
def get_user_pool_session_configuration(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    return _pool_configuration(backend.pool(request["UserPoolId"]))


def _sso_settings(pool: UserPool) -> dict[str, int]:
    """Client id -> SSO MaxValidityMinutes; kept (dormant) while tracking is off."""
    return pool.sso_settings


def sso_validity_minutes(pool: UserPool, client_id: str) -> int:
    """How long the client silently reuses an SSO session (for a future managed-login concern)."""
    return _sso_settings(pool).get(client_id, DEFAULT_SSO_MINUTES)


def _client_configuration(pool: UserPool, client_id: str) -> dict[str, Any]:
    return {
        "UserPoolId": pool.id,
        "ClientId": client_id,
        "SSOSession": {"MaxValidityMinutes": sso_validity_minutes(pool, client_id)},
    }


@operation("SetUserPoolClientSessionConfiguration")
def set_user_pool_client_session_configuration(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    _require_tracking(pool)
    _sso_settings(pool)[client.client_id] = int(request["SSOSession"]["MaxValidityMinutes"])
    return _client_configuration(pool, client.client_id)


@operation("GetUserPoolClientSessionConfiguration")
def get_user_pool_client_session_configuration(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    return _client_configuration(backend.pool(request["UserPoolId"]), client.client_id)
