"""Region routing over HTTP: unsigned requests reach the backend holding what they name (a pool in
us-west-2 on a server whose region is us-east-1), signed ones the region of their credential
scope; and the pool domain seam (`<prefix>.localhost`, `/_domain/<prefix>/`, custom domains)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import boto3
import pytest
from botocore.config import Config

from cognito_mock import CognitoMock
from cognito_mock.testing import code_flow_tokens
from cognito_mock.transports.http import CognitoHTTPServer
from tests.helpers import PASSWORD, fails, http_request

TARGET = "AWSCognitoIdentityProviderService."
EMAIL = {"Name": "email", "Value": "someone@example.com"}


def _client(url: str, region: str) -> Any:
    return boto3.client(
        "cognito-idp", region_name=region, endpoint_url=url, aws_access_key_id="a",
        aws_secret_access_key="b", config=Config(retries={"total_max_attempts": 1}),
    )  # fmt: skip


@pytest.fixture
def west_pool(server: CognitoHTTPServer) -> tuple[str, str]:
    west = _client(server.url, "us-west-2")
    pool_id = west.create_user_pool(PoolName="west", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    client_id = west.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    return pool_id, client_id


def _unsigned(url: str, operation: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """What a client of any language sends for an unsigned operation: no Authorization at all."""
    response, data = http_request(
        url, "POST", "/", json.dumps(params),
        **{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + operation},
    )  # fmt: skip
    return response.status, json.loads(data)


def test_a_west_pool_is_reachable_by_unsigned_operations(
    server: CognitoHTTPServer, west_pool: tuple[str, str], mock: CognitoMock
) -> None:
    pool_id, client_id = west_pool
    assert pool_id.startswith("us-west-2_") and mock.region == "us-east-1"
    url = server.url
    status, signed_up = _unsigned(url, "SignUp", ClientId=client_id, Username="ann",
                                  Password=PASSWORD, UserAttributes=[EMAIL])  # fmt: skip
    assert status == 200 and signed_up["UserConfirmed"] is False
    code = mock.outbox.last_code()
    assert _unsigned(url, "ConfirmSignUp", ClientId=client_id, Username="ann",
                     ConfirmationCode=code)[0] == 200  # fmt: skip
    status, auth = _unsigned(url, "InitiateAuth", ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD})  # fmt: skip
    assert status == 200
    tokens = auth["AuthenticationResult"]
    # AccessToken only: routed by the key that signed it
    status, user = _unsigned(url, "GetUser", AccessToken=tokens["AccessToken"])
    assert (status, user["Username"]) == (200, "ann")
    assert _unsigned(url, "GlobalSignOut", AccessToken=tokens["AccessToken"])[0] == 200
    status, error = _unsigned(url, "GetUser", AccessToken=tokens["AccessToken"])
    assert (status, error["message"]) == (400, "Access Token has been revoked")
    # UserPoolId: routed by the backend holding the pool, signature or not
    status, got = _unsigned(url, "AdminGetUser", UserPoolId=pool_id, Username="ann")
    assert (status, got["UserStatus"]) == (200, "CONFIRMED")


def test_boto3_in_another_region_reaches_the_pool_for_unsigned_calls(
    server: CognitoHTTPServer, west_pool: tuple[str, str], mock: CognitoMock
) -> None:
    pool_id, client_id = west_pool
    east = _client(server.url, "us-east-1")  # botocore does not sign SignUp, InitiateAuth, ...
    east.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD, UserAttributes=[EMAIL])
    east.confirm_sign_up(ClientId=client_id, Username="bob",
                         ConfirmationCode=mock.outbox.last_code())  # fmt: skip
    tokens = east.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    assert east.get_user(AccessToken=tokens["AccessToken"])["Username"] == "bob"
    # A signed request's scope still wins: us-east-1 holds no such pool
    fails(east.admin_get_user, "ResourceNotFoundException",
          f"User pool {pool_id} does not exist.", UserPoolId=pool_id, Username="bob")  # fmt: skip


def test_a_challenge_session_alone_finds_its_backend(
    server: CognitoHTTPServer, west_pool: tuple[str, str]
) -> None:
    pool_id, client_id = west_pool
    west = _client(server.url, "us-west-2")
    west.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON",
                                  SoftwareTokenMfaConfiguration={"Enabled": True})  # fmt: skip
    west.admin_create_user(UserPoolId=pool_id, Username="cy", MessageAction="SUPPRESS")
    west.admin_set_user_password(UserPoolId=pool_id, Username="cy", Password=PASSWORD,
                                 Permanent=True)  # fmt: skip
    status, auth = _unsigned(server.url, "InitiateAuth", ClientId=client_id,
                             AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "cy", "PASSWORD": PASSWORD})  # fmt: skip
    assert (status, auth["ChallengeName"]) == (200, "MFA_SETUP")
    status, answer = _unsigned(server.url, "AssociateSoftwareToken", Session=auth["Session"])
    assert status == 200 and answer["SecretCode"] and answer["Session"]


def test_unknown_resources_go_to_the_default_region(server: CognitoHTTPServer) -> None:
    status, error = _unsigned(server.url, "SignUp", ClientId="nosuchclient", Username="x",
                              Password=PASSWORD)  # fmt: skip
    assert (status, error) == (400, {"__type": "ResourceNotFoundException",
                                     "message": "User pool client nosuchclient does not exist."})  # fmt: skip
    status, error = _unsigned(server.url, "GetUser", AccessToken="not.a.token")
    assert (status, error["__type"]) == (400, "NotAuthorizedException")


def test_oauth2_endpoints_route_by_client_and_token(
    server: CognitoHTTPServer, west_pool: tuple[str, str], mock: CognitoMock
) -> None:
    pool_id, client_id = west_pool
    west = _client(server.url, "us-west-2")
    west.admin_create_user(UserPoolId=pool_id, Username="dee", MessageAction="SUPPRESS",
                           UserAttributes=[{"Name": "email", "Value": "dee@example.com"}])  # fmt: skip
    west.admin_set_user_password(UserPoolId=pool_id, Username="dee", Password=PASSWORD,
                                 Permanent=True)  # fmt: skip
    # userInfo takes managed-login tokens: the client gets the code flow, the pool a domain.
    west.update_user_pool_client(
        UserPoolId=pool_id, ClientId=client_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], CallbackURLs=["http://localhost/cb"],
        SupportedIdentityProviders=["COGNITO"],
    )  # fmt: skip
    west.create_user_pool_domain(UserPoolId=pool_id, Domain="west-routing")
    hosted = code_flow_tokens(mock, client_id, "dee", PASSWORD, region="us-west-2")
    tokens = {"AccessToken": hosted["access_token"], "RefreshToken": hosted["refresh_token"]}
    response, data = http_request(server.url, "GET", "/oauth2/userInfo",
                                  Authorization=f"Bearer {tokens['AccessToken']}")  # fmt: skip
    assert (response.status, json.loads(data)["username"]) == (200, "dee")
    form = urllib.parse.urlencode({"token": tokens["RefreshToken"], "client_id": client_id})
    response, _ = http_request(server.url, "POST", "/oauth2/revoke", form,
                               **{"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert response.status == 200
    fails(west.initiate_auth, "NotAuthorizedException", "Refresh Token has been revoked",
          ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
          AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})  # fmt: skip


# -- the pool domain seam ---------------------------------------------------------------------------


class Recorder:
    """A domain app that answers with what it was given."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.seen.append({"domain": scope["cognito_mock.domain"], "path": scope["path"],
                          "root_path": scope.get("root_path", "")})  # fmt: skip
        body = json.dumps(self.seen[-1]).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})


