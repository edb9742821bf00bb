"""One-time codes of sign-in challenges, sent by email or SMS and checked against the challenge
session: shared by MFA (SMS_MFA, EMAIL_OTP after a password) and passwordless first factors
(EMAIL_OTP, SMS_OTP). Also the user a challenge answer belongs to."""

from __future__ import annotations

import hmac
from typing import Any

from cognito_mock.backend.auth.first_factor import check_hash
from cognito_mock.backend.auth.pipeline import Answer
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.hooks.messages import outbox_of, send_code
from cognito_mock.backend.kernel.challenge_sessions import SESSION_INVALID, AuthSession
from cognito_mock.backend.kernel.outbox import Message, mask_destination
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    CodeMismatchException,
    ExpiredCodeException,
    NotAuthorizedException,
    UserNotFoundException,
)

__all__ = [
    "ATTEMPTS",
    "CODE_TTL",
    "EXPIRED",
    "MAX_WRONG_CODES",
    "MISMATCH",
    "check_code",
    "send_email_code",
    "send_sms_code",
    "session_user",
]

MISMATCH = "Invalid code or auth state for the user."
EXPIRED = "Invalid code provided, please request a code again."
# A session's code stops working after this many wrong answers (the service allows retries: six
# wrong EMAIL_OTP codes were observed without a lockout; the real limit is unpublished).
MAX_WRONG_CODES = 10
ATTEMPTS = "Attempt limit exceeded, please try after some time."
CODE_TTL = 180.0  # SMS and email codes are valid for 3 minutes (developer guide, MFA codes)
_EMAIL_MESSAGE = "Your authentication code is {####}. "
_EMAIL_SUBJECT = "Your authentication code"


def send_email_code(
    backend: Backend, pool: UserPool, user: User, code: str, operation: str, purpose: str
) -> str:
    """The code by email, from the pool's EmailMfaConfiguration template (it serves email MFA and
    email sign-in codes alike); returns the masked destination."""
    template = (pool.mfa_config or {}).get("email") or {}
    to = user.attributes["email"]
    outbox_of(backend).append(
        Message(
            to=to, medium="EMAIL",
            body=template.get("Message", _EMAIL_MESSAGE).replace("{####}", code),
            subject=template.get("Subject", _EMAIL_SUBJECT), code=code, operation=operation,
            pool_id=pool.id, username=user.username, purpose=purpose, attribute="email",
            sent_at=backend.clock.now(),
        )
    )  # fmt: skip
    return mask_destination("EMAIL", to)


def send_sms_code(
    backend: Backend, pool: UserPool, user: User, code: str, operation: str, purpose: str
) -> str:
    """The code by SMS, from SmsAuthenticationMessage (or CustomMessage); the masked number."""
    delivery = send_code(
        backend, pool, user, "phone_number", code, purpose=purpose, operation=operation
    )
    return str(delivery["Destination"])


def check_code(backend: Backend, session: AuthSession, given: str) -> None:
    """The code the session sent: right, within its lifetime and its attempts. A wrong code leaves
    the session usable until MAX_WRONG_CODES; the caller ends the session on success."""
    if int(session.data.get("wrong_codes", 0)) >= MAX_WRONG_CODES:
        raise NotAuthorizedException(ATTEMPTS)
    sent = str(session.data.get("code", ""))
    if not sent or not hmac.compare_digest(sent.encode(), given.encode("utf-8", "surrogatepass")):
        session.data["wrong_codes"] = int(session.data.get("wrong_codes", 0)) + 1
        raise CodeMismatchException(MISMATCH)
    if backend.clock.now() > float(session.data.get("code_expires", 0.0)):
        raise ExpiredCodeException(EXPIRED)


def session_user(answer: Answer, session: AuthSession) -> User:
    """The session's user, who must be the one USERNAME names, checked for SECRET_HASH."""
    user = answer.pool.users.get(session.username) if session.username else None
    if user is None:
        raise UserNotFoundException("User does not exist.")
    given = answer.responses["USERNAME"]
    if find_user(answer.pool, given) is not user:
        raise NotAuthorizedException(SESSION_INVALID)
    check_hash(answer.client, answer.responses, [user.username, given], admin=answer.admin)
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return user


def code_parameters(medium: str, destination: str, user: User | None) -> dict[str, Any]:
    """The ChallengeParameters of a code challenge."""
    parameters = {"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": destination}
    if user is not None:
        parameters["USER_ID_FOR_SRP"] = user.username
    return parameters
