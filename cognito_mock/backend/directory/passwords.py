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


# A generated password has two of each class, then letters and digits, shuffled.
_CLASSES = (
    string.ascii_uppercase,
    string.ascii_lowercase,
    string.digits,
    "^$*.[]{}()?!@#%&/,><:;|_~=+-",
)
_REST = string.ascii_letters + string.digits


def generate_temporary_password(pool: UserPool, ids: Ids) -> str:
    """A random password that satisfies the pool's policy (as the service generates one).

    Uniform picks and a uniform shuffle out of one draw of random bytes (rejection sampling):
    drawing per character was a third of AdminCreateUser's time (issue 16).
    """
    length = max(password_policy(pool).get("MinimumLength", 8), 12)
    pool_bytes = ids.token_bytes(3 * length + 16)
    at = 0

    def below(n: int) -> int:
        """A uniform pick in range(n), n <= 256, from the drawn bytes (more drawn if needed)."""
        nonlocal pool_bytes, at
        usable = 256 - 256 % n  # bytes at or above this would favour the low picks
        while True:
            if at == len(pool_bytes):
                pool_bytes, at = ids.token_bytes(length + 16), 0
            byte = pool_bytes[at]
            at += 1
            if byte < usable:
                return byte % n

    chars = [alphabet[below(len(alphabet))] for alphabet in _CLASSES for _ in range(2)]
    chars += [_REST[below(len(_REST))] for _ in range(length - 8)]
    for i in range(len(chars) - 1, 0, -1):  # Fisher-Yates
        j = below(i + 1)
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def temporary_password_expired(pool: UserPool, user: User, now: float) -> bool:
    days = password_policy(pool).get("TemporaryPasswordValidityDays", 7) or 7
    return now > user.password_set + days * 86400