def test_domain_requests_reach_the_mocks_domain_app(
    server: CognitoHTTPServer, mock: CognitoMock, client: Any
) -> None:
    app = Recorder()
    mock.domain_app = app
    pool_id = client.create_user_pool(PoolName="d")["UserPool"]["Id"]
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="auth.example.com",
                                   CustomDomainConfig={"CertificateArn": "arn:aws:acm:us-east-1:"
                                                       "123456789012:certificate/abc"})  # fmt: skip
    port = server.server_address[1]
    answers = [
        json.loads(http_request(server.url, "GET", "/login?x=1", Host=f"myapp.localhost:{port}")[1]),
        json.loads(http_request(server.url, "GET", "/_domain/myapp/oauth2/authorize")[1]),
        json.loads(http_request(server.url, "GET", "/logout", Host="auth.example.com")[1]),
        json.loads(http_request(server.url, "POST", "/oauth2/token")[1]),
    ]  # fmt: skip
    assert answers == [
        {"domain": "myapp", "path": "/login", "root_path": ""},
        {"domain": "myapp", "path": "/oauth2/authorize", "root_path": "/_domain/myapp"},
        {"domain": "auth.example.com", "path": "/logout", "root_path": ""},
        {"domain": None, "path": "/oauth2/token", "root_path": ""},
    ]
    # The API itself is not a domain: any other Host (a container's name, say) reaches it
    response, data = http_request(server.url, "POST", "/", json.dumps({"MaxResults": 5}),
                                  Host="cognito:9229", **{"X-Amz-Target": TARGET + "ListUserPools",
                                  "Content-Type": "application/x-amz-json-1.1"})  # fmt: skip
    assert response.status == 200 and len(json.loads(data)["UserPools"]) == 1


def test_the_domain_app_answers_the_oauth2_endpoints(server: CognitoHTTPServer) -> None:
    for path in ("/_domain/myapp/oauth2/token", "/oauth2/token"):
        response, data = http_request(server.url, "POST", path, "grant_type=client_credentials",
                                      **{"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert (response.status, json.loads(data)) == (400, {"error": "invalid_client"}) or (
            response.status == 401 and json.loads(data) == {"error": "invalid_client"}
        )
    # Managed login answers domains: one no pool owns is its error page.
    response, data = http_request(server.url, "GET", "/_domain/myapp/login")
    assert response.status == 404
    assert b"An error was encountered with the requested page." in data


def test_a_broken_domain_app_is_a_loud_500(server: CognitoHTTPServer, mock: CognitoMock) -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("domain app bug")

    mock.domain_app = broken
    response, data = http_request(server.url, "GET", "/_domain/x/login")
    assert (response.status, json.loads(data)["message"]) == (500, "RuntimeError: domain app bug")
    assert [str(e) for e in server.errors] == ["domain app bug"]
    server.errors.clear()
