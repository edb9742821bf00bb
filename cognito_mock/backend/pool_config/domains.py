"""User pool domains: prefix and custom domains, unique across the whole mock, and their handlers."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import FeatureUnavailableInTierException, InvalidParameterException
from cognito_mock.validation.compiled import compiled
from cognito_mock.validation.explain import explain
from cognito_mock.validation.messages import service_message

__all__ = ["domain_base_url", "domain_owner", "hosted_ui_base", "pool_domains"]

_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
# A custom domain has a parent domain that is not a top-level domain (the service resolves the
# parent's A record), so it has at least three labels: `auth.example.com`.
_CUSTOM = re.compile(rf"{_LABEL}(?:\.{_LABEL}){{2,}}")
_RESERVED = ("aws", "amazon", "cognito")
_CERTIFICATE = re.compile(r"arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate/[\w-]+")
_VERSIONS = (1, 2)

NO_SUCH_DOMAIN = "No such domain or user pool exists."
DOMAIN_TAKEN = "Domain already associated with another user pool."
BAD_CERTIFICATE = (
    "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or "
    "doesn't include a valid certificate chain."
)
NOT_A_SUBDOMAIN = (
    "Custom domain is not a valid subdomain: Was not able to resolve the root domain, please "
    "ensure an A record exists for the root domain."
)


# ----------------------------------------------------------------------------- lookups for others


def _registry(backend: Backend) -> dict[str, tuple[str, str, str]]:
    """Mock-wide domain -> (account, region, pool id): prefixes and custom domains are global."""
    return backend.services.domain_index


def pool_domains(pool: UserPool) -> dict[str, dict[str, Any]]:
    """The pool's domains (at most one prefix and one custom), name -> stored description."""
    return pool.domains


def domain_owner(backend: Backend, domain: str) -> tuple[str, str, str] | None:
    """(account, region, pool id) owning `domain` (a prefix or a custom domain), or None."""
    return _registry(backend).get(domain)


def hosted_ui_base(backend: Backend, pool: UserPool) -> str | None:
    """`https://<custom domain>` or `https://<prefix>.auth.<region>.amazoncognito.com`, or None."""
    custom = pool.custom_domain
    if custom:
        return f"https://{custom}"
    prefix = pool.domain
    if prefix:
        return f"https://{prefix}.auth.{backend.region}.amazoncognito.com"
    return None


def domain_base_url(backend: Backend, pool: UserPool, served: str | None) -> str | None:
    """Where the pool's domain answers: `http://<prefix>.localhost:<port>` when the mock is
    served at `served` (browsers resolve `*.localhost` to this machine; a custom domain keeps its
    name), else `hosted_ui_base`; None without a domain."""
    if served and (pool.domain or pool.custom_domain):
        parts = urlsplit(served)
        host = f"{pool.domain}.localhost" if pool.domain else str(pool.custom_domain)
        return f"{parts.scheme}://{host}:{parts.port}" if parts.port else f"{parts.scheme}://{host}"
    return hosted_ui_base(backend, pool)


# ----------------------------------------------------------------------------- checks


def _is_prefix(domain: str) -> bool:
    return compiled("DomainType")(domain)


def _check_name(domain: str, custom_allowed: bool) -> None:
    """Refuse what is neither a DomainType value nor (where allowed) a custom domain, as the model
    words it: the request validator lets every string through so custom domains can pass."""
    if _is_prefix(domain) or (custom_allowed and len(domain) <= 253 and _CUSTOM.fullmatch(domain)):
        return
    raise InvalidParameterException(service_message(explain("DomainType", domain, ("Domain",))))


def _check_version(pool: UserPool, version: int) -> None:
    if version not in _VERSIONS:
        raise InvalidParameterException(
            f"Invalid ManagedLoginVersion {version}: the version must be 1 (hosted UI classic) or "
            "2 (managed login)."
        )
    if version == 2 and pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(
            "Managed login requires the Essentials tier or higher."
        )


def _check_certificate(config: dict[str, Any]) -> None:
    if not _CERTIFICATE.fullmatch(config["CertificateArn"]):
        raise InvalidParameterException(BAD_CERTIFICATE)


def _owned(pool: UserPool, domain: str) -> dict[str, Any]:
    """The pool's stored description of `domain`, or the service's error."""
    found = pool_domains(pool).get(domain)
    if found is None:
        raise InvalidParameterException(NO_SUCH_DOMAIN)
    return found


