"""CUSTOM_AUTH: Define/Create/Verify triggers, CUSTOM_CHALLENGE answers, session history."""

from __future__ import annotations

import json
from typing import Any

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock
from tests.helpers import fails

ARN = "arn:aws:lambda:us-east-1:123456789012:function:custom"
KEYS = ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse")
FLOWS = ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH"]


@pytest.fixture
def world(mock: CognitoMock, client: Any) -> dict[str, Any]:
    """A pool with the three custom-auth triggers (a 3-try arithmetic quiz) and user bob."""
    pool = client.create_user_pool(PoolName="custom", LambdaConfig=dict.fromkeys(KEYS, ARN))[
        "UserPool"
    ]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool, ClientName="app", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(UserPoolId=pool, Username="bob", MessageAction="SUPPRESS",
                             UserAttributes=[{"Name": "email", "Value": "b@example.com"}])  # fmt: skip
    client.admin_set_user_password(UserPoolId=pool, Username="bob", Password="Passw0rd!x",
                                   Permanent=True)  # fmt: skip
    events: list[dict[str, Any]] = []

    def define(event: dict[str, Any]) -> dict[str, Any]:
        events.append(json.loads(json.dumps(event)))
        session = event["request"]["session"]
        if session and session[-1]["challengeResult"]:
            event["response"]["issueTokens"] = True
        elif len(session) >= 3:
            event["response"]["failAuthentication"] = True
        else:
            event["response"]["challengeName"] = "CUSTOM_CHALLENGE"
        return event

    def create(event: dict[str, Any]) -> dict[str, Any]:
        events.append(json.loads(json.dumps(event)))
        event["response"].update(
            publicChallengeParameters={"question": "2+2"},
            privateChallengeParameters={"answer": "4"},
            challengeMetadata=f"QUIZ-{len(event['request']['session'])}",
        )
        return event

    def verify(event: dict[str, Any]) -> dict[str, Any]:
        events.append(json.loads(json.dumps(event)))
        expected = event["request"]["privateChallengeParameters"]["answer"]
        event["response"]["answerCorrect"] = event["request"]["challengeAnswer"] == expected
        return event

    mock.triggers.register("DefineAuthChallenge", define)
    mock.triggers.register("CreateAuthChallenge", create)
    mock.triggers.register("VerifyAuthChallengeResponse", verify)
    return {"pool": pool, "app": app, "events": events}


def start(client: Any, app: str, username: str = "bob", **kw: Any) -> Any:
    return client.initiate_auth(
        ClientId=app, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": username}, **kw
    )


def answer(client: Any, app: str, session: str, value: str, **kw: Any) -> Any:
    return client.respond_to_auth_challenge(
        ClientId=app, ChallengeName="CUSTOM_CHALLENGE", Session=session,
        ChallengeResponses={"USERNAME": "bob", "ANSWER": value}, **kw,
    )  # fmt: skip


def test_wrong_then_right_answer_issues_tokens(mock: CognitoMock, client: Any, world: Any) -> None:
    pool, app, events = world["pool"], world["app"], world["events"]
    assert events == []
    first = start(client, app, ClientMetadata={"k": "v"})
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert first["ChallengeParameters"] == {"question": "2+2", "USERNAME": "bob"}
    define, create = events
    assert define["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert define["userName"] == "bob" and define["callerContext"]["clientId"] == app
    assert define["userPoolId"] == pool and define["version"] == "1"
    assert define["request"]["session"] == [] and define["request"]["userNotFound"] is False
    # InitiateAuth's ClientMetadata reaches only PreSignUp, PreAuthentication and UserMigration
    # (API reference); RespondToAuthChallenge's reaches the custom-auth triggers.
    assert "clientMetadata" not in define["request"]
    assert define["request"]["userAttributes"]["email"] == "b@example.com"
    assert define["response"] == {
        "challengeName": None,
        "issueTokens": False,
        "failAuthentication": False,
    }
    assert create["triggerSource"] == "CreateAuthChallenge_Authentication"
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    assert create["response"] == {
        "publicChallengeParameters": None,
        "privateChallengeParameters": None,
        "challengeMetadata": None,
    }

    second = answer(client, app, first["Session"], "5")
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE" and second["Session"] != first["Session"]
    verify = events[2]
    assert verify["triggerSource"] == "VerifyAuthChallengeResponse_Authentication"
    assert set(verify["request"]) == {
        "userAttributes", "privateChallengeParameters", "challengeAnswer", "userNotFound",
    }  # fmt: skip
    assert verify["request"]["privateChallengeParameters"] == {"answer": "4"}
    assert verify["request"]["challengeAnswer"] == "5"
    assert verify["response"] == {"answerCorrect": False}
    assert events[3]["request"]["session"] == [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False,
         "challengeMetadata": "QUIZ-0"},
    ]  # fmt: skip
    # A used session cannot be answered again.
    fails(answer, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.",
          client=client, app=app, session=first["Session"], value="4")  # fmt: skip

    done = answer(client, app, second["Session"], "4")["AuthenticationResult"]
    claims = pyjwt.decode(done["IdToken"], options={"verify_signature": False})
    assert claims["cognito:username"] == "bob" and claims["aud"] == app
    assert events[-1]["request"]["session"][-1] == {
        "challengeName": "CUSTOM_CHALLENGE", "challengeResult": True,
        "challengeMetadata": "QUIZ-1",
    }  # fmt: skip
    assert client.get_user(AccessToken=done["AccessToken"])["Username"] == "bob"


