"""Terms documents of managed login: Create/Describe/DescribeByClient/Update/Delete/ListTerms,
one document per app client and terms name, linked per language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import require_client
from cognito_mock.errors import (
    InvalidParameterException,
    ResourceNotFoundException,
    TermsExistsException,
)

__all__ = ["Terms", "terms_for_client"]

DEFAULT_PAGE = 60
# Keys (cognito:default, cognito:<language>) are checked by the model; URLs only by pattern there.
_URL = re.compile(r"^https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")


@dataclass
class Terms:
    terms_id: str
    pool_id: str
    client_id: str
    name: str
    source: str
    enforcement: str
    links: dict[str, str]
    created: float
    modified: float


def _store(pool: UserPool) -> dict[str, Terms]:
    return pool.terms


def terms_for_client(pool: UserPool, client_id: str) -> list[Terms]:
    """The client's documents (what its managed-login sign-up page links to)."""
    return [t for t in _store(pool).values() if t.client_id == client_id]


def _check_links(links: dict[str, str] | None) -> dict[str, str]:
    if not links:
        raise InvalidParameterException(
            "Links must contain at least one link when TermsSource is LINK."
        )
    for key, url in links.items():
        if not _URL.match(url):
            raise InvalidParameterException(f"Invalid URL for {key}: links must be HTTPS URLs.")
    return dict(links)


def _check_unique(pool: UserPool, client_id: str, name: str, terms_id: str | None) -> None:
    for other in terms_for_client(pool, client_id):
        if other.name == name and other.terms_id != terms_id:
            raise TermsExistsException(
                f"Terms with name {name} already exist for app client {client_id}."
            )


def _view(terms: Terms) -> dict[str, Any]:
    return {
        "TermsId": terms.terms_id,
        "UserPoolId": terms.pool_id,
        "ClientId": terms.client_id,
        "TermsName": terms.name,
        "TermsSource": terms.source,
        "Enforcement": terms.enforcement,
        "Links": dict(terms.links),
        "CreationDate": terms.created,
        "LastModifiedDate": terms.modified,
    }


def _require(pool: UserPool, terms_id: str) -> Terms:
    found = _store(pool).get(terms_id)
    if found is None:
        raise ResourceNotFoundException(f"Terms {terms_id} does not exist.")
    return found


@operation("CreateTerms")
def create_terms(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request["ClientId"]
    require_client(backend, pool.id, client_id)
    _check_unique(pool, client_id, request["TermsName"], None)
    links = _check_links(request.get("Links"))
    now = backend.clock.now()
    terms = Terms(
        terms_id=backend.ids.uuid4(), pool_id=pool.id, client_id=client_id,
        name=request["TermsName"], source=request["TermsSource"],
        enforcement=request["Enforcement"], links=links, created=now, modified=now,
    )  # fmt: skip
    _store(pool)[terms.terms_id] = terms
    return {"Terms": _view(terms)}


@operation("DescribeTerms")
def describe_terms(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"Terms": _view(_require(pool, request["TermsId"]))}


@operation("DescribeTermsByClient")
def describe_terms_by_client(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request["ClientId"]
    require_client(backend, pool.id, client_id)
    for terms in terms_for_client(pool, client_id):
        if terms.name == request["TermsName"]:
            return {"Terms": _view(terms)}
    raise ResourceNotFoundException(
        f"Terms {request['TermsName']} do not exist for app client {client_id}."
    )


@operation("UpdateTerms")
def update_terms(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    terms = _require(pool, request["TermsId"])
    name = request.get("TermsName", terms.name)
    _check_unique(pool, terms.client_id, name, terms.terms_id)
    links = _check_links(request["Links"]) if "Links" in request else terms.links
    terms.name = name
    terms.links = links
    terms.source = request.get("TermsSource", terms.source)
    terms.enforcement = request.get("Enforcement", terms.enforcement)
    terms.modified = backend.clock.now()
    return {"Terms": _view(terms)}


@operation("DeleteTerms")
def delete_terms(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    del _store(pool)[_require(pool, request["TermsId"]).terms_id]
    return {}


@operation("ListTerms")
def list_terms(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    items = sorted(_store(pool).values(), key=lambda t: (t.created, t.terms_id))
    keys = [[t.created, t.terms_id] for t in items]
    limit = request.get("MaxResults") or DEFAULT_PAGE
    page, token = page_after(
        backend, "terms", pool.id, keys, items, limit, request.get("NextToken") or None
    )
    result: dict[str, Any] = {
        "Terms": [
            {
                "TermsId": t.terms_id,
                "TermsName": t.name,
                "Enforcement": t.enforcement,
                "CreationDate": t.created,
                "LastModifiedDate": t.modified,
            }
            for t in page
        ]
    }
    if token:
        result["NextToken"] = token
    return result