def _version_stamp(now: float) -> str:
    """The app version the service reports: the creation time as yyyyMMddHHmmss."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(now))


def _cloudfront(backend: Backend) -> str:
    return (
        f"d{backend.ids.choice_string('abcdefghijklmnopqrstuvwxyz0123456789', 13)}.cloudfront.net"
    )


# ----------------------------------------------------------------------------- handlers


@operation("CreateUserPoolDomain")
def create_user_pool_domain(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    domain = request["Domain"]
    config = request.get("CustomDomainConfig")
    _check_name(domain, custom_allowed=config is not None)
    pool = backend.pool(request["UserPoolId"])
    version = request.get("ManagedLoginVersion", 1)
    _check_version(pool, version)
    custom = config is not None
    if config is not None:
        _check_certificate(config)
        if "." not in domain:
            raise InvalidParameterException(NOT_A_SUBDOMAIN)
        if pool.custom_domain:
            raise InvalidParameterException("User pool already has a custom domain configured.")
    else:
        for word in _RESERVED:
            if word in domain:
                raise InvalidParameterException(f"Domain cannot contain reserved word: {word}")
        if request.get("Routing") is not None:
            raise InvalidParameterException("Routing is only supported for custom domains.")
        if pool.domain:
            raise InvalidParameterException("User pool already has a domain configured.")
    if domain in _registry(backend):
        raise InvalidParameterException(DOMAIN_TAKEN)
    now = backend.clock.now()
    description: dict[str, Any] = {
        "UserPoolId": pool.id,
        "AWSAccountId": backend.account_id,
        "Domain": domain,
        "S3Bucket": f"aws-cognito-prod-{backend.region}-assets",
        "CloudFrontDistribution": _cloudfront(backend),
        "Version": _version_stamp(now),
        "Status": "ACTIVE",
        "ManagedLoginVersion": version,
    }
    if config is not None:  # its CertificateArn is required: a prefix domain shows none
        description["CustomDomainConfig"] = clone(config)
    if request.get("Routing") is not None:
        description["Routing"] = clone(request["Routing"])
    pool_domains(pool)[domain] = description
    if custom:
        pool.custom_domain = domain
    else:
        pool.domain = domain
    _registry(backend)[domain] = (backend.account_id, backend.region, pool.id)
    return _domain_answer(description, version, custom)


def _domain_answer(description: dict[str, Any], version: int, custom: bool) -> dict[str, Any]:
    """What CreateUserPoolDomain and UpdateUserPoolDomain answer about the domain."""
    result: dict[str, Any] = {"ManagedLoginVersion": version}
    if custom:
        result["CloudFrontDomain"] = description["CloudFrontDistribution"]
    if "Routing" in description:
        result["Routing"] = clone(description["Routing"])
    return result


@operation("DescribeUserPoolDomain")
def describe_user_pool_domain(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    domain = request["Domain"]
    _check_name(domain, custom_allowed=True)
    owner = _registry(backend).get(domain)
    # Another account's or region's domain is not visible here; an unknown one describes as {}.
    if owner is None or owner[:2] != (backend.account_id, backend.region):
        return {"DomainDescription": {}}
    pool = backend.pools.get(owner[2])
    found = pool_domains(pool).get(domain) if pool is not None else None
    return {"DomainDescription": clone(found) if found is not None else {}}


@operation("UpdateUserPoolDomain")
def update_user_pool_domain(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    domain = request["Domain"]
    _check_name(domain, custom_allowed=True)
    pool = backend.pool(request["UserPoolId"])
    description = _owned(pool, domain)
    custom = "CustomDomainConfig" in description
    version = request.get("ManagedLoginVersion", description["ManagedLoginVersion"])
    _check_version(pool, version)
    config = request.get("CustomDomainConfig")
    if config is not None:
        if not custom:
            raise InvalidParameterException(
                "CustomDomainConfig can only be updated for a custom domain."
            )
        _check_certificate(config)
    routing = request.get("Routing")
    if routing is not None and not custom:
        raise InvalidParameterException("Routing is only supported for custom domains.")
    description["ManagedLoginVersion"] = version
    if config is not None:
        description["CustomDomainConfig"] = clone(config)
    if routing is not None:
        description["Routing"] = clone(routing)
    return _domain_answer(description, version, custom)


@operation("DeleteUserPoolDomain")
def delete_user_pool_domain(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    domain = request["Domain"]
    _check_name(domain, custom_allowed=True)
    pool = backend.pool(request["UserPoolId"])
    description = _owned(pool, domain)
    del pool_domains(pool)[domain]
    if "CustomDomainConfig" in description:
        pool.custom_domain = None
    else:
        pool.domain = None
    _registry(backend).pop(domain, None)
    return {}
