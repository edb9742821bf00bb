"""The user pool domain's OAuth2 endpoints: `/oauth2/token`, `/oauth2/revoke`, `/oauth2/userInfo`."""

from __future__ import annotations

import json
from typing import Any

from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import allowed_flows, client_by_id
from cognito_mock.backend.tokens.authorization_codes import redeem_code, token_payload
from cognito_mock.backend.tokens.lifecycle import refresh_for_client, revoke_for_client
from cognito_mock.backend.tokens.machine import grantable_scopes, machine_access_token
from cognito_mock.backend.tokens.token_exchange import GRANT as TOKEN_EXCHANGE
from cognito_mock.backend.tokens.token_exchange import exchange
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import (
    NotAuthorizedException,
    OAuthError,
    RefreshTokenReuseException,
    ResourceNotFoundException,
    UnauthorizedException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
    UserNotFoundException,
)

__all__ = ["ENDPOINTS", "Response", "answer", "authenticate_client", "revoke", "token", "user_info"]

Response = tuple[int, dict[str, str], bytes]

ENDPOINTS = frozenset({"/oauth2/token", "/oauth2/revoke", "/oauth2/userInfo"})
JSON_TYPE = "application/json;charset=UTF-8"
_USERINFO_BAD_REQUEST = (
    'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
)
_USERINFO_BAD_TOKEN = (
    'error="invalid_token", error_description="Access token is expired, disabled, or deleted, '
    'or the user has globally signed out."'
)


def _json(payload: dict[str, Any]) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    # Token answers must never be cached (RFC 6749 §5.1).
    return 200, {"Content-Type": JSON_TYPE, "Cache-Control": "no-store", "Pragma": "no-cache"}, body


def authenticate_client(
    backend: Backend, form: dict[str, str], basic: tuple[str, str] | None
) -> tuple[UserPool, AppClient, str | None]:
    """The calling client, by `client_secret_basic` (`basic`: the Authorization header's id and
    secret), `client_secret_post`, or its id alone when it has no secret; 401 `invalid_client`
    otherwise. Returns the secret presented (if any)."""
    if basic is not None:
        client_id, secret = basic
        if form.get("client_id", client_id) != client_id:
            raise OAuthError("invalid_client", 401)  # two different identities in one request
        given: str | None = secret
    else:
        client_id = form.get("client_id", "")
        given = form.get("client_secret")
        if not client_id:
            raise OAuthError("invalid_client", 401)
    try:
        pool, client = client_by_id(backend, client_id)
    except ResourceNotFoundException:
        raise OAuthError("invalid_client", 401) from None
    secrets = client.secret_values()
    if secrets:
        if given is None or not any(same(s, given) for s in secrets):
            raise OAuthError("invalid_client", 401)
    elif given:
        raise OAuthError("invalid_client", 401)  # a secret for a public client proves nothing
    return pool, client, given


# ----------------------------------------------------------------------------- /oauth2/token


def _oauth_enabled(client: AppClient, flow: str | None = None) -> bool:
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient"):
        return False
    return flow is None or flow in (client.settings.get("AllowedOAuthFlows") or [])


def _client_credentials(
    backend: Backend, pool: UserPool, client: AppClient, form: dict[str, str]
) -> Response:
    if not client.secret_values() or not _oauth_enabled(client, "client_credentials"):
        raise OAuthError("unauthorized_client")
    grantable = grantable_scopes(pool, client)
    requested = form.get("scope")
    if requested is None:
        scopes = grantable
    else:
        scopes = list(dict.fromkeys(requested.split()))
        if any(scope not in grantable for scope in scopes):
            raise OAuthError("invalid_scope")
    if not scopes:
        raise OAuthError("invalid_scope")
    access, validity = machine_access_token(backend, pool, client, scopes)
    return _json({"access_token": access, "expires_in": validity, "token_type": "Bearer"})


def _refresh(backend: Backend, pool: UserPool, client: AppClient, form: dict[str, str]) -> Response:
    refresh = form.get("refresh_token")
    if not refresh:
        raise OAuthError("invalid_request")
    if not _oauth_enabled(client) or "ALLOW_REFRESH_TOKEN_AUTH" not in allowed_flows(client):
        raise OAuthError("unauthorized_client")
    try:
        result = refresh_for_client(backend, pool, client, refresh)
    except (NotAuthorizedException, RefreshTokenReuseException, UserNotFoundException):
        raise OAuthError("invalid_grant") from None
    return _json(token_payload(result))


