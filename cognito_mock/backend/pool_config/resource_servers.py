"""OAuth 2.0 resource servers and their custom scopes (`<identifier>/<scope>`), and their handlers
(`pool.resource_servers`: identifier -> ResourceServerType in wire form, in creation order)."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)

__all__ = ["custom_scopes", "resource_server_records"]

MAX_SERVERS = 25  # per pool (quota)


def resource_server_records(pool: UserPool) -> dict[str, dict[str, Any]]:
    """identifier -> ResourceServerType (wire form), in creation order."""
    return pool.resource_servers


def custom_scopes(pool: UserPool) -> set[str]:
    """Every `<identifier>/<scope>` the pool's resource servers define."""
    return {
        f"{identifier}/{scope['ScopeName']}"
        for identifier, record in resource_server_records(pool).items()
        for scope in record["Scopes"]
    }


def _scopes(request: dict[str, Any]) -> list[dict[str, str]]:
    scopes = [
        {"ScopeName": s["ScopeName"], "ScopeDescription": s["ScopeDescription"]}
        for s in request.get("Scopes", [])
    ]
    names = [s["ScopeName"] for s in scopes]
    for name in names:
        if names.count(name) > 1:
            raise InvalidParameterException(f"Duplicate scope name {name} in the resource server.")
    return scopes


def _store(pool: UserPool, identifier: str, name: str, scopes: list[dict[str, str]]) -> None:
    resource_server_records(pool)[identifier] = {
        "UserPoolId": pool.id,
        "Identifier": identifier,
        "Name": name,
        "Scopes": scopes,
    }


def _require(pool: UserPool, identifier: str) -> dict[str, Any]:
    found = resource_server_records(pool).get(identifier)
    if found is None:
        raise ResourceNotFoundException(f"Resource server {identifier} does not exist.")
    return found


@operation("CreateResourceServer")
def create_resource_server(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    identifier = request["Identifier"]
    scopes = _scopes(request)
    records = resource_server_records(pool)
    if identifier in records:
        raise InvalidParameterException(
            f"Resource server with identifier {identifier} already exists in the user pool."
        )
    if len(records) >= MAX_SERVERS:
        raise LimitExceededException(
            f"The user pool already has the maximum of {MAX_SERVERS} resource servers."
        )
    _store(pool, identifier, request["Name"], scopes)
    return {"ResourceServer": clone(records[identifier])}


@operation("DescribeResourceServer")
def describe_resource_server(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"ResourceServer": clone(_require(pool, request["Identifier"]))}


@operation("UpdateResourceServer")
def update_resource_server(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    identifier = request["Identifier"]
    _require(pool, identifier)
    # Name and scopes are replaced: omitted scopes mean none (the documented update semantics).
    # App clients keep the scope names they list; a removed scope no longer appears in tokens.
    _store(pool, identifier, request["Name"], _scopes(request))
    return {"ResourceServer": clone(resource_server_records(pool)[identifier])}


@operation("DeleteResourceServer")
def delete_resource_server(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    identifier = request["Identifier"]
    _require(pool, identifier)
    del resource_server_records(pool)[identifier]
    return {}


@operation("ListResourceServers")
def list_resource_servers(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    # In code-point order of identifiers: a stable key that needs no extra bookkeeping.
    records = sorted(resource_server_records(pool).values(), key=lambda r: r["Identifier"])
    keys = [r["Identifier"] for r in records]
    page, token = page_after(
        backend, "resource_servers", pool.id, keys, records, request.get("MaxResults", 50),
        request.get("NextToken"),
    )  # fmt: skip
    result: dict[str, Any] = {"ResourceServers": [clone(r) for r in page]}
    if token:
        result["NextToken"] = token
    return result
