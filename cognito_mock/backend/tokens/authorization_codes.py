"""Authorization codes of `/oauth2/authorize`: bound to the client, redirect_uri, PKCE challenge,
nonce and scopes of the request that made them; single use, 5 minutes on the mock's clock; and
their redemption by the `authorization_code` grant of `/oauth2/token`."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.issue import issue_tokens
from cognito_mock.errors import OAuthError

__all__ = [
    "CODE_LIFETIME",
    "HOSTED_SOURCE",
    "AuthorizationCode",
    "Grant",
    "implicit_tokens",
    "issue_code",
    "pkce_s256",
    "redeem_code",
    "token_payload",
]

CODE_LIFETIME = 300.0  # "code single-use, 5 min" (fact sheet section 12)
# PreTokenGeneration's triggerSource for tokens of a managed-login sign-in.
HOSTED_SOURCE = "TokenGeneration_HostedAuth"
_KEEP_AFTER_EXPIRY = 3600.0  # used and expired codes linger a while, then are dropped


@dataclass(frozen=True)
class Grant:
    """What a finished `/oauth2/authorize` grants: the user, scopes and the request's bindings."""

    sub: str
    scopes: tuple[str, ...]
    redirect_uri: str
    nonce: str | None = None
    code_challenge: str | None = None  # S256 of the verifier the token request must present
    auth_time: int = 0  # when the user authenticated (an SSO session keeps its first time)


@dataclass
class AuthorizationCode:
    client_id: str
    grant: Grant
    expires: float
    used: bool = False


def pkce_s256(verifier: str) -> str:
    """RFC 7636 S256: base64url(SHA-256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _prune(backend: Backend, pool: UserPool) -> None:
    codes = pool.authorization_codes
    if len(codes) % 256 == 0 and codes:
        horizon = backend.clock.now() - _KEEP_AFTER_EXPIRY
        for key in [k for k, v in codes.items() if v.expires < horizon]:
            del codes[key]


def issue_code(backend: Backend, pool: UserPool, client: AppClient, grant: Grant) -> str:
    """A new code for `grant` to `client` (the service's codes are UUIDs)."""
    _prune(backend, pool)
    code = backend.ids.uuid4()
    pool.authorization_codes[code] = AuthorizationCode(
        client_id=client.client_id, grant=grant, expires=backend.clock.now() + CODE_LIFETIME
    )
    return code


def token_payload(result: dict[str, Any]) -> dict[str, Any]:
    """An AuthenticationResult as the token endpoint answers it (snake_case, id_token first)."""
    payload: dict[str, Any] = {}
    if "IdToken" in result:
        payload["id_token"] = result["IdToken"]
    payload["access_token"] = result["AccessToken"]
    if "RefreshToken" in result:
        payload["refresh_token"] = result["RefreshToken"]
    payload.update({"expires_in": result["ExpiresIn"], "token_type": "Bearer"})
    return payload


def _user(pool: UserPool, grant: Grant) -> User:
    user = pool.users.by_sub.get(grant.sub)
    if user is None or not user.enabled:
        raise OAuthError("invalid_grant")  # deleted or disabled since the code was issued
    return user


def redeem_code(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    code: str,
    redirect_uri: str,
    verifier: str | None,
) -> dict[str, Any]:
    """The `authorization_code` grant for an authenticated `client`: the AuthenticationResult, or
    OAuthError `invalid_grant` (unknown, used, expired or another client's code; another
    redirect_uri; a wrong PKCE verifier) or `invalid_request` (a PKCE code without verifier)."""
    found = pool.authorization_codes.get(code)
    if found is None or not hmac.compare_digest(found.client_id, client.client_id):
        raise OAuthError("invalid_grant")
    if found.used or backend.clock.now() >= found.expires:
        raise OAuthError("invalid_grant")
    grant = found.grant
    if grant.code_challenge is not None:
        if not verifier:
            raise OAuthError("invalid_request")
        if not hmac.compare_digest(pkce_s256(verifier), grant.code_challenge):
            found.used = True  # whoever holds the code without its verifier gets one try
            raise OAuthError("invalid_grant")
    if redirect_uri != grant.redirect_uri:
        raise OAuthError("invalid_grant")
    found.used = True
    return issue_tokens(
        backend, pool, client, _user(pool, grant), source=HOSTED_SOURCE, scopes=grant.scopes,
        nonce=grant.nonce, auth_time=grant.auth_time,
    )  # fmt: skip


def implicit_tokens(
    backend: Backend, pool: UserPool, client: AppClient, grant: Grant
) -> dict[str, Any]:
    """The implicit grant (`response_type=token`): tokens at once, never a refresh token."""
    return issue_tokens(
        backend, pool, client, _user(pool, grant), new_refresh_token=False, source=HOSTED_SOURCE,
        scopes=grant.scopes, nonce=grant.nonce, auth_time=grant.auth_time,
    )  # fmt: skip
