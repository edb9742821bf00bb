"""Hypothesis strategies for cognito-idp requests and domain values (needs `hypothesis`; faker for
the realistic people data). Importing this registers `Email`, `PhoneNumber`, `Username` and `Password`
with `st.from_type`."""

from __future__ import annotations

from cognito_mock.strategies.domain import (
    FAKER_LOCALES,
    PASSWORD_RULES,
    USERNAME_CONFIGS,
    Email,
    Password,
    PhoneNumber,
    Username,
    addresses,
    attributes,
    emails,
    locales,
    names,
    passwords,
    phone_numbers,
    register_types,
    usernames,
)
from cognito_mock.strategies.examples import minimal_value, pattern_breaker, string_example
from cognito_mock.strategies.inference import Mode, from_operation, from_shape
from cognito_mock.strategies.invalid import InvalidRequest
from cognito_mock.strategies.patterns import pattern_strings

__all__ = [
    "FAKER_LOCALES",
    "PASSWORD_RULES",
    "USERNAME_CONFIGS",
    "Email",
    "InvalidRequest",
    "Mode",
    "Password",
    "PhoneNumber",
    "Username",
    "addresses",
    "attributes",
    "emails",
    "from_operation",
    "from_shape",
    "locales",
    "minimal_value",
    "names",
    "passwords",
    "pattern_breaker",
    "pattern_strings",
    "phone_numbers",
    "string_example",
    "usernames",
]

register_types()
