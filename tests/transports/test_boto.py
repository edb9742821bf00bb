"""boto3 answered in-process: `mock.client()` and `mock.intercept()` cross the real JSON 1.1 wire."""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, NoCredentialsError

from cognito_mock import CognitoMock


def test_client_round_trip_parses_datetimes_and_request_ids(mock: CognitoMock) -> None:
    client = mock.client()
    created = client.create_user_pool(PoolName="demo")
    pool = created["UserPool"]
    assert isinstance(pool["CreationDate"], datetime)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert len(created["ResponseMetadata"]["RequestId"]) == 36
    assert client.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Name"] == "demo"


def test_service_errors_are_modelled_botocore_exceptions(mock: CognitoMock) -> None:
    client = mock.client()
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.describe_user_pool(UserPoolId="us-east-1_nothere")
    error = caught.value.response["Error"]
    assert error == {
        "Code": "ResourceNotFoundException",
        "Message": "User pool us-east-1_nothere does not exist.",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_validation_errors_reach_boto3_worded_as_the_service(mock: CognitoMock) -> None:
    client = mock.client()
    # botocore itself only checks min lengths and types; max and pattern reach the service.
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.list_user_pools(MaxResults=61)
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 60"
    )


def test_clients_keep_their_region(mock: CognitoMock) -> None:
    east = mock.client(region_name="us-east-1")
    west = mock.client(region_name="eu-west-1")
    pool_id = west.create_user_pool(PoolName="w")["UserPool"]["Id"]
    assert pool_id.startswith("eu-west-1_")
    assert east.list_user_pools(MaxResults=10)["UserPools"] == []
    arn = west.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    assert arn == f"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{pool_id}"


def test_intercept_routes_clients_made_before_and_after(
    mock: CognitoMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    # A fresh session: the default one may hold credentials cached by an earlier test.
    before = boto3.session.Session().client("cognito-idp", region_name="us-east-1")
    with mock.intercept():
        after = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = before.create_user_pool(PoolName="p")["UserPool"]["Id"]
        assert after.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "p"
        with pytest.raises(before.exceptions.ResourceNotFoundException):
            before.delete_user_pool(UserPoolId="us-east-1_gone")
    # Outside the block nothing is routed any more (and no credentials were left behind).
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    with pytest.raises(NoCredentialsError):
        before.list_user_pools(MaxResults=1)


def test_intercept_as_decorator_and_nesting(mock: CognitoMock) -> None:
    other = CognitoMock()

    @mock.intercept()
    def make_pool() -> str:
        return str(
            boto3.client("cognito-idp", region_name="us-east-1").create_user_pool(
                PoolName="decorated"
            )["UserPool"]["Id"]
        )

    pool_id = make_pool()
    assert mock.call("DescribeUserPool", UserPoolId=pool_id)["UserPool"]["Name"] == "decorated"
    with mock.intercept(), other.intercept():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        assert client.list_user_pools(MaxResults=5)["UserPools"] == []  # innermost wins


def test_wire_errors_for_malformed_requests(mock: CognitoMock) -> None:
    bad_json = mock.handle_wire(
        "AWSCognitoIdentityProviderService.ListUserPools", b"{", "us-east-1"
    )
    assert bad_json.status == 400
    assert json.loads(bad_json.body)["__type"] == "SerializationException"
    unknown = mock.handle_wire("AWSCognitoIdentityProviderService.Nope", b"{}", "us-east-1")
    assert json.loads(unknown.body)["__type"] == "UnknownOperationException"
    assert unknown.headers["x-amzn-ErrorType"] == "UnknownOperationException:"
    nan = mock.handle_wire(
        "AWSCognitoIdentityProviderService.ListUserPools", b'{"MaxResults": NaN}', "us-east-1"
    )
    assert json.loads(nan.body)["__type"] == "SerializationException"


def test_error_headers_carry_type_and_message(mock: CognitoMock) -> None:
    answer = mock.handle_wire(
        "AWSCognitoIdentityProviderService.DescribeUserPool",
        b'{"UserPoolId": "us-east-1_none"}',
        "us-east-1",
    )
    body: dict[str, Any] = json.loads(answer.body)
    assert body == {
        "__type": "ResourceNotFoundException",
        "message": "User pool us-east-1_none does not exist.",
    }
    assert answer.headers["x-amzn-ErrorMessage"] == body["message"]
    assert answer.headers["Content-Type"] == "application/x-amz-json-1.1"


def test_client_error_code_for_unmodelled_errors(mock: CognitoMock) -> None:
    client = mock.client()
    with pytest.raises(ClientError) as caught:
        client.describe_user_pool(UserPoolId="bad id")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'bad id' at 'userPoolId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"
    )


def test_a_seed_gives_the_same_ids_through_boto3_and_call() -> None:
    through_boto3 = CognitoMock(seed=11).client().create_user_pool(PoolName="p")["UserPool"]["Id"]
    through_call = CognitoMock(seed=11).call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    assert through_boto3 == through_call