def test_three_wrong_answers_fail_authentication(client: Any, world: Any) -> None:
    app = world["app"]
    session = start(client, app)["Session"]
    session = answer(client, app, session, "1")["Session"]
    session = answer(client, app, session, "2")["Session"]
    fails(answer, "NotAuthorizedException", "Incorrect username or password.",
          client=client, app=app, session=session, value="3")  # fmt: skip


def test_fail_authentication_at_start_and_trigger_errors(
    mock: CognitoMock, client: Any, world: Any
) -> None:
    app = world["app"]

    def refuse(event: dict[str, Any]) -> dict[str, Any]:
        event["response"]["failAuthentication"] = True
        return event

    mock.triggers.register("DefineAuthChallenge", refuse)
    fails(start, "NotAuthorizedException", "Incorrect username or password.",
          client=client, app=app)  # fmt: skip

    def broken(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("no challenge for you")

    mock.triggers.register("DefineAuthChallenge", lambda e: {**e, "response": {
        "challengeName": "CUSTOM_CHALLENGE"}})  # fmt: skip
    mock.triggers.register("CreateAuthChallenge", broken)
    fails(start, "UserLambdaValidationException",
          "CreateAuthChallenge failed with error no challenge for you.",
          client=client, app=app)  # fmt: skip
    mock.triggers.register("CreateAuthChallenge", lambda e: e)
    session = start(client, app)["Session"]
    mock.triggers.register("VerifyAuthChallengeResponse", lambda e: {**e, "response": {
        "answerCorrect": "yes"}})  # fmt: skip
    fails(answer, "InvalidLambdaResponseException",
          "Invalid lambda function output : Invalid JSON",
          client=client, app=app, session=session, value="4")  # fmt: skip
    mock.triggers.register("DefineAuthChallenge", lambda e: {**e, "response": {
        "challengeName": "PASSWORD_VERIFIER"}})  # fmt: skip
    fails(start, "InvalidLambdaResponseException",
          "Invalid lambda function output : Invalid JSON", client=client, app=app)  # fmt: skip


def test_not_enabled_not_configured_and_unknown_user(
    mock: CognitoMock, client: Any, world: Any, pool_id: str
) -> None:
    pool = world["pool"]
    no_custom = client.create_user_pool_client(
        UserPoolId=pool, ClientName="pw", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    fails(start, "InvalidParameterException", "CUSTOM_AUTH is not enabled for the client.",
          client=client, app=no_custom)  # fmt: skip
    plain = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="plain", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    fails(start, "InvalidParameterException",
          "Custom auth lambda trigger is not configured for the user pool.",
          client=client, app=plain)  # fmt: skip
    fails(start, "UserNotFoundException", "User does not exist.",
          client=client, app=world["app"], username="ghost")  # fmt: skip
    fails(client.initiate_auth, "InvalidParameterException", "Missing required parameter USERNAME",
          ClientId=world["app"], AuthFlow="CUSTOM_AUTH", AuthParameters={})  # fmt: skip


def test_hidden_unknown_user_gets_challenges_but_never_tokens(
    mock: CognitoMock, client: Any, world: Any
) -> None:
    hidden = client.create_user_pool_client(
        UserPoolId=world["pool"], ClientName="hidden", ExplicitAuthFlows=FLOWS,
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    first = start(client, hidden, username="ghost")
    assert world["events"][0]["request"]["userNotFound"] is True
    assert world["events"][0]["request"]["userAttributes"] == {}
    fails(client.respond_to_auth_challenge, "NotAuthorizedException",
          "Incorrect username or password.", ClientId=hidden, ChallengeName="CUSTOM_CHALLENGE",
          Session=first["Session"], ChallengeResponses={"USERNAME": "ghost", "ANSWER": "4"})  # fmt: skip


def test_admin_flow_and_missing_answer(client: Any, world: Any) -> None:
    pool, app = world["pool"], world["app"]
    admin_app = client.create_user_pool_client(
        UserPoolId=pool, ClientName="admin", ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH"]
    )["UserPoolClient"]["ClientId"]
    first = client.admin_initiate_auth(UserPoolId=pool, ClientId=admin_app, AuthFlow="CUSTOM_AUTH",
                                       AuthParameters={"USERNAME": "bob"})  # fmt: skip
    done = client.admin_respond_to_auth_challenge(
        UserPoolId=pool, ClientId=admin_app, ChallengeName="CUSTOM_CHALLENGE",
        Session=first["Session"], ChallengeResponses={"USERNAME": "bob", "ANSWER": "4"},
    )  # fmt: skip
    assert "AccessToken" in done["AuthenticationResult"]
    session = start(client, app)["Session"]
    fails(client.respond_to_auth_challenge, "InvalidParameterException",
          "Missing required parameter ANSWER", ClientId=app, ChallengeName="CUSTOM_CHALLENGE",
          Session=session, ChallengeResponses={"USERNAME": "bob"})  # fmt: skip
