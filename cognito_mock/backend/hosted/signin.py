"""Sign-in on the pages, through the sign-in logic every flow shares: the first factor's checks
(migration, PreAuthentication, password and lockout) and the pipeline's steps and challenges
(new password, MFA, MFA setup). Managed login is the service itself: it adds SECRET_HASH."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.first_factor import INCORRECT, check_password, lookup_user
from cognito_mock.backend.auth.pipeline import Answer, challenge_handler, finish_sign_in
from cognito_mock.backend.crypto.secret_hash import secret_hash
from cognito_mock.backend.directory.migration import migrate_user
from cognito_mock.backend.factors.software_tokens import (
    SETUP_ASSOCIATED,
    associate_secret,
    verify_pending_secret,
)
from cognito_mock.backend.hooks.events import pre_authentication
from cognito_mock.backend.kernel.challenge_sessions import SESSION_INVALID, take_session
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import hides_user_existence
from cognito_mock.backend.tokens.authorization_codes import HOSTED_SOURCE
from cognito_mock.errors import NotAuthorizedException

__all__ = ["answer_challenge", "password_sign_in", "start_totp_setup", "verify_totp_setup"]

# Travels with every challenge session of a page sign-in: the pipeline ends it without tokens.
_HOSTED = {"hosted": True, "token_source": HOSTED_SOURCE}


def password_sign_in(
    backend: Backend, pool: UserPool, client: AppClient, username: str, password: str
) -> dict[str, Any]:
    """The sign-in form: `{"SignedIn": username}` or a challenge (ChallengeName, Session, ...).
    Devices are not tracked by the pages (the device step is skipped)."""
    migrated = migrate_user(backend, pool, username, password)
    user = migrated or lookup_user(pool, client, username)
    pre_authentication(backend, pool, user, username, hidden=hides_user_existence(client))
    if user is None:
        raise NotAuthorizedException(INCORRECT)
    check_password(backend, client, user, password)
    return finish_sign_in(
        backend, pool, client, user, done={"device"}, params={"USERNAME": username},
        data=dict(_HOSTED),
    )  # fmt: skip


def _with_hash(client: AppClient, username: str, responses: dict[str, str]) -> dict[str, str]:
    out = {**responses, "USERNAME": username}
    if client.secret:
        out["SECRET_HASH"] = secret_hash(client.secret, username, client.client_id)
    return out


def answer_challenge(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    name: str,
    session: str,
    username: str,
    responses: dict[str, str],
) -> dict[str, Any]:
    """RespondToAuthChallenge's logic for a page's form; the service's errors as they come."""
    handler = challenge_handler(name)
    if handler is None:
        raise NotAuthorizedException(SESSION_INVALID)
    answer = Answer(
        backend, pool, client, name, _with_hash(client, username, responses), session, False
    )
    return handler(answer)


def start_totp_setup(
    backend: Backend, pool: UserPool, client: AppClient, session: str
) -> tuple[str, str]:
    """MFA_SETUP on the page: a new TOTP secret for the session's user; (secret, next session)."""
    found = take_session(backend, pool, client, session, {"MFA_SETUP"})
    user = pool.users.get(found.username)
    if user is None:
        raise NotAuthorizedException(SESSION_INVALID)
    result = associate_secret(backend, pool, user, found)
    return result["SecretCode"], result["Session"]


def verify_totp_setup(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    session: str,
    username: str,
    code: str,
    friendly_name: str | None,
) -> dict[str, Any]:
    """The setup page's code: verify the new token, then answer MFA_SETUP with it."""
    found = take_session(backend, pool, client, session, {SETUP_ASSOCIATED})
    user = pool.users.get(found.username)
    if user is None:
        raise NotAuthorizedException(SESSION_INVALID)
    verified = verify_pending_secret(backend, pool, user, found, code, friendly_name)
    return answer_challenge(backend, pool, client, "MFA_SETUP", verified["Session"], username, {})
