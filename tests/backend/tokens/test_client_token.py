"""GetClientToken through boto3: machine-to-machine access tokens verified by PyJWT against the
pool's JWKS, the ALLOW_CLIENT_TOKEN_AUTH client rules (a declared model amendment), every refusal."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock
from cognito_mock.backend.pool_config import clients as client_rules
from cognito_mock.backend.tokens import client_token
from cognito_mock.errors import InvalidParameterException

SCOPES = [
    {"ScopeName": "read", "ScopeDescription": "read"},
    {"ScopeName": "write", "ScopeDescription": "write"},
]


@pytest.fixture
def api(client: Any, pool_id: str) -> str:
    client.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api", Scopes=SCOPES)
    return "api"


@pytest.fixture
def machine(client: Any, pool_id: str, api: str) -> dict[str, Any]:
    """A confidential client whose only flow is ALLOW_CLIENT_TOKEN_AUTH, allowed both api scopes."""
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
        AllowedOAuthScopes=["api/read", "api/write"],
    )  # fmt: skip
    return dict(made["UserPoolClient"])


def verified(mock: CognitoMock, pool_id: str, token: str) -> dict[str, Any]:
    """The claims, checked by PyJWT against the JWKS document, the issuer and the expiry."""
    jwks = pyjwt.PyJWKSet.from_dict(mock.jwks(pool_id))
    key = jwks[pyjwt.get_unverified_header(token)["kid"]].key
    leeway = 10**10  # the mock's clock is not the wall clock; exp is checked against iat below
    return pyjwt.decode(
        token, key, algorithms=["RS256"], issuer=mock.issuer(pool_id), leeway=leeway,
        options={"require": ["exp", "iat", "iss", "sub", "jti"]},
    )  # fmt: skip


def test_token_for_all_configured_scopes(client, mock, pool_id, machine, clock):
    answer = client.get_client_token(ClientId=machine["ClientId"], Secret=machine["ClientSecret"])
    result = answer["ClientAuthenticationResult"]
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600
    assert set(result) == {"AccessToken", "ExpiresIn", "TokenType"}  # no ID or refresh token
    claims = verified(mock, pool_id, result["AccessToken"])
    now = int(clock.now())
    assert claims["sub"] == claims["client_id"] == machine["ClientId"]
    assert claims["token_use"] == "access" and claims["scope"] == "api/read api/write"
    assert claims["iat"] == claims["auth_time"] == now and claims["exp"] == now + 3600
    assert claims["version"] == 2 and "username" not in claims and "cognito:groups" not in claims
    access_kid = {k["kid"] for k in mock.jwks(pool_id)["keys"]}
    assert pyjwt.get_unverified_header(result["AccessToken"])["kid"] in access_kid


def test_same_claims_as_the_client_credentials_grant(client, mock, pool_id, api):
    """One machine token shape: the same keys, in the same order, as /oauth2/token's."""
    oauth = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="cc", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"], AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]  # fmt: skip
    granted = mock.oauth2_token(
        {"grant_type": "client_credentials", "client_id": oauth["ClientId"],
         "client_secret": oauth["ClientSecret"]}
    )  # fmt: skip
    m2m = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"], AllowedOAuthScopes=["api/read"],
    )["UserPoolClient"]  # fmt: skip
    token = client.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"])
    ours = verified(mock, pool_id, token["ClientAuthenticationResult"]["AccessToken"])
    theirs = verified(mock, pool_id, granted["access_token"])
    assert list(ours) == list(theirs)


def test_requested_scopes_narrow_the_token(client, mock, pool_id, machine):
    answer = client.get_client_token(
        ClientId=machine["ClientId"], Secret=machine["ClientSecret"],
        Scopes=["api/write", "api/write"], ClientMetadata={"k": "v"},
    )  # fmt: skip
    claims = verified(mock, pool_id, answer["ClientAuthenticationResult"]["AccessToken"])
    assert claims["scope"] == "api/write"


def test_validity_follows_the_client(client, mock, pool_id, api):
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"], AllowedOAuthScopes=["api/read"],
        AccessTokenValidity=10, TokenValidityUnits={"AccessToken": "minutes"},
    )["UserPoolClient"]  # fmt: skip
    result = client.get_client_token(ClientId=made["ClientId"], Secret=made["ClientSecret"])
    claims = verified(mock, pool_id, result["ClientAuthenticationResult"]["AccessToken"])
    assert result["ClientAuthenticationResult"]["ExpiresIn"] == 600
    assert claims["exp"] - claims["iat"] == 600


def test_a_second_secret_works_too(client, pool_id, machine):
    extra = client.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=machine["ClientId"])
    secret = extra["ClientSecretDescriptor"]["ClientSecretValue"]
    assert client.get_client_token(ClientId=machine["ClientId"], Secret=secret)


# --- refusals -----------------------------------------------------------------------------------


