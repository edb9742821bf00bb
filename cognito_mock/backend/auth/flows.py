"""InitiateAuth and AdminInitiateAuth: password, SRP, refresh and choice-based (USER_AUTH) flows."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.after_sign_up import sign_in_after_sign_up
from cognito_mock.backend.auth.custom_auth import start_custom_auth
from cognito_mock.backend.auth.first_factor import (
    available_challenges,
    check_hash,
    check_state,
    lookup_user,
    password_sign_in,
    require_params,
    srp_challenge,
)
from cognito_mock.backend.auth.passwordless import PASSWORDLESS, start_passwordless
from cognito_mock.backend.directory.migration import migrate_user
from cognito_mock.backend.factors.devices import check_refresh_device
from cognito_mock.backend.hooks.triggers import with_caller_metadata_only_for
from cognito_mock.backend.kernel.challenge_sessions import open_session
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    check_flow,
    client_by_id,
    hides_user_existence,
    require_client,
    rotation_enabled,
)
from cognito_mock.backend.tokens.issue import issue_tokens
from cognito_mock.backend.tokens.verify import refresh_record
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    UserNotFoundException,
)

__all__: list[str] = []

_USER_FLOWS = frozenset(
    {"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "USER_PASSWORD_AUTH",
     "USER_AUTH"}
)  # fmt: skip
_ADMIN_FLOWS = frozenset(
    {"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH",
     "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH"}
)  # fmt: skip
_PASSWORD_FLOWS = frozenset({"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"})
ROTATION_REFUSED = (
    "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken to refresh "
    "tokens."
)


def _refresh(
    backend: Backend, pool: UserPool, client: AppClient, params: dict[str, str], *, admin: bool
) -> dict[str, Any]:
    require_params(params, "REFRESH_TOKEN")
    if rotation_enabled(client):
        raise InvalidParameterException(ROTATION_REFUSED)
    try:
        record, user = refresh_record(backend, pool, client, params["REFRESH_TOKEN"])
    except UserNotFoundException:
        if hides_user_existence(client):
            raise NotAuthorizedException("Invalid Refresh Token") from None
        raise
    # The internal username (the sub in UsernameAttributes pools); an alias does not match.
    check_hash(client, params, [user.username, user.sub], admin=admin)
    # A device-bound sign-in refreshes only with its (still confirmed) DEVICE_KEY.
    check_refresh_device(backend, user, record.origin, params.get("DEVICE_KEY"))
    result = issue_tokens(
        backend, pool, client, user, origin=record.origin, new_refresh_token=False
    )
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def _user_auth(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    params: dict[str, str],
    *,
    admin: bool,
    session: str | None,
) -> dict[str, Any]:
    require_params(params, "USERNAME")
    username = params["USERNAME"]
    check_hash(client, params, username, admin=admin)
    user = lookup_user(pool, client, username)
    if session:  # ConfirmSignUp's Session: the sign-up code was the first factor
        return sign_in_after_sign_up(backend, pool, client, user, username, session, params)
    if user is not None:
        check_state(client, user, password_ok=False)
    available = available_challenges(backend, pool, user)
    preferred = params.get("PREFERRED_CHALLENGE")
    if preferred in PASSWORDLESS and preferred in available:
        operation = "AdminInitiateAuth" if admin else "InitiateAuth"
        return start_passwordless(
            backend, pool, client, user, username, str(preferred), operation=operation
        )
    if preferred == "PASSWORD" and preferred in available:
        require_params(params, "PASSWORD")
        return password_sign_in(backend, pool, client, user, params["PASSWORD"], params)
    if preferred == "PASSWORD_SRP" and preferred in available:
        require_params(params, "SRP_A")
        return srp_challenge(
            backend, pool, client, user, username, params["SRP_A"], with_session=True
        )
    session = open_session(
        backend, pool, client, "SELECT_CHALLENGE", user.username if user else "", given=username
    )
    return {
        "ChallengeName": "SELECT_CHALLENGE",
        "Session": session,
        "ChallengeParameters": {},
        "AvailableChallenges": available,
    }


def _initiate(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    flow: str,
    params: dict[str, str],
    *,
    admin: bool,
    session: str | None = None,
) -> dict[str, Any]:
    """`session`: the request's Session (only USER_AUTH reads one: ConfirmSignUp's)."""
    if flow not in (_ADMIN_FLOWS if admin else _USER_FLOWS):
        raise InvalidParameterException("Initiate Auth method not supported.")
    check_flow(client, flow, admin=admin)
    if flow in _PASSWORD_FLOWS:
        require_params(params, "USERNAME", "PASSWORD")
        check_hash(client, params, params["USERNAME"], admin=admin)
        migrated = migrate_user(backend, pool, params["USERNAME"], params["PASSWORD"])
        user = migrated or lookup_user(pool, client, params["USERNAME"])
        return password_sign_in(backend, pool, client, user, params["PASSWORD"], params)
    if flow == "USER_SRP_AUTH":
        require_params(params, "USERNAME", "SRP_A")
        username = params["USERNAME"]
        check_hash(client, params, username, admin=admin)
        user = lookup_user(pool, client, username)
        return srp_challenge(
            backend, pool, client, user, username, params["SRP_A"], with_session=False
        )
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        return _refresh(backend, pool, client, params, admin=admin)
    if flow == "USER_AUTH":
        return _user_auth(backend, pool, client, params, admin=admin, session=session)
    # CUSTOM_AUTH: Define/Create/Verify triggers.
    return start_custom_auth(backend, pool, client, params, admin=admin)


# ClientMetadata of InitiateAuth and AdminInitiateAuth reaches only these triggers (API reference).
_METADATA_TRIGGERS = ("PreSignUp", "PreAuthentication", "UserMigration")


@operation("InitiateAuth")
@with_caller_metadata_only_for(*_METADATA_TRIGGERS)
def initiate_auth(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = client_by_id(backend, request["ClientId"])
    params = dict(request.get("AuthParameters") or {})
    return _initiate(
        backend, pool, client, request["AuthFlow"], params, admin=False,
        session=request.get("Session"),
    )  # fmt: skip


@operation("AdminInitiateAuth")
@with_caller_metadata_only_for(*_METADATA_TRIGGERS)
def admin_initiate_auth(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    pool = backend.pool(request["UserPoolId"])
    params = dict(request.get("AuthParameters") or {})
    return _initiate(
        backend, pool, client, request["AuthFlow"], params, admin=True,
        session=request.get("Session"),
    )  # fmt: skip
