"""Which users and groups each write is about to change, noted in the pool's history before the
handler runs (kernel/guards.py calls these from the request path). Creations need no note.

Noting more than a write changes is harmless (the image is the state at that instant), so the
lookups here are generous and never refuse: the handler checks the request itself afterwards.
"""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.kernel import guards
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.recovery.history import keeps_history, note_group, note_tier, note_user

__all__: list[str] = []

_GROUP_OF_USER = ("AdminAddUserToGroup", "AdminRemoveUserFromGroup")
_DELETES = ("AdminDeleteUser", "DeleteUser")


def _pool(backend: Backend, request: dict[str, Any]) -> UserPool | None:
    pool = guards.request_pool(backend, request)
    return pool if pool is not None and keeps_history(pool) else None


def _named(pool: UserPool, name: Any) -> User | None:
    return find_user(pool, name) if isinstance(name, str) and name else None


def _note(backend: Backend, pool: UserPool, user: User | None, operation: str) -> None:
    """The user; a deleted user also leaves its groups, so those too."""
    note_user(backend, pool, user)
    if operation in _DELETES and user is not None:
        for name in sorted(user._groups or ()):
            note_group(backend, pool, pool.groups.get(name))


@guards.recorder(
    "AdminAddUserToGroup", "AdminConfirmSignUp", "AdminDeleteSoftwareToken", "AdminDeleteUser",
    "AdminDeleteUserAttributes", "AdminDisableUser", "AdminEnableUser", "AdminRemoveUserFromGroup",
    "AdminResetUserPassword", "AdminSetUserMFAPreference", "AdminSetUserPassword",
    "AdminSetUserSettings", "AdminUpdateUserAttributes", "ConfirmForgotPassword", "ConfirmSignUp",
    "ForgotPassword",
)  # fmt: skip
def _by_username(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    pool = _pool(backend, request)
    if pool is None:
        return
    _note(backend, pool, _named(pool, request.get("Username")), operation)
    if operation in _GROUP_OF_USER:
        note_group(backend, pool, pool.groups.get(str(request.get("GroupName"))))


@guards.recorder(
    "ChangePassword", "CompleteWebAuthnRegistration", "DeleteUser", "DeleteUserAttributes",
    "DeleteWebAuthnCredential", "SetUserMFAPreference", "SetUserSettings",
    "StartWebAuthnRegistration", "UpdateUserAttributes", "VerifyUserAttribute",
    "AssociateSoftwareToken", "VerifySoftwareToken",
)  # fmt: skip
def _by_token(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    """Self-service writes name the user by AccessToken (or, for TOTP setup, by a Session)."""
    if "AccessToken" in request:
        pool = _pool(backend, request)
        sub = guards.token_claims(request["AccessToken"])[1].get("sub")
        user = pool.users.by_sub.get(sub) if pool is not None and isinstance(sub, str) else None
    else:
        pool, user = _session_user(backend, request.get("Session"))
    if pool is not None:
        _note(backend, pool, user, operation)


def _session_user(backend: Backend, session: Any) -> tuple[UserPool | None, User | None]:
    if not isinstance(session, str):
        return None, None
    for pool in backend.pools.values():
        found = pool.challenge_sessions.get(session)
        if found is not None and keeps_history(pool):
            return pool, pool.users.get(found.username) if found.username else None
    return None, None


@guards.recorder("RespondToAuthChallenge", "AdminRespondToAuthChallenge")
def _by_challenge(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    """A new password or an MFA set up during sign-in changes the user."""
    if request.get("ChallengeName") not in ("NEW_PASSWORD_REQUIRED", "MFA_SETUP"):
        return
    pool = _pool(backend, request)
    if pool is not None:
        note_user(
            backend, pool, _named(pool, (request.get("ChallengeResponses") or {}).get("USERNAME"))
        )


@guards.recorder("UpdateGroup", "DeleteGroup")
def _by_group(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    pool = _pool(backend, request)
    group = pool.groups.get(str(request.get("GroupName"))) if pool is not None else None
    if pool is None or group is None:
        return
    note_group(backend, pool, group)
    if operation == "DeleteGroup":  # its members lose it
        for name in group.members:
            note_user(backend, pool, pool.users.get(name))


@guards.recorder("AdminLinkProviderForUser", "AdminDisableProviderForUser")
def _by_provider(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    pool = _pool(backend, request)
    if pool is None:
        return
    named = request.get("DestinationUser") or request.get("User") or {}
    provider, value = named.get("ProviderName"), named.get("ProviderAttributeValue")
    note_user(backend, pool, _named(pool, value))
    for (linked, _, linked_value), sub in pool.provider_links.items():
        if linked == provider and linked_value == value:
            note_user(backend, pool, pool.users.by_sub.get(sub))


@guards.recorder("UpdateUserPool")
def _tier(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    pool = guards.request_pool(backend, request)
    if pool is not None:
        note_tier(backend, pool)
