"""Client ID Metadata Document (CIMD) policies of app clients and their cache of metadata URLs:
Create/Describe/Update/Delete/ListCIMDPolicies, ListClientMetadataURLs, UpdateClientMetadataURLState.

The mock never fetches documents itself: a URL enters a policy's cache through
`cache_metadata_document` (what the OAuth endpoint does when a client presents it as its ID).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import require_client
from cognito_mock.errors import (
    CachedCIMDURLDoesNotExistException,
    InvalidParameterException,
    ResourceNotFoundException,
)

__all__ = [
    "DEFAULT_CACHE_SECONDS",
    "CIMDPolicy",
    "cache_metadata_document",
    "policy_accepts",
    "require_policy",
]

DEFAULT_PAGE = 60
# Without a CacheDuration the cache keeps a document for the shortest allowed duration, one day.
DEFAULT_CACHE_SECONDS = 86_400
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_ID_LENGTH = 32


@dataclass
class CIMDPolicy:
    policy_id: str
    pool_id: str
    client_id: str
    name: str
    cache_duration: int | None
    patterns: list[str]
    created: float
    modified: float
    # URL -> (cached at, expires at)
    cached: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def cache_seconds(self) -> int:
        return self.cache_duration or DEFAULT_CACHE_SECONDS


def _store(pool: UserPool) -> dict[str, CIMDPolicy]:
    return pool.cimd_policies


def require_policy(pool: UserPool, policy_id: str) -> CIMDPolicy:
    found = _store(pool).get(policy_id)
    if found is None:
        raise ResourceNotFoundException(f"CIMD policy {policy_id} does not exist.")
    return found


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    # `*` is the only wildcard and matches any run of characters; everything else is literal.
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


def policy_accepts(policy: CIMDPolicy, url: str) -> bool:
    """Whether a client metadata document URL matches one of the policy's URL patterns."""
    return any(_pattern_regex(p).match(url) for p in policy.patterns)


def _check_patterns(patterns: list[str]) -> list[str]:
    if len(set(patterns)) != len(patterns):
        raise InvalidParameterException("URLPatterns must not contain duplicate patterns.")
    return list(patterns)


def _live(backend: Backend, policy: CIMDPolicy) -> dict[str, tuple[float, float]]:
    """The cache without expired documents (an expired document is gone from the cache)."""
    now = backend.clock.now()
    for url in [u for u, (_, expires) in policy.cached.items() if expires <= now]:
        del policy.cached[url]
    return policy.cached


def cache_metadata_document(backend: Backend, pool_id: str, policy_id: str, url: str) -> None:
    """Record that the service retrieved the document at `url` for the policy, now."""
    policy = require_policy(backend.pool(pool_id), policy_id)
    if not policy_accepts(policy, url):
        raise InvalidParameterException(f"URL {url} does not match the CIMD policy URL patterns.")
    now = backend.clock.now()
    policy.cached[url] = (now, now + policy.cache_seconds)


def _view(pool: UserPool, policy: CIMDPolicy, *, summary: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {"CIMDPolicyId": policy.policy_id}
    if not summary:
        view["UserPoolId"] = policy.pool_id
    if policy.client_id in pool.clients:  # omitted once the app client is gone
        view["ClientId"] = policy.client_id
    view["PolicyName"] = policy.name
    if policy.cache_duration is not None:
        view["CacheDuration"] = policy.cache_duration
    if not summary:
        view["URLPatterns"] = list(policy.patterns)
    view["CreationDate"] = policy.created
    view["LastModifiedDate"] = policy.modified
    return view


@operation("CreateCIMDPolicy")
def create_cimd_policy(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    require_client(backend, pool.id, request["ClientId"])
    patterns = _check_patterns(request["URLPatterns"])
    now = backend.clock.now()
    policy = CIMDPolicy(
        policy_id=backend.ids.choice_string(_ID_ALPHABET, _ID_LENGTH), pool_id=pool.id,
        client_id=request["ClientId"], name=request["PolicyName"],
        cache_duration=request.get("CacheDuration"), patterns=patterns, created=now, modified=now,
    )  # fmt: skip
    _store(pool)[policy.policy_id] = policy
    return {"CIMDPolicy": _view(pool, policy)}


@operation("DescribeCIMDPolicy")
def describe_cimd_policy(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"CIMDPolicy": _view(pool, require_policy(pool, request["CIMDPolicyId"]))}


@operation("UpdateCIMDPolicy")
def update_cimd_policy(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    policy = require_policy(pool, request["CIMDPolicyId"])
    require_client(backend, pool.id, request["ClientId"])
    patterns = _check_patterns(request["URLPatterns"])
    policy.client_id = request["ClientId"]
    policy.patterns = patterns
    policy.name = request.get("PolicyName", policy.name)
    policy.cache_duration = request.get("CacheDuration", policy.cache_duration)
    # Documents from URLs the new patterns no longer accept leave the cache.
    for url in [u for u in policy.cached if not policy_accepts(policy, u)]:
        del policy.cached[url]
    policy.modified = backend.clock.now()
    return {"CIMDPolicy": _view(pool, policy)}


@operation("DeleteCIMDPolicy")
def delete_cimd_policy(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    del _store(pool)[require_policy(pool, request["CIMDPolicyId"]).policy_id]
    return {}


@operation("ListCIMDPolicies")
def list_cimd_policies(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    items = sorted(_store(pool).values(), key=lambda p: (p.created, p.policy_id))
    keys = [[p.created, p.policy_id] for p in items]
    limit = request.get("MaxResults") or DEFAULT_PAGE
    page, token = page_after(
        backend, "cimd", pool.id, keys, items, limit, request.get("NextToken") or None
    )
    result: dict[str, Any] = {"CIMDPolicies": [_view(pool, p, summary=True) for p in page]}
    if token:
        result["NextToken"] = token
    return result


@operation("ListClientMetadataURLs")
def list_client_metadata_urls(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    policy = require_policy(pool, request["CIMDPolicyId"])
    cached = _live(backend, policy)
    urls = sorted(cached)
    limit = request.get("MaxResults") or DEFAULT_PAGE
    page, token = page_after(
        backend, "cimd-url", f"{pool.id}/{policy.policy_id}", urls, urls, limit,
        request.get("NextToken") or None,
    )  # fmt: skip
    result: dict[str, Any] = {
        "ClientMetadataURLs": [
            {"URL": url, "CachedDate": cached[url][0], "ExpirationDate": cached[url][1]}
            for url in page
        ]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("UpdateClientMetadataURLState")
def update_client_metadata_url_state(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    policy = require_policy(pool, request["CIMDPolicyId"])
    url = request["URL"]
    cached = _live(backend, policy)
    if url not in cached:
        raise CachedCIMDURLDoesNotExistException(
            f"No cached client metadata document exists for URL {url}."
        )
    if request["Action"] == "INVALIDATE":
        del cached[url]
    else:  # REFRESH: the document is retrieved again, so its cache period starts over
        now = backend.clock.now()
        cached[url] = (now, now + policy.cache_seconds)
    return {}
