"""Sign-in step "device" and its challenges DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER: a new
device gets NewDeviceMetadata, a confirmed one proves its device password by SRP (and a
remembered one may stand in for MFA)."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.first_factor import INCORRECT, check_hash, require_params
from cognito_mock.backend.auth.pipeline import (
    Answer,
    SignIn,
    challenge,
    finish_sign_in,
    sign_in_step,
)
from cognito_mock.backend.crypto import srp
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.factors.devices import (
    DEVICE_NOT_FOUND,
    Device,
    device_group_key,
    device_of,
    remembered_skips_mfa,
    tracking,
)
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    AuthSession,
    consume_srp,
    open_session,
    proof_holds,
    proof_timestamp,
    session_owner,
    srp_owner,
    start_srp,
    take_session,
    take_srp,
)
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
    UserNotFoundException,
)

__all__: list[str] = []


# pycognito answers both device challenges without the Session they came with; the service
# evidently finds the sign-in anyway, so the open challenge is also found by who answers it.
def _remember(
    pool: UserPool, client: AppClient, name: str, user: User, key: str, token: str
) -> None:
    pool.device_challenges[(client.client_id, name, user.username, key)] = token


def _recall(
    pool: UserPool, client: AppClient, name: str, user: User | None, key: str
) -> str | None:
    if user is None:
        return None
    found = pool.device_challenges.get((client.client_id, name, user.username, key))
    return str(found) if found else None


def _forget(pool: UserPool, client: AppClient, name: str, user: User, key: str) -> None:
    pool.device_challenges.pop((client.client_id, name, user.username, key), None)


@sign_in_step("device")
def _device(sign_in: SignIn) -> dict[str, Any] | None:
    """With device tracking on: no DEVICE_KEY registers a new device (its metadata comes with the
    tokens); a confirmed device's key asks for DEVICE_SRP_AUTH; any other key is refused, and
    clients then retry without it."""
    pool, user = sign_in.pool, sign_in.user
    if tracking(pool) is None:
        return None
    given = sign_in.params.get("DEVICE_KEY")
    if not given:
        key = sign_in.backend.ids.device_key(sign_in.backend.region)
        sign_in.data["device_key"] = key
        sign_in.data["new_device"] = {
            "DeviceKey": key,
            "DeviceGroupKey": device_group_key(pool, user),
        }
        return None
    device = device_of(user, given)
    if device is None:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    sign_in.data["device_key"] = given
    if device.verifier is None:  # confirmed without a verifier: tracked, with nothing to prove
        return None
    response = sign_in.challenge("DEVICE_SRP_AUTH", {})
    _remember(pool, sign_in.client, "DEVICE_SRP_AUTH", user, given, response["Session"])
    return response


def _session_for(answer: Answer, name: str) -> tuple[AuthSession, User, str]:
    """The open `name` challenge being answered, its user (whom USERNAME must name) and the
    device key, which must be the one the challenge was issued for."""
    responses = answer.responses
    backend, pool, client = answer.backend, answer.pool, answer.client
    named = find_user(pool, responses["USERNAME"])
    key = responses["DEVICE_KEY"]
    token = answer.session or _recall(pool, client, name, named, key)
    session = take_session(backend, pool, client, token, {name})
    user = session_owner(pool, session)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if named is not user or (session.data.get("sign_in") or {}).get("device_key") != key:
        raise NotAuthorizedException(SESSION_INVALID)
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return session, user, key


def _confirmed(user: User, key: str) -> Device:
    """The device still confirmed (it may have been forgotten since the challenge)."""
    device = device_of(user, key)
    if device is None or device.verifier is None or device.salt is None:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    return device


@challenge("DEVICE_SRP_AUTH")
def _device_srp_auth(answer: Answer) -> dict[str, Any]:
    """SRP_A for the device: answer with DEVICE_PASSWORD_VERIFIER (SRP_B, SALT, SECRET_BLOCK)."""
    require_params(answer.responses, "USERNAME", "DEVICE_KEY", "SRP_A")
    backend, pool, client = answer.backend, answer.pool, answer.client
    session, user, key = _session_for(answer, "DEVICE_SRP_AUTH")
    check_hash(client, answer.responses, user.username, admin=answer.admin)
    device = _confirmed(user, key)
    assert device.verifier is not None and device.salt is not None
    try:
        round_ = srp.start_challenge(
            answer.responses["SRP_A"], device.verifier, backend.ids.token_bytes
        )
    except ValueError:
        raise InvalidParameterException("SRP_A is not a valid value.") from None
    # Checked; now move the sign-in on.
    session.used = True
    _forget(pool, client, "DEVICE_SRP_AUTH", user, key)
    block = start_srp(backend, pool, client, round_, user.username, key)
    token = open_session(
        backend, pool, client, "DEVICE_PASSWORD_VERIFIER", user.username,
        done=list(session.data.get("done", ())), sign_in=dict(session.data.get("sign_in") or {}),
        secret_block=block,
    )  # fmt: skip
    _remember(pool, client, "DEVICE_PASSWORD_VERIFIER", user, key, token)
    return {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": token,
        "ChallengeParameters": {
            "SRP_B": round_.srp_b_hex,
            "SALT": device.salt,
            "SECRET_BLOCK": block,
            "USERNAME": user.username,
        },
    }


@challenge("DEVICE_PASSWORD_VERIFIER")
def _device_password_verifier(answer: Answer) -> dict[str, Any]:
    """The device's SRP proof; then the rest of the sign-in (MFA is skipped for a remembered
    device when the pool's ChallengeRequiredOnNewDevice says so)."""
    responses = answer.responses
    require_params(
        responses,
        "USERNAME",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
        "PASSWORD_CLAIM_SIGNATURE",
        "DEVICE_KEY",
    )
    backend, pool, client = answer.backend, answer.pool, answer.client
    session, user, key = _session_for(answer, "DEVICE_PASSWORD_VERIFIER")
    block = responses["PASSWORD_CLAIM_SECRET_BLOCK"]
    if session.data.get("secret_block") != block:
        raise NotAuthorizedException(INCORRECT)
    pending = take_srp(backend, pool, client, block)
    check_hash(client, responses, user.username, admin=answer.admin)
    stamp = responses["TIMESTAMP"]
    proof_timestamp(stamp)  # an unparsable TIMESTAMP is a parameter error, before anything else
    device = _confirmed(user, key)
    # Checked; the round is spent whether the proof holds or not.
    consume_srp(pool, block)
    session.used = True
    _forget(pool, client, "DEVICE_PASSWORD_VERIFIER", user, key)
    now = backend.clock.now()
    proven = (
        srp_owner(pool, pending) is user
        and pending.user_id_for_srp == key
        and proof_holds(
            pending,
            device_group_key(pool, user),
            key,
            block,
            stamp,
            responses["PASSWORD_CLAIM_SIGNATURE"],
            now,
        )
    )
    if not proven:
        raise NotAuthorizedException(INCORRECT)
    device.authenticated = now
    done = {*session.data.get("done", ()), "device"}
    if device.remembered and remembered_skips_mfa(pool):
        done.add("mfa")
    data = dict(session.data.get("sign_in") or {})
    data["device_key"] = key
    return finish_sign_in(backend, pool, client, user, done=done, params=responses, data=data)