def token(backend: Backend, form: dict[str, str], basic: tuple[str, str] | None = None) -> Response:
    """POST /oauth2/token for the parsed form; raises OAuthError."""
    grant = form.get("grant_type")
    if not grant:
        raise OAuthError("invalid_request")
    pool, client, _ = authenticate_client(backend, form, basic)
    if grant == "client_credentials":
        return _client_credentials(backend, pool, client, form)
    if grant == "refresh_token":
        return _refresh(backend, pool, client, form)
    if grant == "authorization_code":
        if not form.get("code") or not form.get("redirect_uri"):
            raise OAuthError("invalid_request")
        if not _oauth_enabled(client, "code"):
            raise OAuthError("unauthorized_client")
        result = redeem_code(
            backend, pool, client, form["code"], form["redirect_uri"], form.get("code_verifier")
        )
        return _json(token_payload(result))
    if grant == TOKEN_EXCHANGE:  # gated by the client's ALLOW_TOKEN_EXCHANGE_* flows, as the API is
        return _json(exchange(backend, pool, client, form))
    raise OAuthError("unsupported_grant_type")


# ----------------------------------------------------------------------------- /oauth2/revoke


def revoke(
    backend: Backend, form: dict[str, str], basic: tuple[str, str] | None = None
) -> Response:
    """POST /oauth2/revoke: RevokeToken's semantics with OAuth2 error codes; success is empty."""
    value = form.get("token")
    if not value:
        raise OAuthError("invalid_request")
    pool, client, _ = authenticate_client(backend, form, basic)
    try:
        revoke_for_client(pool, client, value)
    except UnauthorizedException:  # the token belongs to another client
        raise OAuthError("invalid_client", 401) from None
    except UnsupportedTokenTypeException:
        raise OAuthError("unsupported_token_type") from None
    except UnsupportedOperationException:  # revocation disabled for the client
        raise OAuthError("invalid_request") from None
    return 200, {}, b""


# ----------------------------------------------------------------------------- /oauth2/userInfo


# userInfo's attributes per OIDC scope (developer guide, "The user attributes endpoint"); a token
# with `openid` alone reads every attribute the client may read.
_SCOPE_ATTRIBUTES = {
    "profile": frozenset(
        {"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
         "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale",
         "updated_at"}
    ),
    "email": frozenset({"email", "email_verified"}),
    "phone": frozenset({"phone_number", "phone_number_verified"}),
}  # fmt: skip


def _scope_allows(scopes: set[str], name: str) -> bool:
    narrowing = [scope for scope in _SCOPE_ATTRIBUTES if scope in scopes]
    if not narrowing:
        return True
    if "profile" in scopes and name.startswith("custom:"):
        return True  # the profile scope also returns custom attributes
    return any(name in _SCOPE_ATTRIBUTES[scope] for scope in narrowing)


def user_info(backend: Backend, bearer: str | None) -> Response:
    """GET/POST /oauth2/userInfo: the token's user's attributes its scopes and client allow.

    Accepted: a live access token of the token endpoint with the `openid` scope. Native-API
    tokens (scope `aws.cognito.signin.user.admin` only) and machine tokens are refused like
    expired or revoked ones (401 `invalid_token`).
    """
    if not bearer:
        raise OAuthError("invalid_request", 400, {"WWW-Authenticate": _USERINFO_BAD_REQUEST})
    try:
        pool, user, claims = authenticate_access_token(backend, bearer, scope="openid")
    except (NotAuthorizedException, UserNotFoundException):
        raise OAuthError("invalid_token", 401, {"WWW-Authenticate": _USERINFO_BAD_TOKEN}) from None
    client = pool.clients.get(str(claims.get("client_id")))
    readable = (client.settings.get("ReadAttributes") if client else None) or None
    scopes = set(str(claims.get("scope", "")).split())
    payload: dict[str, Any] = {"sub": user.sub}
    for name, value in user.attributes.items():
        if name == "sub" or name.startswith("dev:"):
            continue
        if (readable is None or name in readable) and _scope_allows(scopes, name):
            payload[name] = value  # the endpoint answers attribute values as strings
    payload["username"] = user.username
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return 200, {"Content-Type": JSON_TYPE}, body


# ----------------------------------------------------------------------------- entry point


def answer(
    backend: Backend,
    endpoint: str,
    form: dict[str, str],
    basic: tuple[str, str] | None,
    bearer: str | None,
) -> Response:
    """One parsed request to `endpoint` (in ENDPOINTS); raises OAuthError for a refusal."""
    if endpoint == "/oauth2/token":
        return token(backend, form, basic)
    if endpoint == "/oauth2/revoke":
        return revoke(backend, form, basic)
    return user_info(backend, bearer)
