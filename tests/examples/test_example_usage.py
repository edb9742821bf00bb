"""A test file to copy: the cognito-mock pytest fixtures as an application's suite would use them.

Install cognito-mock and the fixtures are there (no conftest needed). Each test gets a fresh,
isolated Cognito; boto3 clients made anywhere in your code are answered by it.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config


def test_sign_in_with_boto3(cognito_user_pool, cognito_user):
    pool = cognito_user_pool(client={"ClientName": "web"})  # password, SRP, admin and refresh flows
    user = cognito_user("alice", pool=pool)  # CONFIRMED, known password, verified email

    # Your application code would make this client itself; the mock answers it anyway.
    client = boto3.client("cognito-idp", region_name="us-east-1")
    answer = client.initiate_auth(
        ClientId=pool.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": user.password},
    )
    tokens = answer["AuthenticationResult"]
    assert tokens["TokenType"] == "Bearer"
    assert client.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"


def test_sign_up_reads_the_code_from_the_outbox(cognito_client, cognito_user_pool, cognito_outbox):
    pool = cognito_user_pool(AutoVerifiedAttributes=["email"])
    cognito_client.sign_up(
        ClientId=pool.client_id,
        Username="bob",
        Password="Correct-Horse-9",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    code = cognito_outbox.last("bob@example.com").code  # the email the user would have received
    cognito_client.confirm_sign_up(ClientId=pool.client_id, Username="bob", ConfirmationCode=code)
    user = cognito_client.admin_get_user(UserPoolId=pool.id, Username="bob")
    assert user["UserStatus"] == "CONFIRMED"


def test_tokens_expire_when_the_clock_moves(cognito_client, cognito_user, cognito_clock):
    tokens = cognito_user().sign_in()  # a shortcut for the InitiateAuth call above
    cognito_clock.advance(hours=1, seconds=1)  # no sleeping: access tokens last one hour
    with pytest.raises(cognito_client.exceptions.NotAuthorizedException) as caught:
        cognito_client.get_user(AccessToken=tokens["AccessToken"])
    assert caught.value.response["Error"]["Message"] == "Access Token has expired"


def test_code_survives_throttling(cognito_mock, cognito_user, monkeypatch):
    user = cognito_user()
    monkeypatch.setattr("botocore.endpoint.time.sleep", lambda seconds: None)  # skip backoff
    cognito_mock.faults.fail("AdminGetUser", "TooManyRequestsException", times=2)
    client = boto3.client("cognito-idp", config=Config(retries={"mode": "standard"}))
    assert client.admin_get_user(UserPoolId=user.pool_id, Username=user.username)["Enabled"]


@pytest.mark.cognito(region="eu-west-1", seed=42)
def test_configured_by_marker(cognito_user_pool):
    assert cognito_user_pool().id.startswith("eu-west-1_")
