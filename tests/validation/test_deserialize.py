"""What the service's deserializer answers before any constraint (issue 11, items 1, 3, 5, 6): wrong
JSON types, unpaired surrogates, over-deep nesting and fractional integers, the same way in-process,
through boto3 and over HTTP; and error texts that echo only a bounded, encodable prefix."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.errors import InvalidParameterException, SerializationException
from cognito_mock.validation import validate_request
from cognito_mock.validation.deserialize import MAX_DEPTH, deserialize
from cognito_mock.validation.messages import ECHO_LIMIT
from tests.helpers import PASSWORD, fails

TARGET = "AWSCognitoIdentityProviderService."
SURROGATE = "Unpaired surrogate U+D800 in a string value"


def _nested(depth: int, leaf: Any = "x", *, maps: bool = False) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value} if maps else [value]
    return value


@pytest.fixture
def url(mock: CognitoMock) -> Iterator[str]:
    with mock.serve() as served:
        yield served


def _post(url: str, operation: str, body: bytes) -> tuple[int, dict[str, Any], Any]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + operation}
    conn.request("POST", "/", body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    headers = {key.lower(): value for key, value in response.getheaders()}
    return response.status, headers, json.loads(data)


# ----------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"UserPoolId": 7}, "NUMBER_VALUE can not be converted to a String"),
        ({"UserPoolId": True}, "TRUE_VALUE can not be converted to a String"),
        ({"UserPoolId": ["a"]}, "Start of list found where not expected"),
        ({"UserPoolId": {"a": 1}}, "Start of structure or map found where not expected."),
        ({"UserPoolId": "p_1", "Limit": "5"}, "STRING_VALUE can not be converted to an Integer"),
        ({"UserPoolId": "p_1", "Limit": False}, "FALSE_VALUE can not be converted to an Integer"),
        ({"UserPoolId": "p_1", "AttributesToGet": "email"}, "Expected list or null"),
        ({"UserPoolId": "p_1", "AttributesToGet": {"a": "b"}},
         "Start of structure or map found where not expected."),
        ({"UserPoolId": "p_1", "AttributesToGet": [3]},
         "NUMBER_VALUE can not be converted to a String"),
    ],
)  # fmt: skip
def test_a_wrong_json_type_is_a_serialization_error_in_the_services_words(
    request_: dict[str, Any], message: str
) -> None:
    with pytest.raises(SerializationException) as caught:
        validate_request("ListUsers", request_)
    assert caught.value.message == message


def test_structures_maps_booleans_and_timestamps_have_their_own_words() -> None:
    cases = [
        ("CreateUserPool", {"PoolName": "p", "Policies": "x"}, "Expected null"),
        ("CreateUserPool", {"PoolName": "p", "Policies": [1]},
         "Start of list found where not expected"),
        ("CreateUserPool", {"PoolName": "p", "UserPoolTags": 1}, "Expected map or null"),
        ("AdminSetUserPassword", {"UserPoolId": "p_1", "Username": "u", "Password": "x",
                                  "Permanent": "yes"}, "STRING_VALUE can not be converted to a Boolean"),
        ("AdminSetUserPassword", {"UserPoolId": "p_1", "Username": "u", "Password": "x",
                                  "Permanent": 1}, "NUMBER_VALUE can not be converted to a Boolean"),
        ("InitiatePointInTimeRecovery", {"UserPoolId": "p_1", "RestoreTimestamp": "soon"},
         "STRING_VALUE can not be converted to milliseconds since epoch"),
        ("InitiatePointInTimeRecovery", {"UserPoolId": "p_1", "RestoreTimestamp": 1e300},
         "NUMBER_VALUE 1e+300 can not be converted to milliseconds since epoch"),
    ]  # fmt: skip
    for operation, request, message in cases:
        with pytest.raises(SerializationException) as caught:
            validate_request(operation, request)
        assert caught.value.message == message, operation


def test_null_is_an_absent_member_and_tuples_are_lists() -> None:
    assert validate_request("ListUsers", {"UserPoolId": "p_1", "Filter": None}) == {
        "UserPoolId": "p_1"
    }
    with pytest.raises(InvalidParameterException) as caught:
        validate_request("ListUsers", {"UserPoolId": None})
    assert caught.value.message == (
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
        "Member must not be null"
    )
    got = validate_request("ListUsers", {"UserPoolId": "p_1", "AttributesToGet": ("email",)})
    assert got["AttributesToGet"] == ["email"]


# ----------------------------------------------------------------------------- item 5


def test_a_fractional_integer_is_truncated_as_the_service_does(
    mock: CognitoMock, pool_id: str
) -> None:
    # Regression (issue 11, item 5): `5.0` passed validation, then crashed 8 List handlers.
    for index in range(7):
        mock.call("CreateGroup", UserPoolId=pool_id, GroupName=f"g{index}")
    for limit in (5.0, 5.9):
        page = mock.call("ListGroups", UserPoolId=pool_id, Limit=limit)
        assert [g["GroupName"] for g in page["Groups"]] == ["g0", "g1", "g2", "g3", "g4"]
    pools = mock.call("ListUserPools", MaxResults=1.5)["UserPools"]
    assert len(pools) == 1
    with pytest.raises(InvalidParameterException) as caught:
        mock.call("ListGroups", UserPoolId=pool_id, Limit=60.7 + 1)
    assert caught.value.message.endswith("Member must have value less than or equal to 60")
    assert "Value '61' at 'limit'" in caught.value.message


def test_integers_beyond_java_ranges_are_clamped_and_non_finite_numbers_refused() -> None:
    with pytest.raises(InvalidParameterException) as caught:
        validate_request("ListUsers", {"UserPoolId": "p_1", "Limit": 10**40})
    assert "Value '2147483647' at 'limit'" in caught.value.message
    for bad in (float("inf"), float("nan")):
        with pytest.raises(SerializationException):
            validate_request("ListUsers", {"UserPoolId": "p_1", "Limit": bad})


# ----------------------------------------------------------------------------- item 1


def test_an_unpaired_surrogate_is_refused_on_every_way_in(
    mock: CognitoMock, client: Any, pool_id: str, url: str
) -> None:
    # Regression (issue 11, item 1): echoed in an error message, a lone surrogate made the
    # response encoder raise UnicodeEncodeError (in-process through boto3 too).
    with pytest.raises(SerializationException) as caught:
        mock.call("AdminGetUser", UserPoolId=pool_id, Username="a\ud800")
    assert caught.value.message == SURROGATE
    fails(client.admin_get_user, "SerializationException", SURROGATE,
          UserPoolId=pool_id, Username="a\ud800")  # fmt: skip
    body = json.dumps({"UserPoolId": pool_id, "Username": "a\ud800"}).encode()
    status, _, answer = _post(url, "AdminGetUser", body)
    assert (status, answer) == (400, {"__type": "SerializationException", "message": SURROGATE})
    # Raw UTF-8 bytes of a surrogate (not an escape) are the same value.
    raw = b'{"UserPoolId": "' + pool_id.encode() + b'", "Username": "a\xed\xa0\x80"}'
    assert _post(url, "AdminGetUser", raw)[2]["__type"] == "SerializationException"


def test_a_surrogate_never_reaches_state_so_listing_and_sign_in_keep_working(
    mock: CognitoMock, client: Any, pool_id: str
) -> None:
    # Regression (issue 11, item 1): stored in an attribute it poisoned ListUsers; as a password
    # (AdminSetUserPassword accepted one) it crashed sign-in.
    fails(client.admin_create_user, "SerializationException", SURROGATE, UserPoolId=pool_id,
          Username="bob", UserAttributes=[{"Name": "name", "Value": "\ud800"}])  # fmt: skip
    client.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    fails(client.admin_set_user_password, "SerializationException", SURROGATE,
          UserPoolId=pool_id, Username="bob", Password="Aa1!\ud800", Permanent=True)  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="bob", Password=PASSWORD, Permanent=True
    )
    assert [u["Username"] for u in client.list_users(UserPoolId=pool_id)["Users"]] == ["bob"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="a", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                               "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    fails(
        client.initiate_auth,
        "SerializationException",
        SURROGATE,
        ClientId=app,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": "\ud800"},
    )
    fails(client.initiate_auth, "SerializationException", SURROGATE.replace("D800", "DFFF"),
          ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
          AuthParameters={"USERNAME": "\udfff", "PASSWORD": "x"})  # fmt: skip


def test_valid_pairs_and_other_unicode_pass(mock: CognitoMock, pool_id: str) -> None:
    made = mock.call(
        "AdminCreateUser", UserPoolId=pool_id, Username="emoji\U0001f600\u00e9",
        UserAttributes=[{"Name": "name", "Value": "\U0001f600 nul\x00 \u3000"}],
        MessageAction="SUPPRESS",
    )  # fmt: skip
    assert made["User"]["Username"] == "emoji\U0001f600\u00e9"


# ----------------------------------------------------------------------------- item 6


def test_a_surrogate_string_for_a_blob_is_refused_in_process(
    mock: CognitoMock, pool_id: str
) -> None:
    # Regression (issue 11, item 6): `mock.call` base64-encoded the str as UTF-8 and crashed.
    with pytest.raises(SerializationException) as caught:
        mock.call("SetUICustomization", UserPoolId=pool_id, ImageFile="\ud800")
    assert caught.value.message == SURROGATE


# ----------------------------------------------------------------------------- item 3


@pytest.mark.parametrize("maps", [False, True])
def test_deep_nesting_is_refused_not_a_recursion_error(
    mock: CognitoMock, pool_id: str, maps: bool
) -> None:
    # Regression (issue 11, item 3): wording the validation message recursed into the value.
    deep = _nested(5000, maps=maps)
    with pytest.raises(SerializationException):
        mock.call("AdminGetUser", UserPoolId=pool_id, Username=deep)
    with pytest.raises(SerializationException):
        mock.call("AdminCreateUser", UserPoolId=pool_id, Username="u", UserAttributes=[deep])
    with pytest.raises(SerializationException):  # a member the model lacks: the same limit
        mock.call("AdminGetUser", UserPoolId=pool_id, Username="u", Extra=deep)
    with pytest.raises(InvalidParameterException) as caught:  # within it: echoed, bounded
        mock.call("AdminGetUser", UserPoolId=pool_id, Username="u", Extra=_nested(60, "y" * 10**6))
    assert caught.value.message.startswith(
        "1 validation error detected: Value '[[[[[[[[[[[[[[[[...]]]]]]]]]]]]]]]]' at 'extra'"
    )


def test_documents_are_bounded_in_depth() -> None:
    ok = {
        "ClientId": "c",
        "Settings": _nested(MAX_DEPTH - 2, maps=True),
        "UseCognitoProvidedValues": False,
    }
    assert deserialize("CreateManagedLoginBrandingRequest", ok) == ok
    deep = {"UserPoolId": "p_1", "Settings": _nested(MAX_DEPTH + 5)}
    with pytest.raises(SerializationException) as caught:
        deserialize("CreateManagedLoginBrandingRequest", deep)
    assert (
        caught.value.message == f"Document nesting depth exceeds the maximum allowed ({MAX_DEPTH})"
    )
    with pytest.raises(SerializationException):
        deserialize("CreateManagedLoginBrandingRequest", {"Settings": {"a": "\udc00"}})


def test_deeply_nested_json_over_http_is_a_400(url: str) -> None:
    # Regression (issue 11, item 3): JSON nested 400+ deep over HTTP answered 500.
    for depth in (450, 100_000):
        body = b'{"UserPoolId": ' + b"[" * depth + b"]" * depth + b"}"
        status, _, answer = _post(url, "DescribeUserPool", body)
        assert (status, answer["__type"]) == (400, "SerializationException")


# ----------------------------------------------------------------------------- echoes


def test_echoed_values_are_a_bounded_prefix(mock: CognitoMock, client: Any, pool_id: str) -> None:
    huge = "a_" + "x" * 1_000_000
    with pytest.raises(InvalidParameterException) as caught:
        mock.call("DescribeUserPool", UserPoolId=huge)
    message = caught.value.message
    assert message == (
        "1 validation error detected: Value 'a_" + "x" * (ECHO_LIMIT - 2) + "...' at 'userPoolId' "
        "failed to satisfy constraint: Member must have length less than or equal to 55"
    )
    with pytest.raises(ClientError) as error:
        client.describe_user_pool(UserPoolId=huge)
    assert error.value.response["Error"]["Message"] == message


def test_error_headers_carry_no_control_characters(url: str) -> None:
    body = json.dumps({"UserPoolId": "bad\r\nX-Injected: 1\x00"}).encode()
    status, headers, answer = _post(url, "DescribeUserPool", body)
    assert status == 400
    assert "x-injected" not in headers
    assert (
        "\r" not in headers["x-amzn-errormessage"] and "\x00" not in headers["x-amzn-errormessage"]
    )
    assert answer["message"].startswith("1 validation error detected: Value 'bad\r\nX-Injected")
