"""One-time codes: issued per purpose, expiring on the injectable clock, single-use, attempt-limited."""

from __future__ import annotations

from cognito_mock.backend.kernel.records import Code, User
from cognito_mock.errors import (
    CodeMismatchException,
    ExpiredCodeException,
    LimitExceededException,
)
from cognito_mock.ids import Ids

__all__ = ["MAX_FAILURES", "TTL", "consume_code", "issue_code"]

# Validity per purpose (developer guide quotas): sign-up and attribute codes 24 h, reset codes 1 h.
TTL = {"confirm_sign_up": 86400.0, "verify_attribute": 86400.0, "forgot_password": 3600.0}
MAX_FAILURES = 5  # wrong guesses before the code is void and LimitExceededException follows

_MISMATCH = "Invalid verification code provided, please try again."
_EXPIRED = "Invalid code provided, please request a code again."
_LIMIT = "Attempt limit exceeded, please try after some time."


def _key(purpose: str, attribute: str | None) -> str:
    return f"{purpose}:{attribute}" if purpose == "verify_attribute" else purpose


def issue_code(user: User, purpose: str, ids: Ids, now: float, attribute: str | None = None) -> str:
    """A fresh 6-digit code for `purpose`, replacing any pending one."""
    value = ids.digits(6)
    user.codes[_key(purpose, attribute)] = Code(value, now + TTL[purpose], attribute)
    return value


def consume_code(
    user: User, purpose: str, given: str, now: float, attribute: str | None = None
) -> Code:
    """Check `given` against the pending code and spend it; raise the service's errors otherwise."""
    key = _key(purpose, attribute)
    code = user.codes.get(key)
    if code is None or now > code.expires:
        user.codes.pop(key, None)
        raise ExpiredCodeException(_EXPIRED)
    if code.failures >= MAX_FAILURES:
        raise LimitExceededException(_LIMIT)
    if given != code.value:
        code.failures += 1
        raise CodeMismatchException(_MISMATCH)
    del user.codes[key]
    return code
