"""The manifest of handler modules: importing it registers every implemented operation."""

from __future__ import annotations

from cognito_mock.backend import pools, tags  # noqa: F401  (imported for registration)

__all__: list[str] = []
