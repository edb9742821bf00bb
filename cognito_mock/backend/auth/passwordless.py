"""Passwordless first factors of choice-based sign-in (USER_AUTH): EMAIL_OTP and SMS_OTP (a code
sent by email or SMS) and WEB_AUTHN (a passkey's signed assertion), and the answers to them.

Started by InitiateAuth's PREFERRED_CHALLENGE or SELECT_CHALLENGE's ANSWER (`start_passwordless`).
A passwordless first factor also meets the pool's MFA requirement: the sign-in goes on after it
without an MFA challenge. EMAIL_OTP answers are handled here whether the code was a first factor
or MFA after a password (auth/steps/mfa.py sends those); both sessions carry their own progress.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cognito_mock.backend.auth.first_factor import (
    INCORRECT,
    available_challenges,
    check_hash,
    check_state,
    require_params,
)
from cognito_mock.backend.auth.otp import (
    CODE_TTL,
    MISMATCH,
    check_code,
    code_parameters,
    send_email_code,
    send_sms_code,
    session_user,
)
from cognito_mock.backend.auth.pipeline import Answer, challenge, finish_sign_in
from cognito_mock.backend.crypto.webauthn_assertion import (
    Refusal,
    WebAuthnAssertionError,
    request_options,
    verify_assertion,
)
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.factors.webauthn import domain_hosts, relying_party_id, user_credentials
from cognito_mock.backend.hooks.events import pre_authentication
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    AuthSession,
    open_session,
    take_session,
)
from cognito_mock.backend.kernel.outbox import mask_destination
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import hides_user_existence
from cognito_mock.backend.pool_config.mfa_config import webauthn_config
from cognito_mock.errors import (
    CodeMismatchException,
    InvalidParameterException,
    NotAuthorizedException,
)

__all__ = ["OTP_DIGITS", "PASSWORDLESS", "start_passwordless"]

PASSWORDLESS = frozenset({"EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"})
OTP_DIGITS = 8  # sign-in codes have 8 digits, not configurable (AWS, 2025); MFA codes keep 6
_CHALLENGE_BYTES = 32
_CODE_KEYS = {"EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}
_MEDIUMS = {"EMAIL_OTP": "EMAIL", "SMS_OTP": "SMS"}
# The service's text for an incomplete credential (CompleteWebAuthnRegistration, observed 2026);
# sign-in answers that cannot be read get the same words.
CREDENTIAL_INVALID = "Credential data is not valid"
UNAVAILABLE = "The challenge {} is not available for this user."


def _session(
    backend: Backend, pool: UserPool, client: AppClient, name: str, user: User | None,
    done: list[str], **data: Any,
) -> str:  # fmt: skip
    return open_session(
        backend, pool, client, name, user.username if user else "", done=done, sign_in={}, **data
    )


def _code_challenge(
    backend: Backend, pool: UserPool, client: AppClient, user: User | None, username: str,
    factor: str, operation: str, done: list[str],
) -> dict[str, Any]:  # fmt: skip
    """Send a code (nothing is sent for an unknown user: the session then accepts no code)."""
    medium = _MEDIUMS[factor]
    if user is None:
        shown = username if medium == "EMAIL" and "@" in username else "+0000000000"
        destination, code = mask_destination(medium, shown), ""
    else:
        code = backend.ids.digits(OTP_DIGITS)
        send = send_email_code if medium == "EMAIL" else send_sms_code
        destination = send(backend, pool, user, code, operation, "sign_in")
    session = _session(
        backend, pool, client, factor, user, done,
        code=code, code_expires=backend.clock.now() + CODE_TTL,
    )  # fmt: skip
    return {
        "ChallengeName": factor,
        "Session": session,
        "ChallengeParameters": code_parameters(medium, destination, user),
    }


def _user_verification(pool: UserPool) -> str:
    """What the options ask of the authenticator: the pool's setting (default `preferred`);
    passkeys that count as MFA must verify the user."""
    config = webauthn_config(pool)
    if config.get("FactorConfiguration") == "MULTI_FACTOR_WITH_USER_VERIFICATION":
        return "required"
    return str(config.get("UserVerification") or "preferred")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _passkey_challenge(
    backend: Backend, pool: UserPool, client: AppClient, user: User | None, done: list[str]
) -> dict[str, Any]:
    """WEB_AUTHN with CREDENTIAL_REQUEST_OPTIONS naming the user's passkeys for the pool's RP."""
    rp_id = relying_party_id(backend, pool)
    if rp_id is None:  # offered only with a relying party; an unknown user may still ask
        raise InvalidParameterException(UNAVAILABLE.format("WEB_AUTHN"))
    records = [
        c
        for c in (user_credentials(user) if user is not None else [])
        if c["RelyingPartyId"] == rp_id
    ]
    ids = [_b64url_decode(c["CredentialId"]) for c in records]
    hints = {i: c["AuthenticatorTransports"] for i, c in zip(ids, records, strict=True)}
    verification = _user_verification(pool)
    challenge_bytes = backend.ids.token_bytes(_CHALLENGE_BYTES)
    options = request_options(challenge_bytes, rp_id, ids, verification, transports=hints)
    session = _session(
        backend, pool, client, "WEB_AUTHN", user, done,
        webauthn={"challenge": options["challenge"], "rp_id": rp_id, "uv": verification},
    )  # fmt: skip
    return {
        "ChallengeName": "WEB_AUTHN",
        "Session": session,
        "ChallengeParameters": {
            "CREDENTIAL_REQUEST_OPTIONS": json.dumps(options, separators=(",", ":"))
        },
    }


def start_passwordless(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    username: str,
    factor: str,
    *,
    operation: str,
) -> dict[str, Any]:
    """The challenge of passwordless `factor` (one of PASSWORDLESS) the caller found available."""
    pre_authentication(backend, pool, user, username, hidden=hides_user_existence(client))
    if user is not None:
        check_state(client, user, password_ok=False)
    if factor == "WEB_AUTHN":
        return _passkey_challenge(backend, pool, client, user, [])
    return _code_challenge(backend, pool, client, user, username, factor, operation, [])


# ----------------------------------------------------------------------------- answers


def _finish(answer: Answer, session: AuthSession, user: User) -> dict[str, Any]:
    """The factor is proven: the sign-in goes on past MFA (a passwordless factor meets it)."""
    session.used = True
    check_state(answer.client, user, password_ok=True)
    return finish_sign_in(
        answer.backend, answer.pool, answer.client, user,
        done={*session.data.get("done", ()), "mfa"},
        params=answer.responses, data=session.data.get("sign_in"),
    )  # fmt: skip


def _chosen_here(answer: Answer) -> dict[str, Any] | None:
    """ChallengeName EMAIL_OTP / SMS_OTP / WEB_AUTHN answering a SELECT_CHALLENGE session picks
    that factor (as ANSWER would); None when the session is the factor's own."""
    session = answer.pool.challenge_sessions.get(answer.session or "")
    if session is None or session.challenge != "SELECT_CHALLENGE":
        return None
    session = take_session(
        answer.backend, answer.pool, answer.client, answer.session, {"SELECT_CHALLENGE"}
    )
    require_params(answer.responses, "USERNAME")
    user = answer.pool.users.get(session.username) if session.username else None
    if user is not None and find_user(answer.pool, answer.responses["USERNAME"]) is not user:
        raise NotAuthorizedException(SESSION_INVALID)
    given = str(session.data.get("given", ""))
    check_hash(
        answer.client, answer.responses, user.username if user else given, admin=answer.admin
    )
    if answer.name not in available_challenges(answer.backend, answer.pool, user):
        raise InvalidParameterException(UNAVAILABLE.format(answer.name))
    session.used = True
    operation = "AdminRespondToAuthChallenge" if answer.admin else "RespondToAuthChallenge"
    return start_passwordless(
        answer.backend, answer.pool, answer.client, user, given, answer.name, operation=operation
    )


