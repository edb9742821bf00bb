"""Hypothesis strategies for cognito-idp requests and domain values (needs `hypothesis`)."""

from __future__ import annotations

from cognito_mock.strategies.examples import minimal_value, pattern_breaker, string_example
from cognito_mock.strategies.invalid import InvalidRequest
from cognito_mock.strategies.patterns import pattern_strings
from cognito_mock.strategies.requests import from_operation, from_shape

__all__ = [
    "InvalidRequest",
    "from_operation",
    "from_shape",
    "minimal_value",
    "pattern_breaker",
    "pattern_strings",
    "string_example",
]
