"""USER_AUTH with ConfirmSignUp's Session: the confirmation code the user just gave is the first
factor, so a user signs in straight from sign-up without a password or a second code."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.accounts.signup import SIGNED_UP
from cognito_mock.backend.auth.first_factor import check_state
from cognito_mock.backend.auth.pipeline import finish_sign_in
from cognito_mock.backend.hooks.events import pre_authentication
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    session_owner,
    take_session,
)
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import hides_user_existence
from cognito_mock.errors import NotAuthorizedException

__all__ = ["sign_in_after_sign_up"]


def sign_in_after_sign_up(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    username: str,
    token: str,
    params: dict[str, str],
) -> dict[str, Any]:
    """Tokens (or the next step: a new device, ...) for the user ConfirmSignUp's `token` was
    issued to, once, within the client's AuthSessionValidity. `user` is the one USERNAME names
    (SECRET_HASH already checked); a session of another user, client or kind is refused."""
    session = take_session(backend, pool, client, token, {SIGNED_UP})
    if user is None or session_owner(pool, session) is not user:
        raise NotAuthorizedException(SESSION_INVALID)
    pre_authentication(backend, pool, user, username, hidden=hides_user_existence(client))
    check_state(client, user, password_ok=True)
    session.used = True
    # The code was sent to a verified channel the user controls: like a passwordless factor,
    # it also meets MFA (a pool offering OTP first factors cannot require MFA).
    return finish_sign_in(backend, pool, client, user, done={"mfa"}, params=params)
