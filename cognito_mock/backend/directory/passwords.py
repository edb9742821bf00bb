"""Password policy: checks with the service's messages, password history, temporary passwords."""

from __future__ import annotations

import string
from typing import Any

from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.errors import (
    InvalidPasswordException,
    PasswordHistoryPolicyViolationException,
)
from cognito_mock.ids import Ids

__all__ = [
    "SYMBOLS",
    "check_password",
    "generate_temporary_password",
    "password_policy",
    "set_password",
    "temporary_password_expired",
]

# The characters the service counts as symbols (developer guide, password requirements).
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_PREFIX = "Password did not conform with policy: "
# What an administrator's password (AdminCreateUser's TemporaryPassword, AdminSetUserPassword)
# is refused with: the service words the admin operations' refusal differently.
_ADMIN_PREFIX = "Password did not conform with password policy: "


def password_policy(pool: UserPool) -> dict[str, Any]:
    policy: dict[str, Any] = pool.settings.get("Policies", {}).get("PasswordPolicy", {})
    return policy


def check_password(
    pool: UserPool, password: str, user: User | None = None, *, admin: bool = False
) -> None:
    """Raise the service's InvalidPasswordException (one rule per error) or history violation;
    `admin` words it as the admin operations do (`...with password policy: ...`)."""
    policy = password_policy(pool)
    prefix = _ADMIN_PREFIX if admin else _PREFIX
    if len(password) < policy.get("MinimumLength", 8):
        raise InvalidPasswordException(prefix + "Password not long enough")
    # Only Basic Latin letters count toward the upper/lower-case rules.
    if policy.get("RequireUppercase", True) and not any("A" <= c <= "Z" for c in password):
        raise InvalidPasswordException(prefix + "Password must have uppercase characters")
    if policy.get("RequireLowercase", True) and not any("a" <= c <= "z" for c in password):
        raise InvalidPasswordException(prefix + "Password must have lowercase characters")
    if policy.get("RequireNumbers", True) and not any("0" <= c <= "9" for c in password):
        raise InvalidPasswordException(prefix + "Password must have numeric characters")
    if policy.get("RequireSymbols", True) and not any(c in SYMBOLS for c in password):
        raise InvalidPasswordException(prefix + "Password must have symbol characters")
    history = policy.get("PasswordHistorySize", 0)
    if user is not None and history:
        recent = [user.password, *user.password_history] if user.password else user.password_history
        if password in recent[:history]:
            raise PasswordHistoryPolicyViolationException("Password has previously been used")


def set_password(pool: UserPool, user: User, password: str, now: float) -> None:
    """Store a new password, remembering the old one for the history rule."""
    if user.password is not None:
        keep = max(password_policy(pool).get("PasswordHistorySize", 0), 0)
        user.password_history = [user.password, *user.password_history][:keep]
    user.password = password
    user.password_set = now


# A generated password: uppercase and lowercase letters, digits and symbols, at least one of each.
_CLASSES = (
    string.ascii_uppercase,
    string.ascii_lowercase,
    string.digits,
    "^$*.[]{}()?!@#%&/,><:;|_~=+-",
)
_ALPHABET = "".join(_CLASSES)
_SIZE = len(_ALPHABET)
# For `bytes.translate`: random bytes below the largest multiple of the alphabet's size become
# its characters (byte % size), the rest are dropped, so every character is equally likely.
_TABLE = bytes(ord(_ALPHABET[b % _SIZE]) if b < 256 - 256 % _SIZE else 0 for b in range(256))
_REJECTED = bytes(range(256 - 256 % _SIZE, 256))
_UPPER, _LOWER, _DIGITS, _SYMBOLS = (alphabet.encode() for alphabet in _CLASSES)


def generate_temporary_password(pool: UserPool, ids: Ids) -> str:
    """A random password that satisfies the pool's policy (as the service generates one).

    Uniform over the passwords of the length that hold every class: uniform characters out of
    one draw of random bytes (rejection sampling, in C), drawn again when a class is missing
    (three draws in ten at 12 characters). Picking byte by byte in Python was a fifth of
    AdminCreateUser's time (issue 16).
    """
    length = max(password_policy(pool).get("MinimumLength", 8), 12)
    while True:
        # 70% of the bytes are kept: twice the length is short of it once in ~1e6 draws.
        chars = ids.token_bytes(2 * length + 8).translate(_TABLE, _REJECTED)[:length]
        if (
            len(chars) == length
            and len(chars.translate(None, _UPPER)) < length
            and len(chars.translate(None, _LOWER)) < length
            and len(chars.translate(None, _DIGITS)) < length
            and len(chars.translate(None, _SYMBOLS)) < length
        ):
            return chars.decode("ascii")


def temporary_password_expired(pool: UserPool, user: User, now: float) -> bool:
    days = password_policy(pool).get("TemporaryPasswordValidityDays", 7) or 7
    return now > user.password_set + days * 86400
