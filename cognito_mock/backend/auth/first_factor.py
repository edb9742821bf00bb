"""The first factor of every sign-in: required parameters, SECRET_HASH, the user and their state,
passwords with lockout, SRP verifiers and the PASSWORD_VERIFIER challenge, USER_AUTH's choices."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import Any

from cognito_mock.backend.auth.pipeline import finish_sign_in
from cognito_mock.backend.crypto import srp
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.factors.webauthn import relying_party_id
from cognito_mock.backend.hooks.events import pre_authentication
from cognito_mock.backend.kernel.challenge_sessions import open_session, start_srp
from cognito_mock.backend.kernel.records import AppClient, SrpVerifier, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import check_secret_hash, hides_user_existence
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotConfirmedException,
    UserNotFoundException,
)

__all__ = [
    "INCORRECT",
    "available_challenges",
    "check_hash",
    "check_lockout",
    "check_password",
    "check_state",
    "lookup_user",
    "password_sign_in",
    "record_failure",
    "record_success",
    "require_params",
    "simulated_srp",
    "srp_challenge",
    "srp_verifier",
]

INCORRECT = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
# Lockout (fact sheet section 10): from the 5th failure, 2^(n-5) s, capped; 15 quiet minutes reset.
_FREE_FAILURES = 5
_MAX_LOCK = 900.0
_QUIET_RESET = 900.0


def require_params(params: dict[str, str], *names: str) -> None:
    """AuthParameters / ChallengeResponses values are unmodelled; the service names the first gap."""
    for name in names:
        if not params.get(name):
            raise InvalidParameterException(f"Missing required parameter {name}")


def check_hash(
    client: AppClient, params: dict[str, str], usernames: str | list[str], *, admin: bool
) -> None:
    """SECRET_HASH for a secret client; admin calls use the older missing-hash wording."""
    check_secret_hash(client, usernames, params.get("SECRET_HASH"), auth_flow=not admin)


def lookup_user(pool: UserPool, client: AppClient, username: str) -> User | None:
    """The user signing in; None (caller simulates) when the client hides user existence."""
    user = find_user(pool, username)
    if user is None and not hides_user_existence(client):
        raise UserNotFoundException("User does not exist.")
    return user


def check_state(client: AppClient, user: User, *, password_ok: bool) -> None:
    """Disabled, unconfirmed and reset-required users cannot sign in.

    With LEGACY existence errors the status errors come before the password is looked at (so a
    wrong password still gets them); with ENABLED only after a correct one (`password_ok`).
    """
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if hides_user_existence(client) and not password_ok:
        return
    if user.status == "UNCONFIRMED":
        raise UserNotConfirmedException("User is not confirmed.")
    if user.status == "RESET_REQUIRED":
        raise PasswordResetRequiredException("Password reset required for the user")


def _locked(backend: Backend, user: User) -> bool:
    now = backend.clock.now()
    last = user.last_failed_sign_in
    if user.failed_sign_ins and now - last >= _QUIET_RESET:
        user.failed_sign_ins = 0
        user.locked_until = 0.0
    return now < user.locked_until


def record_failure(backend: Backend, user: User) -> NotAuthorizedException:
    """Count a failed proof; return the error to raise (the caller raises it)."""
    now = backend.clock.now()
    user.failed_sign_ins += 1
    user.last_failed_sign_in = now
    if user.failed_sign_ins >= _FREE_FAILURES:
        user.locked_until = now + min(2.0 ** (user.failed_sign_ins - _FREE_FAILURES), _MAX_LOCK)
    return NotAuthorizedException(INCORRECT)


def record_success(user: User) -> None:
    user.failed_sign_ins = 0
    user.locked_until = 0.0


def check_lockout(backend: Backend, user: User) -> None:
    """Attempts while locked are refused without extending the lock."""
    if _locked(backend, user):
        raise NotAuthorizedException(LOCKED)


def check_password(backend: Backend, client: AppClient, user: User, password: str) -> None:
    """The whole password step: state, lockout, comparison (counted), late status errors."""
    check_state(client, user, password_ok=False)
    check_lockout(backend, user)
    stored = user.password
    if stored is None or not hmac.compare_digest(stored.encode(), password.encode()):
        raise record_failure(backend, user)
    record_success(user)
    check_state(client, user, password_ok=True)


# ----------------------------------------------------------------------------- SRP verifiers


def srp_verifier(pool: UserPool, user: User) -> tuple[str, int]:
    """(SALT, v) for the user's current password; the salt is stable per user, v is cached."""
    cache = user.srp
    if cache is None:
        # Derived, not drawn, so a seeded mock's ids are not shifted by sign-ins.
        digest = hashlib.sha256(f"srp-salt|{pool.id}|{user.sub}".encode()).digest()
        cache = user.srp = SrpVerifier(salt=srp.new_salt(lambda n: (b"\x01" + digest)[:n]))
    key = (user.password, user.username, pool.id)
    if cache.made_for != key:
        secret = user.password if user.password is not None else f"\x00no-password|{user.sub}"
        cache.verifier = srp.password_verifier(
            srp.pool_name_for_srp(pool.id), user.username, secret, cache.salt
        )
        cache.made_for = key
    return cache.salt, cache.verifier