def test_unknown_client(client, fails):
    fails(client.get_client_token, "ResourceNotFoundException",
          "User pool client nosuchclient does not exist.",
          ClientId="nosuchclient", Secret="x" * 24)  # fmt: skip


def test_wrong_secret(client, fails, machine):
    fails(client.get_client_token, "NotAuthorizedException",
          client_token.WRONG_SECRET.format(machine["ClientId"]),
          ClientId=machine["ClientId"], Secret="wrongsecret0123456789abcd")  # fmt: skip


def test_public_client(client, fails, pool_id):
    app = client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]
    fails(client.get_client_token, "NotAuthorizedException",
          client_token.NO_SECRET.format(app["ClientId"]),
          ClientId=app["ClientId"], Secret="x" * 24)  # fmt: skip


def test_flow_not_enabled(client, fails, pool_id, api):
    made = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="svc",
        GenerateSecret=True,
        AllowedOAuthScopes=["api/read"],
    )["UserPoolClient"]  # default flows: SRP, refresh, custom
    fails(client.get_client_token, "InvalidParameterException", client_token.FLOW_NOT_ENABLED,
          ClientId=made["ClientId"], Secret=made["ClientSecret"])  # fmt: skip
    assert (
        client_token.FLOW_NOT_ENABLED == "ALLOW_CLIENT_TOKEN_AUTH flow not enabled for this client"
    )


def test_unknown_and_unallowed_scopes(client, fails, machine, pool_id):
    for scope in ("api/delete", "openid"):
        fails(client.get_client_token, "InvalidParameterException",
              f"Invalid scope requested: {scope}",
              ClientId=machine["ClientId"], Secret=machine["ClientSecret"], Scopes=[scope])  # fmt: skip


def test_no_scope_to_grant(client, fails, pool_id, api):
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="bare", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
    )["UserPoolClient"]  # fmt: skip
    fails(client.get_client_token, "InvalidParameterException",
          client_token.NO_SCOPES.format(made["ClientId"]),
          ClientId=made["ClientId"], Secret=made["ClientSecret"])  # fmt: skip


def test_a_deleted_resource_server_takes_its_scopes(client, fails, machine, pool_id):
    client.delete_resource_server(UserPoolId=pool_id, Identifier="api")
    fails(client.get_client_token, "InvalidParameterException",
          client_token.NO_SCOPES.format(machine["ClientId"]),
          ClientId=machine["ClientId"], Secret=machine["ClientSecret"])  # fmt: skip


def test_secret_shorter_than_the_model_allows(mock, machine):
    """botocore refuses it client-side; the mock itself (e.g. over HTTP) names the member."""
    with pytest.raises(InvalidParameterException) as caught:
        mock.call("GetClientToken", ClientId=machine["ClientId"], Secret="short")
    assert caught.value.message == (
        "1 validation error detected: Value at 'secret' failed to satisfy constraint: "
        "Member must have length greater than or equal to 24"
    )


# --- the ALLOW_CLIENT_TOKEN_AUTH flow on app clients ---------------------------------------------


def test_the_flow_is_shown_where_the_client_has_it(client, pool_id, machine):
    described = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=machine["ClientId"])
    assert described["UserPoolClient"]["ExplicitAuthFlows"] == ["ALLOW_CLIENT_TOKEN_AUTH"]
    updated = client.update_user_pool_client(
        UserPoolId=pool_id, ClientId=machine["ClientId"],
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"], AllowedOAuthScopes=["api/read"],
    )  # fmt: skip
    assert updated["UserPoolClient"]["ExplicitAuthFlows"] == ["ALLOW_CLIENT_TOKEN_AUTH"]


def test_the_flow_must_be_alone_and_needs_a_secret(client, fails, pool_id):
    fails(client.create_user_pool_client, "InvalidParameterException",
          client_rules.CLIENT_TOKEN_ALONE, UserPoolId=pool_id, ClientName="x", GenerateSecret=True,
          ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])  # fmt: skip
    fails(client.create_user_pool_client, "InvalidParameterException",
          client_rules.CLIENT_TOKEN_SECRET, UserPoolId=pool_id, ClientName="x",
          ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"])  # fmt: skip


def test_a_machine_client_cannot_sign_users_in(client, fails, machine, pool_id):
    fails(client.initiate_auth, "InvalidParameterException",
          "USER_PASSWORD_AUTH flow not enabled for this client", ClientId=machine["ClientId"],
          AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "a", "PASSWORD": "b"})  # fmt: skip


def test_the_amended_enum_words_its_refusal(mock, pool_id):
    with pytest.raises(InvalidParameterException) as caught:
        mock.call("CreateUserPoolClient", UserPoolId=pool_id, ClientName="x",
                  ExplicitAuthFlows=["ALLOW_EVERYTHING"])  # fmt: skip
    assert "ALLOW_TOKEN_EXCHANGE_IMPERSONATION, ALLOW_CLIENT_TOKEN_AUTH]" in caught.value.message
