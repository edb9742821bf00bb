"""Sign-in step "new_password": a user with a temporary password answers NEW_PASSWORD_REQUIRED
(the challenge's answer is handled in auth/challenges.py)."""

from __future__ import annotations

import json
from typing import Any

from cognito_mock.backend.auth.pipeline import SignIn, sign_in_step
from cognito_mock.backend.directory.passwords import temporary_password_expired
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.errors import NotAuthorizedException

__all__ = ["new_password_parameters"]


def _visible_attributes(user: User) -> dict[str, str]:
    return {k: v for k, v in user.attributes.items() if k != "sub" and not k.startswith("dev:")}


def new_password_parameters(pool: UserPool, user: User) -> dict[str, str]:
    """NEW_PASSWORD_REQUIRED's ChallengeParameters (JSON strings, as the service sends them)."""
    missing = [
        f"userAttributes.{a['Name']}"
        for a in pool.schema
        if a.get("Required") and a["Name"] != "sub" and not user.attributes.get(a["Name"])
    ]
    return {
        "USER_ID_FOR_SRP": user.username,
        "requiredAttributes": json.dumps(missing, separators=(",", ":")),
        "userAttributes": json.dumps(_visible_attributes(user), separators=(",", ":")),
    }


@sign_in_step("new_password")
def _temporary_password(sign_in: SignIn) -> dict[str, Any] | None:
    """A temporary password must be replaced first (NEW_PASSWORD_REQUIRED)."""
    user = sign_in.user
    if user.status != "FORCE_CHANGE_PASSWORD":
        return None
    if temporary_password_expired(sign_in.pool, user, sign_in.backend.clock.now()):
        raise NotAuthorizedException(
            "Temporary password has expired and must be reset by an administrator."
        )
    return sign_in.challenge("NEW_PASSWORD_REQUIRED", new_password_parameters(sign_in.pool, user))
