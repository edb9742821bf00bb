"""App clients through boto3: defaults, every settings check both ways, update semantics, paging, secrets."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.pool_config import clients as clients_module
from cognito_mock.backend.pool_config.client_rules import (
    allowed_flows,
    client_by_id,
    hides_user_existence,
    require_client,
    token_validity_seconds,
)
from cognito_mock.errors import ResourceNotFoundException
from tests.helpers import fails


def _create(client: Any, pool_id: str, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("ClientName", "app")
    return dict(client.create_user_pool_client(UserPoolId=pool_id, **kwargs)["UserPoolClient"])


def _describe(client: Any, pool_id: str, client_id: str) -> dict[str, Any]:
    found = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    return dict(found["UserPoolClient"])


def _stored(mock: CognitoMock, pool_id: str, client_id: str) -> Any:
    return require_client(mock.backend(), pool_id, client_id)


@pytest.fixture
def schema_pool(mock: CognitoMock) -> str:
    """A pool with a required email, a custom and a developer-only attribute."""
    pool = mock.call(
        "CreateUserPool",
        PoolName="schema-pool",
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True},
            {"Name": "role", "AttributeDataType": "String"},
            {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        ],
    )
    return str(pool["UserPool"]["Id"])


# ----------------------------------------------------------------------------- create / describe


def test_bare_client_shows_the_service_defaults(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    created = _create(client, pool_id)
    assert re.fullmatch(r"[a-z0-9]{26}", created["ClientId"])
    described = _describe(client, pool_id, created["ClientId"])
    assert described == created
    when = described.pop("CreationDate")
    assert described.pop("LastModifiedDate") == when
    assert described == {
        "UserPoolId": pool_id,
        "ClientName": "app",
        "ClientId": created["ClientId"],
        "RefreshTokenValidity": 30,
        "TokenValidityUnits": {},
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnableTokenRevocation": True,
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": 3,
        "ClientType": "REGULAR",
    }
    stored = _stored(mock, pool_id, created["ClientId"])
    assert allowed_flows(stored) == {
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
    }
    assert token_validity_seconds(stored) == {"access": 3600, "id": 3600, "refresh": 30 * 86400}
    assert hides_user_existence(stored) is False
    assert stored.secret is None


def test_given_settings_are_echoed(client: Any, mock: CognitoMock, pool_id: str) -> None:
    created = _create(
        client,
        pool_id,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=False,
        AuthSessionValidity=15,
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
    )
    assert created["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert created["PreventUserExistenceErrors"] == "ENABLED"
    assert created["EnableTokenRevocation"] is False
    assert created["AuthSessionValidity"] == 15
    assert created["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    stored = _stored(mock, pool_id, created["ClientId"])
    assert allowed_flows(stored) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert hides_user_existence(stored) is True


def test_generated_secret(client: Any, pool_id: str) -> None:
    created = _create(client, pool_id, GenerateSecret=True)
    assert re.fullmatch(r"[a-z0-9]{51}", created["ClientSecret"])
    assert (
        _describe(client, pool_id, created["ClientId"])["ClientSecret"] == created["ClientSecret"]
    )
    listed = client.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=created["ClientId"])
    [secret] = listed["ClientSecrets"]
    assert "ClientSecretValue" not in secret
    assert secret["ClientSecretId"] == f"{created['ClientId']}--{int(1_790_000_000.0 * 1000)}"
    assert secret["ClientSecretCreateDate"] == created["CreationDate"]


def test_explicit_secret_and_not_both(client: Any, pool_id: str) -> None:
    custom = "my_custom_secret_value_0123456789"
    assert _create(client, pool_id, ClientSecret=custom)["ClientSecret"] == custom
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "You cannot specify both GenerateSecret as true and a ClientSecret.",
        UserPoolId=pool_id,
        ClientName="x",
        GenerateSecret=True,
        ClientSecret=custom,
    )


# ----------------------------------------------------------------------------- token validity


@pytest.mark.parametrize(
    ("kwargs", "seconds"),
    [
        (
            {"AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "minutes"}},
            {"access": 300},
        ),
        ({"AccessTokenValidity": 24}, {"access": 86400}),
        ({"IdTokenValidity": 1, "TokenValidityUnits": {"IdToken": "days"}}, {"id": 86400}),
        ({"IdTokenValidity": 300, "TokenValidityUnits": {"IdToken": "seconds"}}, {"id": 300}),
        (
            {"RefreshTokenValidity": 60, "TokenValidityUnits": {"RefreshToken": "minutes"}},
            {"refresh": 3600},
        ),
        ({"RefreshTokenValidity": 3650}, {"refresh": 3650 * 86400}),
        (
            {"RefreshTokenValidity": 1, "TokenValidityUnits": {"RefreshToken": "hours"}},
            {"refresh": 3600},
        ),
    ],
)
def test_validity_in_range_is_accepted(
    client: Any, mock: CognitoMock, pool_id: str, kwargs: dict[str, Any], seconds: dict[str, int]
) -> None:
    created = _create(client, pool_id, **kwargs)
    for member in ("AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity"):
        if member in kwargs:
            assert created[member] == kwargs[member]
    assert created["TokenValidityUnits"] == kwargs.get("TokenValidityUnits", {})
    effective = token_validity_seconds(_stored(mock, pool_id, created["ClientId"]))
    assert {k: effective[k] for k in seconds} == seconds


@pytest.mark.parametrize(
    "kwargs",
    [
        {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}},
        {"AccessTokenValidity": 25},
        {"IdTokenValidity": 299, "TokenValidityUnits": {"IdToken": "seconds"}},
        {"IdTokenValidity": 2, "TokenValidityUnits": {"IdToken": "days"}},
        {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},
        {"RefreshTokenValidity": 3651},
        # A unit without a value keeps the default number (30) in that unit: 30 minutes is too short.
        {"TokenValidityUnits": {"RefreshToken": "minutes"}},
    ],
)
def test_validity_out_of_range_is_refused(
    client: Any, pool_id: str, kwargs: dict[str, Any]
) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "Invalid range for token validity.",
        UserPoolId=pool_id,
        ClientName="x",
        **kwargs,
    )
    assert client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"] == []


def test_refresh_validity_zero_means_thirty_days(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    assert _create(client, pool_id, RefreshTokenValidity=0)["RefreshTokenValidity"] == 30
    in_hours = _create(
        client, pool_id, RefreshTokenValidity=0, TokenValidityUnits={"RefreshToken": "hours"}
    )
    assert in_hours["RefreshTokenValidity"] == 720
    stored = _stored(mock, pool_id, in_hours["ClientId"])
    assert token_validity_seconds(stored)["refresh"] == 30 * 86400


# ----------------------------------------------------------------------------- attributes


def test_read_and_write_attributes_from_the_schema(client: Any, schema_pool: str) -> None:
    created = _create(
        client,
        schema_pool,
        ReadAttributes=["email", "email_verified", "custom:role", "dev:custom:tier"],
        WriteAttributes=["email", "custom:role", "name"],
    )
    assert created["ReadAttributes"] == [
        "email",
        "email_verified",
        "custom:role",
        "dev:custom:tier",
    ]
    assert created["WriteAttributes"] == ["email", "custom:role", "name"]


@pytest.mark.parametrize("names", [["custom:nope"], ["email", "nickname2"], ["custom:tier"]])
def test_unknown_read_attribute_is_refused(client: Any, schema_pool: str, names: list[str]) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "Invalid read attributes specified while creating a client",
        UserPoolId=schema_pool,
        ClientName="x",
        ReadAttributes=names,
    )


@pytest.mark.parametrize(
    "names",
    [
        ["email", "custom:nope"],
        ["email", "sub"],
        ["email", "dev:custom:tier"],
        ["email", "email_verified"],
        ["name"],  # the pool's required email must be writable
    ],
)
def test_bad_write_attributes_are_refused(client: Any, schema_pool: str, names: list[str]) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "Invalid write attributes specified while creating a client",
        UserPoolId=schema_pool,
        ClientName="x",
        WriteAttributes=names,
    )
    made = _create(client, schema_pool)
    fails(
        client.update_user_pool_client,
        "InvalidParameterException",
        "Invalid write attributes specified while updating a client",
        UserPoolId=schema_pool,
        ClientId=made["ClientId"],
        WriteAttributes=names,
    )


# ----------------------------------------------------------------------------- auth flows


def test_legacy_flows_alone_are_accepted_and_translated(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    legacy = _create(client, pool_id, ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"])
    assert legacy["ExplicitAuthFlows"] == ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"]
    flows = allowed_flows(_stored(mock, pool_id, legacy["ClientId"]))
    assert flows == {
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH",
    }  # fmt: skip
    custom_only = _create(client, pool_id, ExplicitAuthFlows=["CUSTOM_AUTH_FLOW_ONLY"])
    flows = allowed_flows(_stored(mock, pool_id, custom_only["ClientId"]))
    assert flows == {"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


def test_legacy_and_allow_flows_cannot_mix(client: Any, pool_id: str) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "ExplicitAuthFlows cannot combine the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY "
        "and USER_PASSWORD_AUTH with values that begin with ALLOW_.",
        UserPoolId=pool_id,
        ClientName="x",
        ExplicitAuthFlows=["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )


def test_user_auth_needs_essentials_tier(client: Any, mock: CognitoMock, pool_id: str) -> None:
    assert _create(client, pool_id, ExplicitAuthFlows=["ALLOW_USER_AUTH"])["ExplicitAuthFlows"] == [
        "ALLOW_USER_AUTH"
    ]
    lite = mock.call("CreateUserPool", PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    fails(
        client.create_user_pool_client,
        "FeatureUnavailableInTierException",
        "ALLOW_USER_AUTH requires the Essentials tier or higher.",
        UserPoolId=lite,
        ClientName="x",
        ExplicitAuthFlows=["ALLOW_USER_AUTH"],
    )


# ----------------------------------------------------------------------------- OAuth


def _oauth(**overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email"],
        "CallbackURLs": ["https://app.example.com/cb"],
        "SupportedIdentityProviders": ["COGNITO"],
    }
    settings.update(overrides)
    return {k: v for k, v in settings.items() if v is not None}


def test_oauth_client_is_accepted_and_echoed(client: Any, pool_id: str) -> None:
    settings = _oauth(
        CallbackURLs=["https://app.example.com/cb", "http://localhost:3000/cb", "myapp://callback"],
        LogoutURLs=["https://app.example.com/bye", "http://127.0.0.1/bye"],
        DefaultRedirectURI="http://localhost:3000/cb",
        AllowedOAuthScopes=["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
        AllowedOAuthFlows=["code", "implicit"],
    )
    created = _create(client, pool_id, **settings)
    for key, value in settings.items():
        assert created[key] == value


def test_oauth_enabled_needs_flows_and_scopes(client: Any, pool_id: str) -> None:
    text = (
        "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to "
        "use OAuth flows."
    )
    for settings in (_oauth(AllowedOAuthFlows=None), _oauth(AllowedOAuthScopes=None)):
        fails(client.create_user_pool_client, "InvalidParameterException", text,
               UserPoolId=pool_id, ClientName="x", **settings)  # fmt: skip
    # Flows and scopes without the switch are stored but need nothing more.
    assert (
        _create(client, pool_id, AllowedOAuthFlows=["code"])["AllowedOAuthFlowsUserPoolClient"]
        is False
    )


def test_client_credentials_rules(client: Any, mock: CognitoMock, pool_id: str) -> None:
    client.create_resource_server(
        UserPoolId=pool_id,
        Identifier="https://api.example.com",
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "d"}],
    )
    m2m = _oauth(
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["https://api.example.com/read"],
    )
    assert _create(client, pool_id, GenerateSecret=True, **m2m)["AllowedOAuthFlows"] == [
        "client_credentials"
    ]
    fails(
        client.create_user_pool_client,
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret.",
        UserPoolId=pool_id,
        ClientName="x",
        **m2m,
    )
    fails(
        client.create_user_pool_client,
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected along with code flow or implicit flow.",
        UserPoolId=pool_id,
        ClientName="x",
        GenerateSecret=True,
        **{**m2m, "AllowedOAuthFlows": ["client_credentials", "code"]},
    )


def test_scopes_must_exist(client: Any, mock: CognitoMock, pool_id: str) -> None:
    fails(
        client.create_user_pool_client,
        "ScopeDoesNotExistException",
        "Invalid scope requested: Cognito",
        UserPoolId=pool_id,
        ClientName="x",
        **_oauth(AllowedOAuthScopes=["openid", "Cognito"]),
    )
    fails(
        client.create_user_pool_client,
        "ScopeDoesNotExistException",
        "Invalid scope requested: orders/read",
        UserPoolId=pool_id,
        ClientName="x",
        **_oauth(AllowedOAuthScopes=["orders/read"]),
    )
    client.create_resource_server(
        UserPoolId=pool_id,
        Identifier="orders",
        Name="api",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "d"},
            {"ScopeName": "write", "ScopeDescription": "d"},
        ],
    )
    created = _create(client, pool_id, **_oauth(AllowedOAuthScopes=["orders/read"]))
    assert created["AllowedOAuthScopes"] == ["orders/read"]


@pytest.mark.parametrize("scope", ["email", "phone", "profile"])
def test_oidc_scopes_need_openid(client: Any, pool_id: str, scope: str) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "The phone, email and profile scopes can only be allowed together with the openid scope.",
        UserPoolId=pool_id,
        ClientName="x",
        **_oauth(AllowedOAuthScopes=[scope, "aws.cognito.signin.user.admin"]),
    )


@pytest.mark.parametrize(
    ("member", "url"),
    [
        ("CallbackURLs", "http://app.example.com/cb"),
        ("CallbackURLs", "https://app.example.com/cb#frag"),
        ("CallbackURLs", "/relative/cb"),
        ("CallbackURLs", "https://"),
        ("LogoutURLs", "http://example.com/"),
    ],
)
def test_bad_urls_are_refused(client: Any, pool_id: str, member: str, url: str) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        f"Invalid {member}: {url}. URLs must be absolute, must not contain a fragment, and must "
        "use HTTPS except for http://localhost.",
        UserPoolId=pool_id,
        ClientName="x",
        **_oauth(**{member: [url]}),
    )


def test_default_redirect_must_be_a_callback(client: Any, pool_id: str) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "DefaultRedirectURI must be one of the CallbackURLs.",
        UserPoolId=pool_id,
        ClientName="x",
        **_oauth(DefaultRedirectURI="https://other.example.com/cb"),
    )
    made = _create(client, pool_id, **_oauth(DefaultRedirectURI="https://app.example.com/cb"))
    assert made["DefaultRedirectURI"] == "https://app.example.com/cb"


def test_identity_providers_must_exist(client: Any, mock: CognitoMock, pool_id: str) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        f"The provider Google does not exist for User Pool {pool_id}",
        UserPoolId=pool_id,
        ClientName="x",
        **_oauth(SupportedIdentityProviders=["COGNITO", "Google"]),
    )
    mock.backend().pools[pool_id].identity_providers["Google"] = {}
    made = _create(client, pool_id, **_oauth(SupportedIdentityProviders=["COGNITO", "Google"]))
    assert made["SupportedIdentityProviders"] == ["COGNITO", "Google"]


def test_context_data_propagation_needs_a_secret(client: Any, pool_id: str) -> None:
    fails(
        client.create_user_pool_client,
        "InvalidParameterException",
        "EnablePropagateAdditionalUserContextData can only be activated for an app client that has "
        "a client secret.",
        UserPoolId=pool_id,
        ClientName="x",
        EnablePropagateAdditionalUserContextData=True,
    )
    made = _create(
        client, pool_id, GenerateSecret=True, EnablePropagateAdditionalUserContextData=True
    )
    assert made["EnablePropagateAdditionalUserContextData"] is True


# ----------------------------------------------------------------------------- update


def test_update_resets_omitted_members_and_keeps_identity(
    client: Any, clock: ManualClock, pool_id: str
) -> None:
    made = _create(
        client,
        pool_id,
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=False,
        AccessTokenValidity=2,
        TokenValidityUnits={"AccessToken": "hours"},
        AuthSessionValidity=10,
        **_oauth(),
    )
    clock.advance(60)
    updated = client.update_user_pool_client(
        UserPoolId=pool_id, ClientId=made["ClientId"], RefreshTokenValidity=7
    )["UserPoolClient"]
    assert updated == _describe(client, pool_id, made["ClientId"])
    assert updated["LastModifiedDate"].timestamp() == made["LastModifiedDate"].timestamp() + 60
    assert updated["CreationDate"] == made["CreationDate"]
    assert updated["ClientSecret"] == made["ClientSecret"]
    assert {k: v for k, v in updated.items() if k not in ("LastModifiedDate", "CreationDate")} == {
        "UserPoolId": pool_id,
        "ClientName": "app",  # the name has no default: kept
        "ClientId": made["ClientId"],
        "ClientSecret": made["ClientSecret"],
        "RefreshTokenValidity": 7,
        "TokenValidityUnits": {},
        "AllowedOAuthFlowsUserPoolClient": False,
        "EnableTokenRevocation": True,
        "EnablePropagateAdditionalUserContextData": False,
        "AuthSessionValidity": 3,
        "ClientType": "REGULAR",
    }


def test_update_renames_and_failed_update_changes_nothing(client: Any, pool_id: str) -> None:
    made = _create(client, pool_id, AuthSessionValidity=9)
    renamed = client.update_user_pool_client(
        UserPoolId=pool_id, ClientId=made["ClientId"], ClientName="renamed", AuthSessionValidity=9
    )["UserPoolClient"]
    assert renamed["ClientName"] == "renamed"
    fails(
        client.update_user_pool_client,
        "InvalidParameterException",
        "Invalid range for token validity.",
        UserPoolId=pool_id,
        ClientId=made["ClientId"],
        AccessTokenValidity=100,
    )
    assert _describe(client, pool_id, made["ClientId"]) == renamed


def test_update_checks_client_credentials_against_the_existing_secret(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    client.create_resource_server(
        UserPoolId=pool_id,
        Identifier="api",
        Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "d"}],
    )
    m2m = _oauth(AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["api/read"])
    confidential = _create(client, pool_id, GenerateSecret=True)
    updated = client.update_user_pool_client(
        UserPoolId=pool_id, ClientId=confidential["ClientId"], **m2m
    )
    assert updated["UserPoolClient"]["AllowedOAuthFlows"] == ["client_credentials"]
    public = _create(client, pool_id)
    fails(
        client.update_user_pool_client,
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret.",
        UserPoolId=pool_id,
        ClientId=public["ClientId"],
        **m2m,
    )


# ----------------------------------------------------------------------------- list


def test_paging_returns_every_client_once(client: Any, clock: ManualClock, pool_id: str) -> None:
    made = []
    for n in range(25):
        made.append(_create(client, pool_id, ClientName=f"app-{n}")["ClientId"])
        if n % 3 == 0:
            clock.advance(1)  # some clients share a creation time, some don't
    seen: list[str] = []
    sizes = []
    token = None
    while True:
        kwargs: dict[str, str] = {"NextToken": token} if token else {}
        page = client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=7, **kwargs)
        sizes.append(len(page["UserPoolClients"]))
        for item in page["UserPoolClients"]:
            assert item["UserPoolId"] == pool_id
            assert item["ClientName"] == f"app-{made.index(item['ClientId'])}"
            seen.append(item["ClientId"])
        token = page.get("NextToken")
        if not token:
            break
    assert sizes == [7, 7, 7, 4]
    assert sorted(seen) == sorted(made)
    assert len(set(seen)) == 25
    paginated = client.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": 10}
    )
    assert sum(len(p["UserPoolClients"]) for p in paginated) == 25


def test_list_filters_and_bad_tokens(client: Any, pool_id: str) -> None:
    _create(client, pool_id)
    assert len(client.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]) == 1
    regular = client.list_user_pool_clients(UserPoolId=pool_id, ClientType="REGULAR")
    assert len(regular["UserPoolClients"]) == 1
    assert (
        client.list_user_pool_clients(UserPoolId=pool_id, ClientType="DCR")["UserPoolClients"] == []
    )
    fails(
        client.list_user_pool_clients,
        "InvalidParameterException",
        "Invalid pagination token.",
        UserPoolId=pool_id,
        NextToken="garbage",
    )


# ----------------------------------------------------------------------------- secrets


def test_secret_rotation(client: Any, mock: CognitoMock, clock: ManualClock, pool_id: str) -> None:
    made = _create(client, pool_id, GenerateSecret=True)
    ids = {"UserPoolId": pool_id, "ClientId": made["ClientId"]}
    clock.advance(5)
    added = client.add_user_pool_client_secret(**ids)["ClientSecretDescriptor"]
    assert re.fullmatch(r"[a-z0-9]{51}", added["ClientSecretValue"])
    assert added["ClientSecretId"] == f"{made['ClientId']}--{int((1_790_000_000.0 + 5) * 1000)}"
    stored = _stored(mock, pool_id, made["ClientId"])
    assert stored.secret_values() == [made["ClientSecret"], added["ClientSecretValue"]]
    fails(
        client.add_user_pool_client_secret,
        "LimitExceededException",
        f"App client {made['ClientId']} already has the maximum of 2 client secrets.",
        **ids,
    )
    listed = client.list_user_pool_client_secrets(**ids)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed][1] == added["ClientSecretId"]
    assert all(set(s) == {"ClientSecretId", "ClientSecretCreateDate"} for s in listed)
    # Retire the original: the added secret becomes the one Describe shows.
    client.delete_user_pool_client_secret(ClientSecretId=listed[0]["ClientSecretId"], **ids)
    assert (
        _describe(client, pool_id, made["ClientId"])["ClientSecret"] == added["ClientSecretValue"]
    )
    fails(
        client.delete_user_pool_client_secret,
        "InvalidParameterException",
        "The last remaining client secret of an app client cannot be deleted.",
        ClientSecretId=added["ClientSecretId"],
        **ids,
    )
    fails(
        client.delete_user_pool_client_secret,
        "ResourceNotFoundException",
        f"Client secret {listed[0]['ClientSecretId']} does not exist.",
        ClientSecretId=listed[0]["ClientSecretId"],
        **ids,
    )


def test_custom_secret_value_is_not_echoed(client: Any, mock: CognitoMock, pool_id: str) -> None:
    made = _create(client, pool_id, GenerateSecret=True)
    ids = {"UserPoolId": pool_id, "ClientId": made["ClientId"]}
    custom = "another_custom_secret_0123456789"
    added = client.add_user_pool_client_secret(ClientSecret=custom, **ids)["ClientSecretDescriptor"]
    assert set(added) == {"ClientSecretId", "ClientSecretCreateDate"}
    # Same clock reading as the first secret: the id still differs.
    assert (
        added["ClientSecretId"]
        != client.list_user_pool_client_secrets(**ids)["ClientSecrets"][0]["ClientSecretId"]
    )
    assert custom in _stored(mock, pool_id, made["ClientId"]).secret_values()


def test_public_client_secrets(client: Any, pool_id: str) -> None:
    made = _create(client, pool_id)
    ids = {"UserPoolId": pool_id, "ClientId": made["ClientId"]}
    assert client.list_user_pool_client_secrets(**ids)["ClientSecrets"] == []
    fails(
        client.add_user_pool_client_secret,
        "InvalidParameterException",
        f"App client {made['ClientId']} is a public client: secrets can only be added to an app "
        "client that has a client secret.",
        **ids,
    )
    fails(
        client.delete_user_pool_client_secret,
        "ResourceNotFoundException",
        f"Client secret {made['ClientId']}--1 does not exist.",
        ClientSecretId=f"{made['ClientId']}--1",
        **ids,
    )


# ----------------------------------------------------------------------------- not found / lookups


def test_unknown_clients_are_not_found(client: Any, mock: CognitoMock, pool_id: str) -> None:
    other = mock.call("CreateUserPool", PoolName="other")["UserPool"]["Id"]
    foreign = _create(client, other)["ClientId"]
    for missing in ("a" * 26, foreign):
        ids = {"UserPoolId": pool_id, "ClientId": missing}
        text = f"User pool client {missing} does not exist."
        for call, extra in (
            (client.describe_user_pool_client, {}),
            (client.update_user_pool_client, {}),
            (client.delete_user_pool_client, {}),
            (client.add_user_pool_client_secret, {}),
            (client.list_user_pool_client_secrets, {}),
            (client.delete_user_pool_client_secret, {"ClientSecretId": "x"}),
        ):
            fails(call, "ResourceNotFoundException", text, **ids, **extra)
    fails(
        client.describe_user_pool_client,
        "ResourceNotFoundException",
        "User pool us-east-1_nothere does not exist.",
        UserPoolId="us-east-1_nothere",
        ClientId=foreign,
    )
    assert _describe(client, other, foreign)["ClientId"] == foreign


def test_delete_client(client: Any, mock: CognitoMock, pool_id: str) -> None:
    made = _create(client, pool_id)["ClientId"]
    kept = _create(client, pool_id)["ClientId"]
    client.delete_user_pool_client(UserPoolId=pool_id, ClientId=made)
    fails(client.describe_user_pool_client, "ResourceNotFoundException",
           f"User pool client {made} does not exist.", UserPoolId=pool_id, ClientId=made)  # fmt: skip
    listed = client.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"]
    assert [c["ClientId"] for c in listed] == [kept]
    assert made not in mock.backend().services.client_index
    with pytest.raises(ResourceNotFoundException, match=f"User pool client {made} does not exist."):
        client_by_id(mock.backend(), made)


def test_client_by_id_uses_the_index(client: Any, mock: CognitoMock, pool_id: str) -> None:
    made = _create(client, pool_id)["ClientId"]
    backend = mock.backend()
    pool, found = client_by_id(backend, made)
    assert (pool.id, found.client_id) == (pool_id, made)
    assert backend.services.client_index[made] == pool_id
    # A lost index entry (e.g. restored state) is repaired by one scan over pools.
    del backend.services.client_index[made]
    assert client_by_id(backend, made)[1] is found
    assert backend.services.client_index[made] == pool_id


def test_deleting_the_pool_forgets_its_clients(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    made = _create(client, pool_id)["ClientId"]
    client.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(ResourceNotFoundException, match=f"User pool client {made} does not exist."):
        client_by_id(mock.backend(), made)


def test_clients_of_another_region_are_not_found(mock: CognitoMock) -> None:
    pool = mock.call("CreateUserPool", PoolName="west", region="eu-west-1")["UserPool"]["Id"]
    made = mock.call("CreateUserPoolClient", UserPoolId=pool, ClientName="x", region="eu-west-1")
    client_id = made["UserPoolClient"]["ClientId"]
    assert client_by_id(mock.backend("eu-west-1"), client_id)[0].id == pool
    with pytest.raises(ResourceNotFoundException) as caught:
        client_by_id(mock.backend(), client_id)
    assert caught.value.message == f"User pool client {client_id} does not exist."
    assert client_by_id(mock.backend("eu-west-1"), client_id)[1].client_id == client_id
    assert mock.backend().services.client_index[client_id] == pool


def test_module_exports() -> None:
    for name in clients_module.__all__:
        assert hasattr(clients_module, name)
