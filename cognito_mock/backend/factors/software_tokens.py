"""Software tokens (TOTP authenticator apps): AssociateSoftwareToken, VerifySoftwareToken (by
access token or during MFA_SETUP) and AdminDeleteSoftwareToken."""

from __future__ import annotations

import base64
from typing import Any

from cognito_mock.backend.crypto.totp import totp_match
from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.kernel.challenge_sessions import (
    AuthSession,
    open_session,
    session_owner,
    take_session,
)
from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.mfa_config import pool_factors
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import (
    EnableSoftwareTokenMFAException,
    InvalidParameterException,
    NotAuthorizedException,
    SoftwareTokenMFANotFoundException,
    UserNotFoundException,
)

__all__ = [
    "SETUP_ASSOCIATED",
    "SETUP_VERIFIED",
    "TOTP_NOT_ENABLED",
    "associate_secret",
    "verify_pending_secret",
]

TOTP_NOT_ENABLED = "Software Token MFA has not been enabled by the userPool"
CODE_MISMATCH = "Code mismatch and fail enable Software Token MFA"
NOT_ASSOCIATED = "User has not associated a software token."
NO_AUTHORITY = "Either AccessToken or Session must be provided."
BOTH_AUTHORITIES = "Only one of AccessToken or Session can be provided."
# Session challenge names of the MFA_SETUP steps (never sent: sessions are opaque).
SETUP_ASSOCIATED = "MFA_SETUP:associated"
SETUP_VERIFIED = "MFA_SETUP:verified"
_SECRET_BYTES = 32  # 52 base32 characters unpadded


@operation("AdminDeleteSoftwareToken")
def admin_delete_software_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Forget the user's token (verified or pending); TOTP MFA is off for them until they
    associate a new one. Nothing to delete is not an error."""
    user = require_user(backend.pool(request["UserPoolId"]), request["Username"])
    mfa = user.mfa
    mfa.totp_secret = mfa.totp_pending = mfa.totp_last_step = mfa.totp_name = None
    mfa.enabled = [f for f in mfa.enabled if f != "SOFTWARE_TOKEN_MFA"]
    if mfa.preferred == "SOFTWARE_TOKEN_MFA":
        mfa.preferred = None
    user.modified = backend.clock.now()
    return {}


def _token_user(backend: Backend, token: str) -> tuple[UserPool, User]:
    """The access token's pool and user, for operations that do not declare UserNotFound."""
    try:
        pool, user, _ = authenticate_access_token(backend, token)
    except UserNotFoundException as error:
        raise NotAuthorizedException(error.message) from None
    return pool, user


def _setup_session(
    backend: Backend, token: str, challenges: set[str]
) -> tuple[UserPool, User, AuthSession]:
    """The MFA_SETUP session `token` (from any pool of this account and region) and its user."""
    for pool in backend.pools.values():
        found = pool.challenge_sessions.get(token)
        if found is not None:
            client = pool.clients.get(found.client_id)
            if client is None:
                break
            session = take_session(backend, pool, client, token, challenges)
            user = session_owner(pool, session)
            if user is None:
                raise NotAuthorizedException("Invalid session for the user.")
            return pool, user, session
    raise NotAuthorizedException("Invalid session for the user.")


def _one_authority(request: dict[str, Any]) -> None:
    """The request takes an access token or a session string, but not both (model docs)."""
    if request.get("AccessToken") and request.get("Session"):
        raise InvalidParameterException(BOTH_AUTHORITIES)


def _check_pool_totp(pool: UserPool) -> None:
    if "SOFTWARE_TOKEN_MFA" not in pool_factors(pool):
        raise SoftwareTokenMFANotFoundException(TOTP_NOT_ENABLED)


def _next_session(backend: Backend, pool: UserPool, old: AuthSession, challenge: str) -> str:
    client = pool.clients[old.client_id]
    return open_session(backend, pool, client, challenge, old.username, **clone(old.data))


@operation("AssociateSoftwareToken")
def associate_software_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """A new secret for the user, pending until VerifySoftwareToken; a token already verified
    keeps working until then."""
    session = None
    _one_authority(request)
    if request.get("AccessToken"):
        pool, user = _token_user(backend, request["AccessToken"])
    elif request.get("Session"):
        pool, user, session = _setup_session(backend, request["Session"], {"MFA_SETUP"})
    else:
        raise InvalidParameterException(NO_AUTHORITY)
    return associate_secret(backend, pool, user, session)


def associate_secret(
    backend: Backend, pool: UserPool, user: User, session: AuthSession | None
) -> dict[str, Any]:
    """AssociateSoftwareToken for a proven user (by access token, or during MFA_SETUP with its
    `session`, which moves on to the next step); also managed login's MFA setup page."""
    _check_pool_totp(pool)
    secret = base64.b32encode(backend.ids.token_bytes(_SECRET_BYTES)).decode().rstrip("=")
    user.mfa.totp_pending = secret
    result: dict[str, Any] = {"SecretCode": secret}
    if session is not None:
        session.used = True
        result["Session"] = _next_session(backend, pool, session, SETUP_ASSOCIATED)
    return result


@operation("VerifySoftwareToken")
def verify_software_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    session = None
    _one_authority(request)
    if request.get("AccessToken"):
        pool, user, _ = authenticate_access_token(backend, request["AccessToken"])
    elif request.get("Session"):
        pool, user, session = _setup_session(backend, request["Session"], {SETUP_ASSOCIATED})
    else:
        raise InvalidParameterException(NO_AUTHORITY)
    return verify_pending_secret(
        backend, pool, user, session, request["UserCode"], request.get("FriendlyDeviceName")
    )


def verify_pending_secret(
    backend: Backend,
    pool: UserPool,
    user: User,
    session: AuthSession | None,
    code: str,
    friendly_name: str | None = None,
) -> dict[str, Any]:
    """VerifySoftwareToken for a proven user; also managed login's MFA setup page."""
    _check_pool_totp(pool)
    secret = user.mfa.totp_pending
    if not secret:
        raise SoftwareTokenMFANotFoundException(NOT_ASSOCIATED)
    steps = totp_match(secret, code, backend.clock.now())
    if not steps:
        raise EnableSoftwareTokenMFAException(CODE_MISMATCH)
    # Checked; the pending secret becomes the user's token (the code counts as used).
    user.mfa.totp_pending = None
    user.mfa.totp_secret = secret
    user.mfa.totp_last_step = max(steps)
    if friendly_name:
        user.mfa.totp_name = friendly_name
    user.modified = backend.clock.now()
    result: dict[str, Any] = {"Status": "SUCCESS"}
    if session is not None:
        session.used = True
        result["Session"] = _next_session(backend, pool, session, SETUP_VERIFIED)
    return result
