"""Region routing for requests that carry no signature: the backend owning the resource they name.

The service routes by endpoint (`cognito-idp.<region>.amazonaws.com`); one local server answers
every region, so a signed request's credential scope names its region and an unsigned one (SignUp,
InitiateAuth, ConfirmSignUp, GlobalSignOut, ... and the OAuth2 endpoints) is routed by what it
names, in this order: `UserPoolId` (the backend holding the pool), `ClientId` (the mock-wide client
index), `AccessToken` (the kid index of the key that signed it), `Session` (the backend holding the
challenge session). Anything else, or a resource no backend holds, goes to the mock's own region,
which answers with the service's not-found error as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_mock.backend.kernel.guards import token_claims

if TYPE_CHECKING:
    from cognito_mock.backend.kernel.state import Backend
    from cognito_mock.mock import CognitoMock

__all__ = ["locate", "route", "route_oauth2"]


def _kid(token: str) -> str | None:
    """The `kid` of a JWT's header, unverified (verification happens in the backend)."""
    kid = token_claims(token)[0].get("kid")
    return kid if isinstance(kid, str) else None


def _holding_pool(mock: CognitoMock, pool_id: str) -> Backend | None:
    # The mock's own account first (with one account, the usual case, the only one), and the
    # pool's own region (its id's prefix) before a region holding a replica of it.
    region = pool_id.split("_", 1)[0]
    backends = sorted(
        mock._backends.values(),
        key=lambda b: (b.account_id != mock.account_id, b.region != region),
    )
    for backend in backends:
        if pool_id in backend.pools:
            return backend
    return None


def _holding_client(mock: CognitoMock, client_id: str) -> Backend | None:
    pool_id = mock.services.client_index.get(client_id)
    if pool_id is not None:
        found = _holding_pool(mock, pool_id)
        if found is not None and client_id in found.pools[pool_id].clients:
            return found
    # A stale index (restored state): scan the pools, as client_rules.client_by_id does.
    for backend in list(mock._backends.values()):
        if any(client_id in pool.clients for pool in backend.pools.values()):
            return backend
    return None


def _holding_token(mock: CognitoMock, token: str) -> Backend | None:
    owner = mock.services.kid_index.get(_kid(token) or "")
    if owner is None:
        return None
    return mock._backends.get((owner[0], owner[1]))


def _holding_session(mock: CognitoMock, session: str) -> Backend | None:
    for backend in list(mock._backends.values()):
        if any(session in pool.challenge_sessions for pool in backend.pools.values()):
            return backend
    return None


def locate(mock: CognitoMock, params: dict[str, Any]) -> Backend | None:
    """The backend holding the resource an unsigned request names, or None."""
    pool_id = params.get("UserPoolId")
    if isinstance(pool_id, str):
        return _holding_pool(mock, pool_id)
    client_id = params.get("ClientId")
    if isinstance(client_id, str):
        return _holding_client(mock, client_id)
    token = params.get("AccessToken")
    if isinstance(token, str):
        return _holding_token(mock, token)
    session = params.get("Session")
    if isinstance(session, str):
        return _holding_session(mock, session)
    return None


def route(mock: CognitoMock, params: dict[str, Any]) -> Backend:
    """The backend that answers an unsigned request: `locate`'s, else the mock's own region."""
    with mock._lock:  # the indexes and backends change under the lock
        found = locate(mock, params)
    return found if found is not None else mock.backend()


def route_oauth2(
    mock: CognitoMock,
    form: dict[str, str],
    basic: tuple[str, str] | None,
    bearer: str | None,
) -> Backend:
    """The backend of an OAuth2 endpoint request: its client (form or Basic credentials) or, for
    userInfo, its bearer token; else the mock's own region."""
    client_id = basic[0] if basic is not None else form.get("client_id")
    if client_id:
        return route(mock, {"ClientId": client_id})
    if bearer:
        return route(mock, {"AccessToken": bearer})
    return mock.backend()
