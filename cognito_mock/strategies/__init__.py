"""Hypothesis strategies for cognito-idp requests and domain values (needs `hypothesis`)."""

from __future__ import annotations

from cognito_mock.strategies.examples import minimal_value, pattern_breaker, string_example

__all__ = ["minimal_value", "pattern_breaker", "string_example"]
