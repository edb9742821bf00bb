"""Sign-in step "mfa" and its challenges: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
SELECT_MFA_TYPE and MFA_SETUP."""

from __future__ import annotations

import json
from typing import Any

from cognito_mock.backend.auth.first_factor import require_params
from cognito_mock.backend.auth.otp import (
    CODE_TTL,
    MISMATCH,
    check_code,
    send_email_code,
    send_sms_code,
    session_user,
)
from cognito_mock.backend.auth.pipeline import (
    Answer,
    SignIn,
    challenge,
    finish_sign_in,
    sign_in_step,
)
from cognito_mock.backend.crypto.totp import totp_match
from cognito_mock.backend.factors.mfa import enable_factor, totp_secret, usable_factors
from cognito_mock.backend.factors.software_tokens import SETUP_VERIFIED
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    AuthSession,
    open_session,
    take_session,
)
from cognito_mock.backend.kernel.records import User
from cognito_mock.backend.pool_config.mfa_config import pool_factors
from cognito_mock.errors import (
    CodeMismatchException,
    ExpiredCodeException,
    MFAMethodNotFoundException,
    NotAuthorizedException,
)

__all__ = ["CODE_TTL", "MISMATCH", "REUSED"]

REUSED = "Your software token has already been used once."
# Challenge -> the ChallengeResponses key that carries its code.
_CODE_KEYS = {"SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE", "SMS_MFA": "SMS_MFA_CODE"}
_ANSWERS = {"EMAIL_MFA": "EMAIL_OTP"}  # SELECT_MFA_TYPE's documented name for email MFA


def _compact(values: list[str]) -> str:
    return json.dumps(values, separators=(",", ":"))