@challenge("EMAIL_OTP", "SMS_OTP")
def _answer_code(answer: Answer) -> dict[str, Any]:
    """A wrong code leaves the session usable (up to the attempt limit); a right one ends it."""
    chosen = _chosen_here(answer)
    if chosen is not None:
        return chosen
    backend, pool, client = answer.backend, answer.pool, answer.client
    session = take_session(backend, pool, client, answer.session, {answer.name})
    key = _CODE_KEYS[answer.name]
    require_params(answer.responses, "USERNAME", key)
    if not session.username:  # an unknown user's simulated challenge: no code is right
        raise CodeMismatchException(MISMATCH)
    user = session_user(answer, session)
    check_code(backend, session, answer.responses[key])
    return _finish(answer, session, user)


def _refused(error: WebAuthnAssertionError) -> Exception:
    """An unreadable answer is a parameter error; every failed check refuses the sign-in."""
    if error.reason is Refusal.MALFORMED:
        return InvalidParameterException(CREDENTIAL_INVALID)
    return NotAuthorizedException(error.message)


@challenge("WEB_AUTHN")
def _answer_passkey(answer: Answer) -> dict[str, Any]:
    """CREDENTIAL: the AuthenticationResponseJSON (as a JSON string) from the options. Verified
    with fido2: a registered credential of this user for the pool's relying party, the session's
    challenge, an origin of the relying party, its signature, a growing signature counter."""
    chosen = _chosen_here(answer)
    if chosen is not None:
        return chosen
    backend, pool, client = answer.backend, answer.pool, answer.client
    session = take_session(backend, pool, client, answer.session, {"WEB_AUTHN"})
    require_params(answer.responses, "USERNAME", "CREDENTIAL")
    if not session.username:
        raise NotAuthorizedException(INCORRECT)
    user = session_user(answer, session)
    expected = session.data["webauthn"]
    rp_id = str(expected["rp_id"])
    try:
        verified = verify_assertion(
            answer.responses["CREDENTIAL"],
            challenge=_b64url_decode(str(expected["challenge"])),
            rp_id=rp_id,
            credentials=[c for c in user_credentials(user) if c["RelyingPartyId"] == rp_id],
            user_verification=str(expected["uv"]),
            origins=["https://" + host for host in domain_hosts(pool, backend)],
            user_handle=user.sub.encode(),
        )
    except WebAuthnAssertionError as error:
        raise _refused(error) from None
    session.used = True  # a failed check above leaves the session for another try
    for record in user_credentials(user):
        if record["CredentialId"] == verified.credential_id:
            record["sign_count"] = verified.sign_count
    return _finish(answer, session, user)