def simulated_srp(pool: UserPool, username: str) -> tuple[str, str, int]:
    """(SALT, USER_ID_FOR_SRP, v) for an unknown user: stable per name, never provable."""
    digest = hashlib.sha256(f"srp-unknown|{pool.id}|{username}".encode()).digest()
    salt = srp.new_salt(lambda n: (b"\x02" + digest)[:n])
    user_id = str(uuid.UUID(bytes=digest[16:32], version=4))
    verifier = pow(srp.G, int.from_bytes(digest, "big"), srp.N)
    return salt, user_id, verifier


# ----------------------------------------------------------------------------- sign-in starts


def available_challenges(backend: Backend, pool: UserPool, user: User | None = None) -> list[str]:
    """USER_AUTH's first factors for `user`: those the pool's SignInPolicy allows that the user
    can present (a password; a verified email or phone for codes; a passkey for the pool's relying
    party). For an unknown user on a client that hides existence, all the pool allows."""
    policy = pool.settings.get("Policies", {}).get("SignInPolicy", {})
    allowed = policy.get("AllowedFirstAuthFactors") or ["PASSWORD"]
    offered = []
    for factor in _FIRST_FACTORS:
        if factor not in allowed or (
            user is not None and not _can_present(backend, pool, user, factor)
        ):
            continue
        offered += ["PASSWORD", "PASSWORD_SRP"] if factor == "PASSWORD" else [factor]
    return offered


# AuthFactorType order; PASSWORD is offered both ways (PASSWORD and PASSWORD_SRP).
_FIRST_FACTORS = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
_CODE_TARGETS = {"EMAIL_OTP": "email", "SMS_OTP": "phone_number"}


def _can_present(backend: Backend, pool: UserPool, user: User, factor: str) -> bool:
    if factor == "PASSWORD":
        return user.password is not None
    if factor in _CODE_TARGETS:
        attribute = _CODE_TARGETS[factor]
        return (
            bool(user.attributes.get(attribute))
            and user.attributes.get(f"{attribute}_verified") == "true"
        )
    rp_id = relying_party_id(backend, pool)
    return user._passkeys is not None and any(
        c["RelyingPartyId"] == rp_id for c in user.passkeys.credentials
    )


def password_sign_in(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    password: str,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    # PreAuthentication runs before the password is checked: its rejection wins.
    name = (params or {}).get("USERNAME", "")
    pre_authentication(backend, pool, user, name, hidden=hides_user_existence(client))
    if user is None:  # unknown user on a client that hides existence
        raise NotAuthorizedException(INCORRECT)
    check_password(backend, client, user, password)
    return finish_sign_in(backend, pool, client, user, params=params)


def srp_challenge(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    username: str,
    srp_a: str,
    *,
    with_session: bool,
) -> dict[str, Any]:
    """The PASSWORD_VERIFIER challenge; simulated (stable salt, unprovable) for `user` None."""
    pre_authentication(backend, pool, user, username, hidden=hides_user_existence(client))
    if user is not None:
        check_state(client, user, password_ok=False)
        salt, verifier = srp_verifier(pool, user)
        name = user_id = user.username
    else:
        salt, user_id, verifier = simulated_srp(pool, username)
        name = username
    try:
        challenge = srp.start_challenge(srp_a, verifier, backend.ids.token_bytes)
    except ValueError:
        raise InvalidParameterException("SRP_A is not a valid value.") from None
    block = start_srp(backend, pool, client, challenge, user.username if user else "", user_id)
    response: dict[str, Any] = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": salt,
            "SRP_B": challenge.srp_b_hex,
            "SECRET_BLOCK": block,
            "USERNAME": name,
            "USER_ID_FOR_SRP": user_id,
        },
    }
    if with_session:  # USER_SRP_AUTH answers without a Session; choice-based auth keeps one
        response["Session"] = open_session(
            backend, pool, client, "PASSWORD_VERIFIER", user.username if user else "",
            secret_block=block,
        )  # fmt: skip
    return response
