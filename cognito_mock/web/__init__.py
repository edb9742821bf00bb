"""The web front of user pool domains: an ASGI app (Starlette) and its Jinja2 templates."""

from __future__ import annotations

from cognito_mock.web.app import DOMAIN_SCOPE_KEY, DomainApp, domain_from_host

__all__ = ["DOMAIN_SCOPE_KEY", "DomainApp", "domain_from_host"]
