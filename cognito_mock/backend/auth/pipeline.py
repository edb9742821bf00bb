"""What every sign-in shares: required parameters, allowed flows, SECRET_HASH, user state,
password checks with lockout, SRP verifiers, and the finish (tokens or NEW_PASSWORD_REQUIRED)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.crypto import srp
from cognito_mock.backend.directory.passwords import temporary_password_expired
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.hooks.triggers import post_authentication
from cognito_mock.backend.kernel.challenge_sessions import open_session
from cognito_mock.backend.kernel.records import AppClient, SrpVerifier, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    check_secret_hash,
    hides_user_existence,
)
from cognito_mock.backend.tokens.issue import issue_tokens
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotConfirmedException,
    UserNotFoundException,
)

__all__ = [
    "INCORRECT",
    "SignIn",
    "SignInStep",
    "check_hash",
    "check_password",
    "check_state",
    "finish_sign_in",
    "lookup_user",
    "new_password_parameters",
    "record_failure",
    "record_success",
    "require_params",
    "sign_in_step",
    "simulated_srp",
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


# ----------------------------------------------------------------------------- finishing


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


@dataclass
class SignIn:
    """One sign-in after its first factor is proven, as the steps that follow see it.

    `done` names the steps already satisfied; `params` are the AuthParameters/ChallengeResponses
    of the call being answered (DEVICE_KEY, ...); `data` travels with every challenge session of
    this sign-in, so a later step can read what an earlier one recorded.
    """

    backend: Backend
    pool: UserPool
    client: AppClient
    user: User
    done: set[str] = field(default_factory=set)
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def challenge(self, name: str, parameters: dict[str, str]) -> dict[str, Any]:
        """Answer with challenge `name`; its session remembers this sign-in's progress."""
        session = open_session(
            self.backend, self.pool, self.client, name, self.user.username,
            done=sorted(self.done), sign_in=dict(self.data),
        )  # fmt: skip
        return {"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}


# A step returns a challenge response to stop the sign-in there, or None to go on.
SignInStep = Callable[[SignIn], "dict[str, Any] | None"]
_STEPS: list[tuple[int, str, SignInStep]] = []


def sign_in_step(order: int, name: str) -> Callable[[SignInStep], SignInStep]:
    """Register a step run (in `order`) between the first factor and the tokens."""

    def register(step: SignInStep) -> SignInStep:
        if any(existing == name for _, existing, _ in _STEPS):
            raise ValueError(f"sign-in step {name!r} is already registered")
        _STEPS.append((order, name, step))
        _STEPS.sort(key=lambda entry: entry[0])
        return step

    return register


@sign_in_step(10, "new_password")
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


@sign_in_step(90, "post_authentication")
def _post_authentication(sign_in: SignIn) -> dict[str, Any] | None:
    """The PostAuthentication trigger, once the user has proven every factor."""
    new_device = bool(sign_in.data.get("new_device"))
    post_authentication(sign_in.backend, sign_in.pool, sign_in.user, new_device=new_device)
    return None


def _token_source(sign_in: SignIn) -> str:
    """PreTokenGeneration's triggerSource for tokens issued at the end of this sign-in."""
    given = sign_in.data.get("token_source")
    if given:
        return str(given)
    if "NEW_PASSWORD" in sign_in.params:
        return "TokenGeneration_NewPasswordChallenge"
    return "TokenGeneration_Authentication"


def finish_sign_in(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    done: Iterable[str] = (),
    params: dict[str, str] | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """After the first factor: run the registered steps (new password, devices, MFA, ...) not yet
    `done`; the first that asks for a challenge ends the call, else tokens are issued."""
    sign_in = SignIn(backend, pool, client, user, set(done), dict(params or {}), dict(data or {}))
    for _, name, step in _STEPS:
        if name in sign_in.done:
            continue
        answer = step(sign_in)
        if answer is not None:
            return answer
        sign_in.done.add(name)
    # The device step (backend/auth/steps/device.py) leaves the tracked device key in `data`,
    # and NewDeviceMetadata when it registered a new device for this sign-in.
    result = issue_tokens(
        backend, pool, client, user, device_key=sign_in.data.get("device_key"),
        source=_token_source(sign_in),
    )  # fmt: skip
    if sign_in.data.get("new_device"):
        result["NewDeviceMetadata"] = dict(sign_in.data["new_device"])
    return {"ChallengeParameters": {}, "AuthenticationResult": result}
