"""The HTTP endpoint: boto3 with endpoint_url, raw requests for errors and CORS, JWKS over HTTP."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.transports.http import CognitoHTTPServer, start_server


@pytest.fixture
def server(mock: CognitoMock) -> Iterator[CognitoHTTPServer]:
    running = start_server(mock)
    mock.set_public_url(running.url)
    yield running
    running.shutdown()
    running.server_close()


@pytest.fixture
def remote(server: CognitoHTTPServer) -> Any:
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="anything",
        aws_secret_access_key="anything",
    )


def _raw(
    server: CognitoHTTPServer, method: str, path: str, body: bytes = b"", **headers: str
) -> Any:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_boto3_over_http_shares_state_with_the_mock(mock: CognitoMock, remote: Any) -> None:
    pool_id = remote.create_user_pool(PoolName="over-http")["UserPool"]["Id"]
    assert mock.call("DescribeUserPool", UserPoolId=pool_id)["UserPool"]["Name"] == "over-http"
    with pytest.raises(remote.exceptions.ResourceNotFoundException) as caught:
        remote.describe_user_pool(UserPoolId="us-east-1_absent")
    assert caught.value.response["Error"]["Message"] == "User pool us-east-1_absent does not exist."
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_region_comes_from_the_signature_scope(remote: Any, server: CognitoHTTPServer) -> None:
    west = boto3.client(
        "cognito-idp", region_name="eu-west-1", endpoint_url=server.url,
        aws_access_key_id="a", aws_secret_access_key="b",
    )  # fmt: skip
    assert west.create_user_pool(PoolName="w")["UserPool"]["Id"].startswith("eu-west-1_")


def test_error_body_and_headers(server: CognitoHTTPServer) -> None:
    response, data = _raw(
        server, "POST", "/", b'{"UserPoolId": "bad id"}',
        **{"Content-Type": "application/x-amz-json-1.1",
           "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPool"},
    )  # fmt: skip
    assert response.status == 400
    body = json.loads(data)
    assert body["__type"] == "InvalidParameterException"
    assert body["message"].startswith("1 validation error detected: Value 'bad id' at 'userPoolId'")
    assert response.getheader("x-amzn-ErrorType") == "InvalidParameterException:"
    assert len(response.getheader("x-amzn-RequestId")) == 36
    assert response.getheader("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize(
    ("target", "body", "expected"),
    [
        ("AWSCognitoIdentityProviderService.NoSuchThing", b"{}", "UnknownOperationException"),
        (None, b"{}", "UnknownOperationException"),
        ("AWSCognitoIdentityProviderService.ListUserPools", b"{not json", "SerializationException"),
        ("AWSCognitoIdentityProviderService.ListUserPools", b"[1]", "SerializationException"),
    ],
)
def test_malformed_requests_get_protocol_errors_not_500(
    server: CognitoHTTPServer, target: str | None, body: bytes, expected: str
) -> None:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target:
        headers["X-Amz-Target"] = target
    response, data = _raw(server, "POST", "/", body, **headers)
    assert response.status == 400
    assert json.loads(data)["__type"] == expected


def test_cors_preflight(server: CognitoHTTPServer) -> None:
    response, data = _raw(
        server, "OPTIONS", "/", **{"Origin": "http://localhost:3000",
                                   "Access-Control-Request-Method": "POST"}
    )  # fmt: skip
    assert response.status == 200
    assert data == b""
    assert "x-amz-target" in response.getheader("Access-Control-Allow-Headers")
    assert "x-amzn-RequestId" in response.getheader("Access-Control-Expose-Headers")


def test_unknown_paths_and_methods(server: CognitoHTTPServer) -> None:
    assert _raw(server, "GET", "/nothing")[0].status == 404
    assert _raw(server, "POST", "/elsewhere", b"{}")[0].status == 404
    assert _raw(server, "GET", "/us-east-1_missing/.well-known/jwks.json")[0].status == 404


def test_jwks_and_discovery_over_http_verify_tokens_with_pyjwt(
    clock: ManualClock, remote: Any, server: CognitoHTTPServer
) -> None:
    import jwt

    clock.set(time.time())  # PyJWT checks exp against the real time

    pool_id = remote.create_user_pool(PoolName="jwks")["UserPool"]["Id"]
    client_id = remote.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    remote.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    remote.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password="Secr3t-pass!", Permanent=True
    )
    tokens = remote.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": "Secr3t-pass!"},
    )["AuthenticationResult"]
    response, data = _raw(server, "GET", f"/{pool_id}/.well-known/openid-configuration")
    discovery = json.loads(data)
    assert response.status == 200
    assert discovery["jwks_uri"] == f"{server.url}/{pool_id}/.well-known/jwks.json"
    assert discovery["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    keys = jwt.PyJWKClient(discovery["jwks_uri"])
    claims = jwt.decode(
        tokens["IdToken"],
        keys.get_signing_key_from_jwt(tokens["IdToken"]).key,
        algorithms=["RS256"],
        audience=client_id,
        issuer=discovery["issuer"],
    )
    assert claims["cognito:username"] == "ann"
    assert claims["token_use"] == "id"


def test_server_issuer_option(mock: CognitoMock) -> None:
    pool_id = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    with mock.serve(issuer="server") as url:
        assert url.startswith("http://127.0.0.1:")
        assert mock.issuer(pool_id) == f"{url}/{pool_id}"
        assert mock.openid_configuration(pool_id)["issuer"] == f"{url}/{pool_id}"
    assert mock.issuer(pool_id).startswith("https://cognito-idp.us-east-1.amazonaws.com/")


def test_a_bug_in_the_server_is_a_loud_500_never_a_dropped_connection(mock: CognitoMock) -> None:
    from cognito_mock.errors import ContractViolation

    class Broken:
        def handle_wire(self, target: str | None, body: bytes | None, region: str) -> Any:
            raise ContractViolation("AdminGetUser", "answered outside the model: $.User")

        def jwks(self, pool_id: str, *, region: str | None = None) -> Any:
            raise RuntimeError("boom")

        openid_configuration = jwks

    running = start_server(mock, app=Broken())
    try:
        response, data = _raw(
            running, "POST", "/", b"{}",
            **{"X-Amz-Target": "AWSCognitoIdentityProviderService.AdminGetUser"},
        )  # fmt: skip
        assert response.status == 500
        body = json.loads(data)
        assert body["__type"] == "InternalErrorException"
        assert body["message"] == (
            "ContractViolation: AdminGetUser: answered outside the model: $.User"
        )
        response, data = _raw(running, "GET", "/us-east-1_abc/.well-known/jwks.json")
        assert (response.status, json.loads(data)["message"]) == (500, "RuntimeError: boom")
    finally:
        running.shutdown()
        running.server_close()


def test_a_bad_content_length_is_a_400(server: CognitoHTTPServer) -> None:
    response, data = _raw(server, "POST", "/", b"", **{"Content-Length": "nope"})
    assert response.status == 400
    assert json.loads(data)["__type"] == "SerializationException"
