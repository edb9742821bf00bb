"""Resource servers: CRUD, paging, limits, and their scopes becoming valid app-client OAuth scopes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

SCOPES = [
    {"ScopeName": "read", "ScopeDescription": "Read things"},
    {"ScopeName": "write", "ScopeDescription": "Write things"},
]


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def _oauth_client(client: Any, pool_id: str, scopes: list[str]) -> Any:
    return client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=scopes,
    )


def test_create_describe_update_delete(client: Any, pool_id: str) -> None:
    created = client.create_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="API", Scopes=SCOPES
    )["ResourceServer"]
    assert created == {
        "UserPoolId": pool_id,
        "Identifier": "https://api.example.com",
        "Name": "API",
        "Scopes": SCOPES,
    }
    described = client.describe_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com"
    )["ResourceServer"]
    assert described == created
    updated = client.update_resource_server(
        UserPoolId=pool_id, Identifier="https://api.example.com", Name="Renamed"
    )["ResourceServer"]
    # Update replaces everything it names: no Scopes means none.
    assert updated["Name"] == "Renamed"
    assert updated["Scopes"] == []
    client.delete_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")
    with pytest.raises(ClientError) as caught:
        client.describe_resource_server(UserPoolId=pool_id, Identifier="https://api.example.com")
    assert _error(caught) == (
        "ResourceNotFoundException",
        "Resource server https://api.example.com does not exist.",
    )


def test_custom_scopes_become_valid_client_scopes(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as caught:
        _oauth_client(client, pool_id, ["orders/read"])
    assert _error(caught) == ("ScopeDoesNotExistException", "Invalid scope requested: orders/read")
    client.create_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="Orders", Scopes=SCOPES
    )
    made = _oauth_client(client, pool_id, ["orders/read", "orders/write"])["UserPoolClient"]
    assert made["AllowedOAuthScopes"] == ["orders/read", "orders/write"]
    with pytest.raises(ClientError) as caught:
        _oauth_client(client, pool_id, ["orders/delete"])
    assert _error(caught) == (
        "ScopeDoesNotExistException",
        "Invalid scope requested: orders/delete",
    )
    # After an update drops `write`, only `read` is grantable to new clients.
    client.update_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="Orders", Scopes=SCOPES[:1]
    )
    with pytest.raises(ClientError) as caught:
        _oauth_client(client, pool_id, ["orders/write"])
    assert _error(caught)[0] == "ScopeDoesNotExistException"
    client.delete_resource_server(UserPoolId=pool_id, Identifier="orders")
    with pytest.raises(ClientError) as caught:
        _oauth_client(client, pool_id, ["orders/read"])
    assert _error(caught)[0] == "ScopeDoesNotExistException"
    # Existing clients keep what they listed (the service does not rewrite them).
    described = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=made["ClientId"])
    assert described["UserPoolClient"]["AllowedOAuthScopes"] == ["orders/read", "orders/write"]


def test_duplicates_are_refused(client: Any, pool_id: str) -> None:
    client.create_resource_server(UserPoolId=pool_id, Identifier="orders", Name="Orders")
    with pytest.raises(ClientError) as caught:
        client.create_resource_server(UserPoolId=pool_id, Identifier="orders", Name="Again")
    assert _error(caught) == (
        "InvalidParameterException",
        "Resource server with identifier orders already exists in the user pool.",
    )
    with pytest.raises(ClientError) as caught:
        client.create_resource_server(
            UserPoolId=pool_id, Identifier="other", Name="Other", Scopes=SCOPES + SCOPES[:1]
        )
    assert _error(caught) == (
        "InvalidParameterException",
        "Duplicate scope name read in the resource server.",
    )
    listed = client.list_resource_servers(UserPoolId=pool_id, MaxResults=50)["ResourceServers"]
    assert [r["Name"] for r in listed] == ["Orders"]


def test_at_most_25_per_pool(client: Any, pool_id: str) -> None:
    for i in range(25):
        client.create_resource_server(UserPoolId=pool_id, Identifier=f"rs{i:02}", Name="n")
    with pytest.raises(ClientError) as caught:
        client.create_resource_server(UserPoolId=pool_id, Identifier="one-more", Name="n")
    assert _error(caught) == (
        "LimitExceededException",
        "The user pool already has the maximum of 25 resource servers.",
    )


def test_list_pages_through_every_server(client: Any, pool_id: str) -> None:
    for name in ["c", "a", "b", "e", "d"]:
        client.create_resource_server(UserPoolId=pool_id, Identifier=name, Name=name.upper())
    seen: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "MaxResults": 2}
    while True:
        page = client.list_resource_servers(**kwargs)
        assert len(page["ResourceServers"]) <= 2
        seen += [r["Identifier"] for r in page["ResourceServers"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == ["a", "b", "c", "d", "e"]


def test_unknown_pool_and_server(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as caught:
        client.list_resource_servers(UserPoolId="us-east-1_missing00", MaxResults=10)
    assert _error(caught) == (
        "ResourceNotFoundException",
        "User pool us-east-1_missing00 does not exist.",
    )
    for call in (client.update_resource_server, client.delete_resource_server):
        extra = {"Name": "n"} if call == client.update_resource_server else {}
        with pytest.raises(ClientError) as caught:
            call(UserPoolId=pool_id, Identifier="ghost", **extra)
        assert _error(caught) == (
            "ResourceNotFoundException",
            "Resource server ghost does not exist.",
        )
