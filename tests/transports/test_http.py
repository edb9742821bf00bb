"""The HTTP front's Cognito API: boto3 with endpoint_url, AWS JSON errors, CORS, JWKS over HTTP,
and every probe of a fuzzing client answered with an AWS JSON error (never HTML, a dropped
connection or a 5xx)."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import boto3
import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.transports.http import CognitoHTTPServer, start_server
from tests.helpers import PASSWORD, exchange, http_request

TARGET = "AWSCognitoIdentityProviderService."
JSON = {"Content-Type": "application/x-amz-json-1.1"}
UNDERSTOOD = "The server did not understand the operation that was requested."


def _aws_error(response: Any, data: bytes, status: int, code: str) -> dict[str, Any]:
    """The response is the AWS JSON error `code` with `status`: body and headers agree."""
    assert response.status == status
    body = json.loads(data)
    assert body["__type"] == code
    assert isinstance(body["message"], str)
    assert response.getheader("x-amzn-ErrorType") == f"{code}:"
    assert response.getheader("Content-Type") == "application/x-amz-json-1.1"
    return dict(body)


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
    response, data = http_request(
        server.url, "POST", "/", b'{"UserPoolId": "bad id"}',
        **JSON, **{"X-Amz-Target": TARGET + "DescribeUserPool"},
    )  # fmt: skip
    body = _aws_error(response, data, 400, "InvalidParameterException")
    assert body["message"].startswith("1 validation error detected: Value 'bad id' at 'userPoolId'")
    assert response.getheader("x-amzn-ErrorMessage") == body["message"]
    assert len(response.getheader("x-amzn-RequestId")) == 36
    assert response.getheader("Date", "").endswith(" GMT")
    assert response.getheader("Access-Control-Allow-Origin") is None  # no Origin, no CORS


@pytest.mark.parametrize(
    ("target", "body", "expected"),
    [
        (TARGET + "NoSuchThing", b"{}", "UnknownOperationException"),
        ("Elsewhere.ListUserPools", b"{}", "UnknownOperationException"),
        (None, b"{}", "UnknownOperationException"),
        (TARGET + "ListUserPools", b"{not json", "SerializationException"),
        (TARGET + "ListUserPools", b"[1]", "SerializationException"),
        (TARGET + "ListUserPools", b"\xff\xfe\x00garbage", "SerializationException"),
    ],
)
def test_malformed_requests_get_protocol_errors(
    server: CognitoHTTPServer, target: str | None, body: bytes, expected: str
) -> None:
    headers = dict(JSON)
    if target:
        headers["X-Amz-Target"] = target
    response, data = http_request(server.url, "POST", "/", body, **headers)
    _aws_error(response, data, 400, expected)


def test_cors_on_requests_with_an_origin_and_preflight(server: CognitoHTTPServer) -> None:
    origin = {"Origin": "http://localhost:3000"}
    response, data = http_request(
        server.url, "OPTIONS", "/", **origin, **{"Access-Control-Request-Method": "POST"}
    )
    assert (response.status, data) == (200, b"")
    assert "x-amz-target" in response.getheader("Access-Control-Allow-Headers")
    assert "x-amzn-RequestId" in response.getheader("Access-Control-Expose-Headers")
    response, data = http_request(
        server.url, "POST", "/", b"{}", **JSON, **origin,
        **{"X-Amz-Target": TARGET + "ListUserPools"},
    )  # fmt: skip
    _aws_error(response, data, 400, "InvalidParameterException")  # MaxResults is required
    assert response.getheader("Access-Control-Allow-Origin") == "*"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "TRACE", "HEAD"])
def test_other_methods_on_the_endpoint_are_not_understood(
    server: CognitoHTTPServer, method: str
) -> None:
    response, data = http_request(server.url, method, "/", **JSON)
    assert response.status == 404
    assert response.getheader("x-amzn-ErrorType") == "UnknownOperationException:"
    if method == "HEAD":  # no body, but the headers tell
        assert data == b""
        assert response.getheader("x-amzn-ErrorMessage") == UNDERSTOOD
    else:
        assert json.loads(data) == {"__type": "UnknownOperationException", "message": UNDERSTOOD}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/nothing"), ("POST", "/elsewhere"), ("GET", "/.well-known/jwks.json"),
     ("POST", "/us-east-1_abc/.well-known/jwks.json"), ("GET", "/_cognito-mock")],
)  # fmt: skip
def test_unknown_paths_are_not_understood(
    server: CognitoHTTPServer, method: str, path: str
) -> None:
    response, data = http_request(server.url, method, path, b"{}", **JSON)
    assert _aws_error(response, data, 404, "UnknownOperationException")["message"] == UNDERSTOOD


def test_an_unknown_pools_jwks_is_resource_not_found(server: CognitoHTTPServer) -> None:
    for document in ("jwks.json", "openid-configuration"):
        response, data = http_request(
            server.url, "GET", f"/us-east-1_missing/.well-known/{document}"
        )
        body = _aws_error(response, data, 404, "ResourceNotFoundException")
        assert body["message"] == "User pool us-east-1_missing does not exist."


def test_content_types(server: CognitoHTTPServer, pool_id: str) -> None:
    body = json.dumps({"UserPoolId": pool_id})
    target = {"X-Amz-Target": TARGET + "DescribeUserPool"}
    for accepted in ("application/x-amz-json-1.1", "application/x-amz-json-1.0",
                     "application/json; charset=utf-8"):  # fmt: skip
        response, _ = http_request(server.url, "POST", "/", body, **target,
                                   **{"Content-Type": accepted})  # fmt: skip
        assert response.status == 200, accepted
    response, _ = http_request(server.url, "POST", "/", body, **target)  # none at all
    assert response.status == 200
    for refused in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response, data = http_request(server.url, "POST", "/", body, **target,
                                      **{"Content-Type": refused})  # fmt: skip
        body_of = _aws_error(response, data, 415, "UnsupportedMediaTypeException")
        assert body_of["message"] == (
            f"Content-Type {refused} is not supported; send application/x-amz-json-1.1."
        )


def test_a_70_kb_invalid_value_is_an_invalid_parameter_botocore_reads(remote: Any) -> None:
    huge = "x" * 70_000
    with pytest.raises(remote.exceptions.InvalidParameterException) as caught:
        remote.describe_user_pool(UserPoolId=huge)
    error = caught.value.response
    assert error["Error"]["Message"].startswith("2 validation errors detected: Value '" + "x" * 100)
    assert huge in error["Error"]["Message"]  # the body keeps the whole text
    header = error["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errormessage"]
    assert len(header) == 1024 and header.endswith("...")


def test_error_headers_are_ascii_whatever_the_message(server: CognitoHTTPServer) -> None:
    value = "ünïcødé\u2028line\x1bescape\t"
    response, data = http_request(
        server.url, "POST", "/",
        json.dumps({"UserPoolId": value}, ensure_ascii=False).encode(),
        **JSON, **{"X-Amz-Target": TARGET + "DescribeUserPool"},
    )  # fmt: skip
    body = _aws_error(response, data, 400, "InvalidParameterException")
    assert f"Value '{value}' at 'userPoolId'" in body["message"]  # the body keeps the exact text
    header = response.getheader("x-amzn-ErrorMessage")
    assert header.isascii() and header.isprintable()
    assert "Value '?n?c?d??line?escape?' at 'userPoolId'" in header


def test_oversized_headers_are_431(server: CognitoHTTPServer) -> None:
    one_long = {"X-Padding": "p" * 70_000}
    response, data = http_request(server.url, "POST", "/", b"{}", **JSON, **one_long)
    body = _aws_error(response, data, 431, "RequestHeaderFieldsTooLargeException")
    assert body["message"] == "The request line and headers are larger than the server accepts."
    many = {f"X-Many-{n}": "v" * 100 for n in range(700)}
    response, data = http_request(server.url, "POST", "/", b"{}", **JSON, **many)
    _aws_error(response, data, 431, "RequestHeaderFieldsTooLargeException")
    response, data = http_request(server.url, "GET", "/" + "a" * 70_000)
    _aws_error(response, data, 431, "RequestHeaderFieldsTooLargeException")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,  # a TLS ClientHello
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    ],
)
def test_unparsable_requests_are_400_json(server: CognitoHTTPServer, request_bytes: bytes) -> None:
    status, headers, body = exchange(server.url, request_bytes)
    assert status == 400
    assert body == {"__type": "BadRequestException", "message": "Invalid HTTP request received."}
    assert headers["x-amzn-errortype"] == "BadRequestException:"
    assert headers["connection"] == "close"


def test_a_huge_content_length_is_413_not_a_dropped_connection(server: CognitoHTTPServer) -> None:
    status, headers, body = exchange(
        server.url,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\n"
        b"Content-Length: 1000000000000000\r\n\r\n{}",
    )
    assert (status, body["__type"]) == (413, "RequestEntityTooLargeException")
    assert body["message"] == "HTTP content length exceeded 10485760 bytes."
    assert headers["connection"] == "close"


def test_chunked_bodies_are_read_and_bounded(mock: CognitoMock, pool_id: str) -> None:
    from cognito_mock.transports.http import Limits

    document = json.dumps({"UserPoolId": pool_id}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (document[:5], document[5:]))
    head = (
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: AWSCognitoIdentityProviderService.DescribeUserPool\r\n"
        b"Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    with start_server(mock, limits=Limits(max_body=4096)) as served:
        status, _, body = exchange(served.url, head + chunks + b"0\r\n\r\n")
        assert (status, body["UserPool"]["Id"]) == (200, pool_id)
        big = b"".join(b"400\r\n" + b" " * 1024 + b"\r\n" for _ in range(5))
        status, _, body = exchange(served.url, head + big + b"0\r\n\r\n")
        assert (status, body["__type"]) == (413, "RequestEntityTooLargeException")
        assert body["message"] == "HTTP content length exceeded 4096 bytes."


def test_expect_100_continue(server: CognitoHTTPServer, pool_id: str) -> None:
    document = json.dumps({"UserPoolId": pool_id}).encode()
    status, _, body = exchange(
        server.url,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"X-Amz-Target: AWSCognitoIdentityProviderService.DescribeUserPool\r\n"
        b"Expect: 100-continue\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(document), document),
    )
    assert status == 100  # then the answer follows on the same connection
    assert b'"Id":"' + pool_id.encode() in body


def test_keep_alive_answers_many_requests_on_one_connection(
    server: CognitoHTTPServer, pool_id: str
) -> None:
    import http.client

    host, port = server.server_address
    conn = http.client.HTTPConnection(host, port, timeout=10)
    for n in range(50):
        conn.request("POST", "/", json.dumps({"UserPoolId": pool_id}),
                     {**JSON, "X-Amz-Target": TARGET + "DescribeUserPool"})  # fmt: skip
        response = conn.getresponse()
        assert (response.status, json.loads(response.read())["UserPool"]["Id"]) == (200, pool_id)
        assert n == 0 or conn.sock is not None
    conn.close()


def _stalled(url: str, data: bytes) -> tuple[int, Any]:
    with socket.create_connection(tuple(url[7:].rsplit(":", 1)), timeout=10) as conn:  # type: ignore[arg-type]
        conn.sendall(data)
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    if not received:
        return 0, None
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_stalled_and_idle_connections_are_timed_out(mock: CognitoMock) -> None:
    from cognito_mock.transports.http import Limits

    limits = Limits(idle_timeout=0.3, request_timeout=0.3)
    with start_server(mock, limits=limits) as served:
        # headers begun, never finished
        status, body = _stalled(served.url, b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
        assert (status, body["__type"]) == (408, "RequestTimeoutException")
        assert body["message"] == "The request was not received within 0.3 seconds."
        # headers done, body short of its Content-Length
        status, body = _stalled(
            served.url, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}"
        )
        assert (status, body["__type"]) == (408, "RequestTimeoutException")
        # a connection that never sends anything is closed without an answer
        assert _stalled(served.url, b"") == (0, None)
        assert served.errors == []


def test_a_bug_in_the_server_is_a_loud_500_never_a_dropped_connection() -> None:
    from cognito_mock.errors import ContractViolation

    class Broken:
        def handle_wire(self, target: str | None, body: bytes | None, region: str) -> Any:
            raise ContractViolation("AdminGetUser", "answered outside the model: $.User")

        def jwks(self, pool_id: str, *, region: str | None = None) -> Any:
            raise RuntimeError("boom")

        openid_configuration = jwks

    with start_server(Broken()) as running:
        response, data = http_request(running.url, "POST", "/", b"{}",
                                      **{"X-Amz-Target": TARGET + "AdminGetUser"})  # fmt: skip
        body = _aws_error(response, data, 500, "InternalErrorException")
        assert (
            body["message"] == "ContractViolation: AdminGetUser: answered outside the model: $.User"
        )
        response, data = http_request(running.url, "GET", "/us-east-1_abc/.well-known/jwks.json")
        assert (
            _aws_error(response, data, 500, "InternalErrorException")["message"]
            == "RuntimeError: boom"
        )
        assert [type(e).__name__ for e in running.errors] == ["ContractViolation", "RuntimeError"]


def test_serve_raises_what_broke_while_serving(mock: CognitoMock) -> None:
    def explode(request: Any) -> bool:
        raise ZeroDivisionError("in the server thread")

    mock.faults.fail("ListUserPools", when=explode)
    with pytest.raises(ZeroDivisionError, match="in the server thread"), mock.serve() as url:
        response, data = http_request(url, "POST", "/", b'{"MaxResults": 1}', **JSON,
                                      **{"X-Amz-Target": TARGET + "ListUserPools"})  # fmt: skip
        assert _aws_error(response, data, 500, "InternalErrorException")


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
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    tokens = remote.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    response, data = http_request(server.url, "GET", f"/{pool_id}/.well-known/openid-configuration")
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