def _open(sign_in: SignIn, name: str, parameters: dict[str, str], **extra: Any) -> dict[str, Any]:
    """`sign_in.challenge` with extra session data (the code sent, the choices offered)."""
    session = open_session(
        sign_in.backend, sign_in.pool, sign_in.client, name, sign_in.user.username,
        done=sorted(sign_in.done), sign_in=dict(sign_in.data), **extra,
    )  # fmt: skip
    return {"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}


def _factor_challenge(sign_in: SignIn, factor: str, operation: str) -> dict[str, Any]:
    """Ask for `factor`'s code, sending it first for SMS and email."""
    user = sign_in.user
    parameters = {"USER_ID_FOR_SRP": user.username}
    if factor == "SOFTWARE_TOKEN_MFA":
        if user.mfa.totp_name:
            parameters["FRIENDLY_DEVICE_NAME"] = user.mfa.totp_name
        return _open(sign_in, factor, parameters)
    backend = sign_in.backend
    code = backend.ids.digits(6)
    send = send_sms_code if factor == "SMS_MFA" else send_email_code
    destination = send(backend, sign_in.pool, user, code, operation, "mfa")
    medium = "SMS" if factor == "SMS_MFA" else "EMAIL"
    parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = medium
    parameters["CODE_DELIVERY_DESTINATION"] = destination
    return _open(
        sign_in, factor, parameters, code=code, code_expires=backend.clock.now() + CODE_TTL
    )


@sign_in_step("mfa")
def _mfa(sign_in: SignIn) -> dict[str, Any] | None:
    """MFA ON: every user; OPTIONAL: users with a factor turned on. One factor (or the preferred
    one) is challenged directly; several without a preference let the user choose; a user of an
    ON pool without any factor must set one up (MFA_SETUP)."""
    pool, user = sign_in.pool, sign_in.user
    mode = pool.settings.get("MfaConfiguration", "OFF")
    if mode == "OFF":
        return None
    factors = usable_factors(user)
    if mode == "ON" and not factors:
        # Required MFA uses what the user already has: a verified token, else SMS to their phone.
        if totp_secret(user) is not None:
            factors = ["SOFTWARE_TOKEN_MFA"]
        elif "SMS_MFA" in pool_factors(pool) and user.attributes.get("phone_number"):
            factors = ["SMS_MFA"]
    if not factors:
        if mode == "OPTIONAL":
            return None
        return sign_in.challenge(
            "MFA_SETUP",
            {"MFAS_CAN_SETUP": _compact(pool_factors(pool)), "USER_ID_FOR_SRP": user.username},
        )
    preferred = user.mfa.preferred
    if preferred in factors:
        return _factor_challenge(sign_in, str(preferred), "InitiateAuth")
    if len(factors) == 1:
        return _factor_challenge(sign_in, factors[0], "InitiateAuth")
    parameters = {"MFAS_CAN_CHOOSE": _compact(factors), "USER_ID_FOR_SRP": user.username}
    return _open(sign_in, "SELECT_MFA_TYPE", parameters, choices=factors)


# ----------------------------------------------------------------------------- answers


def _finish(answer: Answer, session: AuthSession, user: User) -> dict[str, Any]:
    session.used = True
    return finish_sign_in(
        answer.backend, answer.pool, answer.client, user,
        done={*session.data.get("done", ()), "mfa"},
        params=answer.responses, data=session.data.get("sign_in"),
    )  # fmt: skip


def _check_totp(answer: Answer, user: User, code: str) -> None:
    """Right code within ±1 step, not used before (RFC 6238 section 5.2: one use per code)."""
    secret = totp_secret(user)
    steps = totp_match(secret, code, answer.backend.clock.now()) if secret else []
    if not steps:
        raise CodeMismatchException(MISMATCH)
    last = user.mfa.totp_last_step if user.mfa.totp_last_step is not None else -1
    fresh = [step for step in steps if step > last]
    if not fresh:
        raise ExpiredCodeException(REUSED)
    user.mfa.totp_last_step = max(fresh)


@challenge("SOFTWARE_TOKEN_MFA", "SMS_MFA")
def _answer_code(answer: Answer) -> dict[str, Any]:
    """A wrong code leaves the session usable (the service allows retries); a right one ends it.
    EMAIL_OTP, which serves MFA and passwordless sign-in, is answered in auth/passwordless.py."""
    session = take_session(
        answer.backend, answer.pool, answer.client, answer.session, {answer.name}
    )
    key = _CODE_KEYS[answer.name]
    require_params(answer.responses, "USERNAME", key)
    user = session_user(answer, session)
    code = answer.responses[key]
    if answer.name == "SOFTWARE_TOKEN_MFA":
        _check_totp(answer, user, code)
    else:
        check_code(answer.backend, session, code)
    return _finish(answer, session, user)


@challenge("SELECT_MFA_TYPE")
def _select_mfa_type(answer: Answer) -> dict[str, Any]:
    session = take_session(
        answer.backend, answer.pool, answer.client, answer.session, {"SELECT_MFA_TYPE"}
    )
    require_params(answer.responses, "USERNAME", "ANSWER")
    user = session_user(answer, session)
    choice = _ANSWERS.get(answer.responses["ANSWER"], answer.responses["ANSWER"])
    if choice not in session.data.get("choices", ()):
        raise MFAMethodNotFoundException(f"The MFA method {choice} is not available for the user.")
    session.used = True
    sign_in = SignIn(
        answer.backend, answer.pool, answer.client, user, set(session.data.get("done", ())),
        dict(answer.responses), dict(session.data.get("sign_in") or {}),
    )  # fmt: skip
    return _factor_challenge(sign_in, choice, "RespondToAuthChallenge")


@challenge("MFA_SETUP")
def _mfa_setup(answer: Answer) -> dict[str, Any]:
    """Answered with the Session VerifySoftwareToken returned: the verified token becomes the
    user's TOTP factor and the sign-in goes on."""
    session = take_session(
        answer.backend, answer.pool, answer.client, answer.session, {SETUP_VERIFIED}
    )
    require_params(answer.responses, "USERNAME")
    user = session_user(answer, session)
    if totp_secret(user) is None:  # deleted (AdminDeleteSoftwareToken) since it was verified
        raise NotAuthorizedException(SESSION_INVALID)
    enable_factor(user, "SOFTWARE_TOKEN_MFA", answer.backend.clock.now())
    return _finish(answer, session, user)
