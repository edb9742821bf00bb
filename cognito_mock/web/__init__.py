"""The web front of user pool domains: an ASGI app (Starlette) and its Jinja2 templates.

`DomainApp` is imported on first use, so `domain_from_host` costs no web framework."""

from __future__ import annotations

from typing import Any

from cognito_mock.web.hosts import DOMAIN_SCOPE_KEY, domain_from_host

__all__ = ["DOMAIN_SCOPE_KEY", "DomainApp", "domain_from_host"]


def __getattr__(name: str) -> Any:
    if name == "DomainApp":
        from cognito_mock.web.app import DomainApp

        return DomainApp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
