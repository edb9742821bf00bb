"""Which user pool domain a request names: the Host header's forms, or the ASGI scope key a
front that resolved it (a path form, a proxy) sets. Standard library only."""

from __future__ import annotations

__all__ = ["DOMAIN_SCOPE_KEY", "domain_from_host"]

# A front that resolved the domain itself puts it here in the ASGI scope.
DOMAIN_SCOPE_KEY = "cognito_mock.domain"
_SERVICE_SUFFIX = ".amazoncognito.com"


def domain_from_host(host: str) -> str:
    """The user pool domain a Host header names: `<prefix>.localhost[:port]`,
    `<prefix>.auth.<region>.amazoncognito.com`, or a custom domain as it is."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.lower().rstrip(".")
    if name.endswith(".localhost"):
        return name[: -len(".localhost")]
    if name.endswith(_SERVICE_SUFFIX) and ".auth." in name:
        return name.split(".auth.", 1)[0]
    return name
