"""Lambda triggers as Python callables: registry, event shapes, response effects, error mapping."""

from __future__ import annotations

import json
import pickle
from typing import Any

import jwt as pyjwt
import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.backend.hooks.triggers import TRIGGERS, Triggers
from cognito_mock.errors import LambdaTimeout, TriggerNotRegisteredError
from tests.helpers import PASSWORD, fails

ARN = "arn:aws:lambda:us-east-1:123456789012:function:trigger"
OTHER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:other"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def make_pool(client: Any, *keys: str, **settings: Any) -> str:
    config: dict[str, Any] = {key: ARN for key in keys}
    config.update(settings.pop("LambdaConfig", {}))
    return str(
        client.create_user_pool(PoolName="triggers", LambdaConfig=config, **settings)["UserPool"][
            "Id"
        ]
    )


def make_app(client: Any, pool: str, **settings: Any) -> str:
    settings.setdefault("ExplicitAuthFlows", FLOWS)
    made = client.create_user_pool_client(UserPoolId=pool, ClientName="app", **settings)
    return str(made["UserPoolClient"]["ClientId"])


def make_user(client: Any, pool: str, name: str = "alice", **attrs: str) -> None:
    attributes = [{"Name": k, "Value": v} for k, v in (attrs or {"email": "a@example.com"}).items()]
    client.admin_create_user(
        UserPoolId=pool, Username=name, UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    client.admin_set_user_password(
        UserPoolId=pool, Username=name, Password=PASSWORD, Permanent=True
    )


def sign_in(client: Any, app: str, name: str = "alice", password: str = PASSWORD, **kw: Any) -> Any:
    return client.initiate_auth(
        ClientId=app,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": password},
        **kw,
    )


def envelope(event: dict[str, Any], source: str, pool: str, user: str, client_id: str) -> None:
    assert event["version"] == "1" and event["triggerSource"] == source
    assert event["region"] == "us-east-1" and event["userPoolId"] == pool
    assert event["userName"] == user
    assert event["callerContext"] == {
        "awsSdkVersion": "aws-sdk-unknown-unknown",
        "clientId": client_id,
    }


def recorder(response: dict[str, Any] | None = None) -> Any:
    """A trigger that records the events it gets and answers with `response`."""
    seen: list[dict[str, Any]] = []

    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        seen.append(json.loads(json.dumps(event)))  # as received, before answering
        event["response"].update(response or {})
        return event

    trigger.seen = seen  # type: ignore[attr-defined]
    return trigger


def rejecting(message: str) -> Any:
    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        raise ValueError(message)

    return trigger


# --- registry -----------------------------------------------------------------------------------


def test_registration_by_name_arn_and_pool(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreSignUp")
    other = make_pool(client, "PreSignUp", LambdaConfig={"PreSignUp": OTHER_ARN})
    app, other_app = make_app(client, pool), make_app(client, other)
    calls: list[str] = []
    mock.triggers.register("PreSignUp", lambda e: calls.append("name") or e)
    mock.triggers.register("PreSignUp", lambda e: calls.append("pool") or e, pool_id=pool)
    client.sign_up(ClientId=app, Username="u1", Password=PASSWORD)
    client.sign_up(ClientId=other_app, Username="u1", Password=PASSWORD)
    assert calls == ["pool", "name"]

    @mock.triggers.on(OTHER_ARN)
    def by_arn(event: dict[str, Any]) -> dict[str, Any]:
        calls.append("arn")
        return event

    client.sign_up(ClientId=other_app, Username="u2", Password=PASSWORD)
    assert calls[-1] == "arn"  # the ARN the pool names wins over the trigger name
    mock.triggers.unregister(OTHER_ARN)
    client.sign_up(ClientId=other_app, Username="u3", Password=PASSWORD)
    assert calls[-1] == "name"
    with pytest.raises(ValueError, match="neither a LambdaConfig trigger key"):
        mock.triggers.register("PreSignup", lambda e: e)


def test_configured_trigger_without_function_is_a_library_error(
    mock: CognitoMock, client: Any
) -> None:
    pool = make_pool(client, "PreSignUp")
    app = make_app(client, pool)
    with pytest.raises(TriggerNotRegisteredError) as caught:
        client.sign_up(ClientId=app, Username="bob", Password=PASSWORD)
    assert str(caught.value) == (
        f"user pool {pool} configures the PreSignUp trigger ({ARN}) but no function is "
        f"registered: use mock.triggers.register('PreSignUp', function) or "
        f"mock.triggers.register('{ARN}', function)"
    )
    assert client.list_users(UserPoolId=pool)["Users"] == []
    mock.triggers.missing = "skip"  # as if the pool had no such trigger
    assert client.sign_up(ClientId=app, Username="bob", Password=PASSWORD)["UserConfirmed"] is False


def test_registered_trigger_does_not_run_without_lambda_config(
    mock: CognitoMock, client: Any, pool_id: str
) -> None:
    for key in TRIGGERS:
        mock.triggers.register(key, rejecting("never"))
    app = make_app(client, pool_id)
    client.sign_up(ClientId=app, Username="bob", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": "b@example.com"}])  # fmt: skip
    client.admin_confirm_sign_up(UserPoolId=pool_id, Username="bob")
    assert "AuthenticationResult" in sign_in(client, app, "bob")
    fails(sign_in, "UserNotFoundException", "User does not exist.", client=client, app=app,
          name="ghost")  # fmt: skip
    assert mock.triggers.events == []


def test_reset_forgets_functions_and_a_saved_mock_has_none(mock: CognitoMock) -> None:
    mock.triggers.register("PreSignUp", lambda e: e)
    restored = pickle.loads(pickle.dumps(mock.triggers))
    assert isinstance(restored, Triggers) and repr(restored) == "Triggers()"
    mock.reset()
    assert repr(mock.triggers) == "Triggers()"


# --- error mapping ------------------------------------------------------------------------------


def test_error_mapping(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreSignUp")
    app = make_app(client, pool)

    def sign_up() -> Any:
        return client.sign_up(ClientId=app, Username="bob", Password=PASSWORD)

    mock.triggers.register("PreSignUp", rejecting("Apikey non valida!"))
    fails(
        sign_up, "UserLambdaValidationException", "PreSignUp failed with error Apikey non valida!."
    )
    mock.triggers.register("PreSignUp", lambda e: None)
    fails(sign_up, "InvalidLambdaResponseException", "Unrecognizable lambda output")
    mock.triggers.register("PreSignUp", lambda e: {**e, "response": "yes"})
    fails(sign_up, "InvalidLambdaResponseException", "Unrecognizable lambda output")
    mock.triggers.register("PreSignUp", recorder({"autoConfirmUser": "true"}))
    fails(
        sign_up, "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON"
    )

    def timeout(event: dict[str, Any]) -> Any:
        raise LambdaTimeout

    mock.triggers.register("PreSignUp", timeout)
    timed_out = (
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."
    )
    fails(sign_up, "UnexpectedLambdaException", timed_out)
    assert client.list_users(UserPoolId=pool)["Users"] == []  # every failure left nothing behind

    def asserting(event: dict[str, Any]) -> Any:
        assert event["userName"] == "someone else"

    mock.triggers.register("PreSignUp", asserting)
    with pytest.raises(AssertionError):  # a failed assert in a trigger fails the test itself
        sign_up()


# --- PreSignUp ----------------------------------------------------------------------------------


def test_pre_sign_up_event(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreSignUp", AutoVerifiedAttributes=["email"])
    app = make_app(client, pool)
    trigger = mock.triggers.register("PreSignUp", recorder())
    result = client.sign_up(
        ClientId=app, Username="bob", Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "b@example.com"}],
        ValidationData=[{"Name": "captcha", "Value": "ok"}], ClientMetadata={"src": "web"},
    )  # fmt: skip
    (event,) = trigger.seen
    envelope(event, "PreSignUp_SignUp", pool, "bob", app)
    assert event["request"] == {
        "userAttributes": {"email": "b@example.com"},
        "validationData": {"captcha": "ok"},
        "clientMetadata": {"src": "web"},
    }
    assert event["response"] == {
        "autoConfirmUser": False,
        "autoVerifyEmail": False,
        "autoVerifyPhone": False,
    }
    assert result["UserConfirmed"] is False and len(mock.outbox) == 1
    client.sign_up(ClientId=app, Username="carl", Password=PASSWORD)
    assert trigger.seen[1]["request"] == {"userAttributes": {}, "validationData": None}


def test_pre_sign_up_auto_confirm_and_verify(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreSignUp", AutoVerifiedAttributes=["email"],
                     AliasAttributes=["email"])  # fmt: skip
    app = make_app(client, pool)
    mock.triggers.register(
        "PreSignUp", recorder({"autoConfirmUser": True, "autoVerifyEmail": True})
    )
    email = [{"Name": "email", "Value": "b@example.com"}]
    result = client.sign_up(ClientId=app, Username="bob", Password=PASSWORD, UserAttributes=email)
    assert result["UserConfirmed"] is True and "CodeDeliveryDetails" not in result
    assert len(mock.outbox) == 0
    user = client.admin_get_user(UserPoolId=pool, Username="bob")
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["UserStatus"] == "CONFIRMED" and attrs["email_verified"] == "true"
    # The verified email is an alias at once, and a later auto-verified sign-up takes it over.
    assert "AuthenticationResult" in sign_in(client, app, "b@example.com")
    client.sign_up(ClientId=app, Username="bob2", Password=PASSWORD, UserAttributes=email)
    assert "AuthenticationResult" in sign_in(client, app, "b@example.com")
    old = client.admin_get_user(UserPoolId=pool, Username="bob")["UserAttributes"]
    assert {a["Name"]: a["Value"] for a in old}["email_verified"] == "false"

    mock.triggers.register("PreSignUp", recorder({"autoVerifyPhone": True}))
    fails(client.sign_up, "InvalidLambdaResponseException",
          "Invalid lambda function output : autoVerifyPhone requires the phone_number attribute",
          ClientId=app, Username="carl", Password=PASSWORD)  # fmt: skip
    mock.triggers.register("PreSignUp", recorder())
    assert client.sign_up(ClientId=app, Username="dan", Password=PASSWORD)["UserConfirmed"] is False


def test_pre_sign_up_email_username_and_admin_create_user(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreSignUp", UsernameAttributes=["email"])
    app = make_app(client, pool)
    trigger = mock.triggers.register("PreSignUp", recorder({"autoConfirmUser": True}))
    client.sign_up(ClientId=app, Username="e@example.com", Password=PASSWORD)
    assert trigger.seen[0]["request"]["userAttributes"] == {"email": "e@example.com"}
    client.admin_create_user(
        UserPoolId=pool, Username="f@example.com", MessageAction="SUPPRESS",
        ValidationData=[{"Name": "k", "Value": "v"}], ClientMetadata={"m": "1"},
    )  # fmt: skip
    event = trigger.seen[1]
    envelope(event, "PreSignUp_AdminCreateUser", pool, "f@example.com", "CLIENT_ID_NOT_APPLICABLE")
    assert event["request"] == {
        "userAttributes": {"email": "f@example.com"},
        "validationData": {"k": "v"},
        "clientMetadata": {"m": "1"},
    }
    # autoConfirmUser is ignored for AdminCreateUser.
    users = client.list_users(UserPoolId=pool, Filter='email = "f@example.com"')["Users"]
    assert users[0]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    mock.triggers.register("PreSignUp", rejecting("no admins"))
    fails(client.admin_create_user, "UserLambdaValidationException",
          "PreSignUp failed with error no admins.", UserPoolId=pool, Username="g@example.com")  # fmt: skip
    assert len(client.list_users(UserPoolId=pool)["Users"]) == 2


# --- PostConfirmation ---------------------------------------------------------------------------


def test_post_confirmation_sources(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PostConfirmation", AutoVerifiedAttributes=["email"])
    app = make_app(client, pool)
    trigger = mock.triggers.register("PostConfirmation", recorder())
    email = [{"Name": "email", "Value": "b@example.com"}]
    sub = client.sign_up(ClientId=app, Username="bob", Password=PASSWORD, UserAttributes=email)[
        "UserSub"
    ]
    assert trigger.seen == []
    code = mock.outbox[-1].code
    client.confirm_sign_up(ClientId=app, Username="bob", ConfirmationCode=code,
                           ClientMetadata={"from": "link"})  # fmt: skip
    (event,) = trigger.seen
    envelope(event, "PostConfirmation_ConfirmSignUp", pool, "bob", app)
    assert event["request"] == {
        "userAttributes": {"sub": sub, "email": "b@example.com", "email_verified": "true",
                           "cognito:user_status": "CONFIRMED"},
        "clientMetadata": {"from": "link"},
    }  # fmt: skip
    assert event["response"] == {}

    client.sign_up(ClientId=app, Username="carl", Password=PASSWORD)
    client.admin_confirm_sign_up(UserPoolId=pool, Username="carl")
    envelope(trigger.seen[1], "PostConfirmation_ConfirmSignUp", pool, "carl",
             "CLIENT_ID_NOT_APPLICABLE")  # fmt: skip

    client.forgot_password(ClientId=app, Username="bob")
    client.confirm_forgot_password(ClientId=app, Username="bob", Password="New-Horse-10",
                                   ConfirmationCode=mock.outbox[-1].code)  # fmt: skip
    envelope(trigger.seen[2], "PostConfirmation_ConfirmForgotPassword", pool, "bob", app)


def test_post_confirmation_failure_reports_but_user_stays_confirmed(
    mock: CognitoMock, client: Any
) -> None:
    pool = make_pool(client, "PostConfirmation")
    app = make_app(client, pool)
    mock.triggers.register("PostConfirmation", rejecting("crm down"))
    client.sign_up(ClientId=app, Username="bob", Password=PASSWORD)
    fails(client.admin_confirm_sign_up, "UserLambdaValidationException",
          "PostConfirmation failed with error crm down.", UserPoolId=pool, Username="bob")  # fmt: skip
    assert client.admin_get_user(UserPoolId=pool, Username="bob")["UserStatus"] == "CONFIRMED"


# --- PreAuthentication / PostAuthentication -----------------------------------------------------


def test_pre_authentication_event_and_rejection_wins(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreAuthentication")
    app = make_app(client, pool)
    make_user(client, pool)
    trigger = mock.triggers.register("PreAuthentication", recorder())
    sign_in(client, app, ClientMetadata={"ip": "1.2.3.4"})
    (event,) = trigger.seen
    envelope(event, "PreAuthentication_Authentication", pool, "alice", app)
    attrs = event["request"]["userAttributes"]
    assert attrs["email"] == "a@example.com" and attrs["cognito:user_status"] == "CONFIRMED"
    assert set(event["request"]) == {"userAttributes", "validationData"}
    assert event["request"]["validationData"] == {"ip": "1.2.3.4"}
    assert event["response"] == {}
    # Run before the password check: a wrong password still reaches the trigger ...
    fails(sign_in, "NotAuthorizedException", "Incorrect username or password.",
          client=client, app=app, password="Wrong-Horse-1")  # fmt: skip
    assert len(trigger.seen) == 2
    # ... and its rejection is the answer whether the password is right or wrong.
    mock.triggers.register("PreAuthentication", rejecting("Blocked"))
    for password in (PASSWORD, "Wrong-Horse-1"):
        fails(sign_in, "UserLambdaValidationException",
              "PreAuthentication failed with error Blocked.",
              client=client, app=app, password=password)  # fmt: skip
    # Admin flow and SRP start run it too.
    fails(client.admin_initiate_auth, "UserLambdaValidationException",
          "PreAuthentication failed with error Blocked.", UserPoolId=pool, ClientId=app,
          AuthFlow="ADMIN_USER_PASSWORD_AUTH",
          AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})  # fmt: skip


def test_pre_authentication_user_not_found_when_existence_hidden(
    mock: CognitoMock, client: Any
) -> None:
    pool = make_pool(client, "PreAuthentication")
    app = make_app(client, pool, PreventUserExistenceErrors="ENABLED")
    trigger = mock.triggers.register("PreAuthentication", recorder())
    fails(sign_in, "NotAuthorizedException", "Incorrect username or password.",
          client=client, app=app, name="ghost")  # fmt: skip
    (event,) = trigger.seen
    assert event["userName"] == "ghost"
    assert event["request"] == {"userAttributes": {}, "validationData": None, "userNotFound": True}
    make_user(client, pool)
    sign_in(client, app)
    assert trigger.seen[1]["request"]["userNotFound"] is False


def test_post_authentication(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PostAuthentication")
    app = make_app(client, pool)
    make_user(client, pool)
    trigger = mock.triggers.register("PostAuthentication", recorder())
    fails(sign_in, "NotAuthorizedException", "Incorrect username or password.",
          client=client, app=app, password="Wrong-Horse-1")  # fmt: skip
    assert trigger.seen == []  # only after every factor is proven
    sign_in(client, app, ClientMetadata={"a": "b"})
    (event,) = trigger.seen
    envelope(event, "PostAuthentication_Authentication", pool, "alice", app)
    # InitiateAuth does not pass ClientMetadata to Post authentication (API reference).
    assert set(event["request"]) == {"userAttributes", "newDeviceUsed"}
    assert event["request"]["newDeviceUsed"] is False
    mock.triggers.register("PostAuthentication", rejecting("audit failed"))
    fails(sign_in, "UserLambdaValidationException",
          "PostAuthentication failed with error audit failed.", client=client, app=app)  # fmt: skip


# --- PreTokenGeneration -------------------------------------------------------------------------


def verified(mock: CognitoMock, pool: str, token: str, **options: Any) -> dict[str, Any]:
    header = pyjwt.get_unverified_header(token)
    key = next(k for k in mock.jwks(pool)["keys"] if k["kid"] == header["kid"])
    return dict(
        pyjwt.decode(token, pyjwt.PyJWK(key).key, algorithms=["RS256"], issuer=mock.issuer(pool),
                     options={"verify_aud": False, "verify_exp": False}, **options)
    )  # fmt: skip


def test_pre_token_v1(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreTokenGeneration")
    app = make_app(client, pool)
    make_user(client, pool)
    client.create_group(UserPoolId=pool, GroupName="staff",
                        RoleArn="arn:aws:iam::123456789012:role/staff")  # fmt: skip
    client.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="staff")
    trigger = mock.triggers.register("PreTokenGeneration", recorder({
        "claimsOverrideDetails": {
            "claimsToAddOrOverride": {"tier": "gold", "email": "x@example.com", "sub": "evil",
                                      "cognito:groups": "nope", "token_use": "access"},
            "claimsToSuppress": ["email_verified", "iss", "aud"],
            "groupOverrideDetails": {"groupsToOverride": ["admins"],
                                     "iamRolesToOverride": ["arn:aws:iam::123456789012:role/a"],
                                     "preferredRole": "arn:aws:iam::123456789012:role/a"},
        }
    }))  # fmt: skip
    result = sign_in(client, app, ClientMetadata={"c": "d"})["AuthenticationResult"]
    (event,) = trigger.seen
    envelope(event, "TokenGeneration_Authentication", pool, "alice", app)
    assert event["request"]["groupConfiguration"] == {
        "groupsToOverride": ["staff"],
        "iamRolesToOverride": ["arn:aws:iam::123456789012:role/staff"],
        "preferredRole": "arn:aws:iam::123456789012:role/staff",
    }
    # Regression (issue 11, item 13): InitiateAuth passed its ClientMetadata to Pre token
    # generation; the API reference lists that trigger among those it does not reach.
    assert set(event["request"]) == {"userAttributes", "groupConfiguration"}
    assert event["response"] == {"claimsOverrideDetails": None}
    id_claims = verified(mock, pool, result["IdToken"], audience=app)
    access = verified(mock, pool, result["AccessToken"])
    assert id_claims["tier"] == "gold" and id_claims["email"] == "x@example.com"
    assert "email_verified" not in id_claims
    # Restricted claims are untouched.
    assert id_claims["sub"] == access["sub"] != "evil" and id_claims["token_use"] == "id"
    assert id_claims["aud"] == app and id_claims["iss"] == mock.issuer(pool)
    assert id_claims["cognito:groups"] == ["admins"] == access["cognito:groups"]
    assert id_claims["cognito:roles"] == ["arn:aws:iam::123456789012:role/a"]
    assert id_claims["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/a"
    assert "tier" not in access  # V1 changes the ID token only
    # A refresh runs it again with its own source; V1 values must be strings.
    client.initiate_auth(ClientId=app, AuthFlow="REFRESH_TOKEN_AUTH",
                         AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]})  # fmt: skip
    assert trigger.seen[1]["triggerSource"] == "TokenGeneration_RefreshTokens"
    mock.triggers.register("PreTokenGeneration", recorder(
        {"claimsOverrideDetails": {"claimsToAddOrOverride": {"n": 1}}}))  # fmt: skip
    fails(sign_in, "InvalidLambdaResponseException",
          "Invalid lambda function output : Invalid JSON", client=client, app=app)  # fmt: skip
    mock.triggers.register("PreTokenGeneration", rejecting("no tokens today"))
    fails(sign_in, "UserLambdaValidationException",
          "PreTokenGeneration failed with error no tokens today.", client=client, app=app)  # fmt: skip


@pytest.mark.parametrize("version", ["V2_0", "V3_0"])
def test_pre_token_v2_v3(mock: CognitoMock, client: Any, version: str) -> None:
    pool = make_pool(client, LambdaConfig={
        "PreTokenGenerationConfig": {"LambdaVersion": version, "LambdaArn": ARN}})  # fmt: skip
    app = make_app(client, pool)
    make_user(client, pool)
    trigger = mock.triggers.register("PreTokenGeneration", recorder({
        "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": {"roles": ["a", "b"]},
                                  "claimsToSuppress": ["email"]},
            "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": {"id": 7},
                                                                 "scope": "admin"},
                                      "claimsToSuppress": ["username"],
                                      "scopesToAdd": ["api/read", "api/write"],
                                      "scopesToSuppress": ["api/write"]},
        }
    }))  # fmt: skip
    result = sign_in(client, app)["AuthenticationResult"]
    (event,) = trigger.seen
    assert event["version"] == version[1]
    assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    assert event["response"] == {"claimsAndScopeOverrideDetails": None}
    id_claims = verified(mock, pool, result["IdToken"], audience=app)
    access = verified(mock, pool, result["AccessToken"])
    assert id_claims["roles"] == ["a", "b"] and "email" not in id_claims
    assert access["tenant"] == {"id": 7} and "username" not in access
    assert access["scope"] == "aws.cognito.signin.user.admin api/read"
    assert client.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"
    # Suppressing the admin scope makes the token useless for the user's own API calls.
    mock.triggers.register("PreTokenGeneration", recorder({"claimsAndScopeOverrideDetails": {
        "accessTokenGeneration": {"scopesToSuppress": ["aws.cognito.signin.user.admin"]}}}))  # fmt: skip
    token = sign_in(client, app)["AuthenticationResult"]["AccessToken"]
    assert "scope" not in verified(mock, pool, token)
    fails(client.get_user, "NotAuthorizedException", "Access Token does not have required scopes",
          AccessToken=token)  # fmt: skip


def test_pre_token_new_password_source(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "PreTokenGeneration")
    app = make_app(client, pool)
    client.admin_create_user(UserPoolId=pool, Username="alice", TemporaryPassword=PASSWORD,
                             MessageAction="SUPPRESS")  # fmt: skip
    trigger = mock.triggers.register("PreTokenGeneration", recorder())
    challenge = sign_in(client, app)
    client.respond_to_auth_challenge(
        ClientId=app, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": "New-Horse-10"},
    )  # fmt: skip
    assert [e["triggerSource"] for e in trigger.seen] == ["TokenGeneration_NewPasswordChallenge"]


# --- UserMigration ------------------------------------------------------------------------------


def migrating(status: str | None = None, **extra: Any) -> Any:
    def trigger(event: dict[str, Any]) -> dict[str, Any]:
        if event["userName"] != "legacy" or event["request"].get("password") not in (
            None,
            "Old-Horse-1",
        ):
            raise ValueError("Bad credentials")
        event["response"]["userAttributes"] = {"email": "l@example.com", "email_verified": "true"}
        if status:
            event["response"]["finalUserStatus"] = status
        event["response"].update(extra)
        return event

    return trigger


def test_user_migration_at_sign_in(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "UserMigration")
    app = make_app(client, pool)
    mock.triggers.register("UserMigration", migrating("CONFIRMED", messageAction="SUPPRESS"))
    fails(sign_in, "UserLambdaValidationException", "UserMigration failed with error Bad credentials.",
          client=client, app=app, name="legacy", password="Wrong-Horse-1")  # fmt: skip
    assert client.list_users(UserPoolId=pool)["Users"] == []
    result = sign_in(client, app, name="legacy", password="Old-Horse-1", ClientMetadata={"x": "y"})
    assert "AuthenticationResult" in result
    event = mock.triggers.events[-1]
    envelope(event, "UserMigration_Authentication", pool, "legacy", app)
    assert event["request"] == {"validationData": {"x": "y"}, "password": "Old-Horse-1"}
    user = client.admin_get_user(UserPoolId=pool, Username="legacy")
    assert user["UserStatus"] == "CONFIRMED"
    # Known now: no second migration, the stored password is checked.
    sign_in(client, app, name="legacy", password="Old-Horse-1")
    assert len(mock.triggers.events) == 2
    # The admin password flow migrates too.
    mock.triggers.register("UserMigration", recorder({"userAttributes": {"name": "Admin Flow"}}))
    # The default final status is RESET_REQUIRED.
    fails(client.admin_initiate_auth, "PasswordResetRequiredException",
          "Password reset required for the user", UserPoolId=pool, ClientId=app,
          AuthFlow="ADMIN_USER_PASSWORD_AUTH",
          AuthParameters={"USERNAME": "second", "PASSWORD": "Any-Horse-2"})  # fmt: skip
    assert (
        client.admin_get_user(UserPoolId=pool, Username="second")["UserStatus"] == "RESET_REQUIRED"
    )


def test_user_migration_malformed_answers(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "UserMigration")
    app = make_app(client, pool)
    mock.triggers.register("UserMigration", recorder({"finalUserStatus": "CONFIRMED"}))
    fails(sign_in, "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON",
          client=client, app=app, name="legacy")  # fmt: skip
    mock.triggers.register("UserMigration", recorder({"userAttributes": {"custom:nope": "1"}}))
    with pytest.raises(ClientError) as caught:
        sign_in(client, app, name="legacy")
    assert caught.value.response["Error"]["Code"] == "InvalidLambdaResponseException"
    assert caught.value.response["Error"]["Message"].startswith("Invalid lambda function output : ")
    assert client.list_users(UserPoolId=pool)["Users"] == []


def test_user_migration_forgot_password(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "UserMigration")
    app = make_app(client, pool)
    mock.triggers.register("UserMigration", migrating("CONFIRMED"))
    result = client.forgot_password(ClientId=app, Username="legacy")
    assert result["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    event = mock.triggers.events[-1]
    envelope(event, "UserMigration_ForgotPassword", pool, "legacy", app)
    assert event["request"] == {"validationData": None}  # no password for this source
    assert (
        client.admin_get_user(UserPoolId=pool, Username="legacy")["UserStatus"] == "RESET_REQUIRED"
    )
    client.confirm_forgot_password(ClientId=app, Username="legacy", Password="New-Horse-10",
                                   ConfirmationCode=mock.outbox[-1].code)  # fmt: skip
    assert "AuthenticationResult" in sign_in(client, app, name="legacy", password="New-Horse-10")
    fails(client.forgot_password, "UserLambdaValidationException",
          "UserMigration failed with error Bad credentials.", ClientId=app, Username="nobody")  # fmt: skip


# --- CustomMessage ------------------------------------------------------------------------------


def test_custom_message_sign_up_and_resend(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "CustomMessage", AutoVerifiedAttributes=["phone_number"])
    app = make_app(client, pool)
    trigger = mock.triggers.register("CustomMessage", recorder({"smsMessage": "Code: {####}!"}))
    client.sign_up(ClientId=app, Username="bob", Password=PASSWORD,
                   UserAttributes=[{"Name": "phone_number", "Value": "+15550001111"}],
                   ClientMetadata={"lang": "fr"})  # fmt: skip
    message = mock.outbox[-1]
    assert message.body == f"Code: {message.code}!" and message.medium == "SMS"
    (event,) = trigger.seen
    envelope(event, "CustomMessage_SignUp", pool, "bob", app)
    assert event["request"]["codeParameter"] == "{####}"
    assert event["request"]["usernameParameter"] is None
    assert event["request"]["clientMetadata"] == {"lang": "fr"}
    assert event["request"]["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    assert event["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    client.resend_confirmation_code(ClientId=app, Username="bob")
    assert trigger.seen[1]["triggerSource"] == "CustomMessage_ResendCode"
    # A message without the code parameter is refused (and the sign-up taken back).
    mock.triggers.register("CustomMessage", recorder({"smsMessage": "no code"}))
    fails(client.sign_up, "InvalidLambdaResponseException",
          "Invalid lambda function output : smsMessage must contain {####}", ClientId=app,
          Username="carl", Password=PASSWORD,
          UserAttributes=[{"Name": "phone_number", "Value": "+15550002222"}])  # fmt: skip
    fails(client.admin_get_user, "UserNotFoundException", "User does not exist.",
          UserPoolId=pool, Username="carl")  # fmt: skip
    # No answer: the pool's template.
    mock.triggers.register("CustomMessage", recorder())
    client.resend_confirmation_code(ClientId=app, Username="bob")
    assert mock.outbox[-1].body.startswith("Your verification code is ")


def test_custom_message_email_needs_developer_sending(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "CustomMessage", AutoVerifiedAttributes=["email"])
    app = make_app(client, pool)
    custom = {"emailMessage": "Hi {####}", "emailSubject": "Welcome"}
    mock.triggers.register("CustomMessage", recorder(custom))
    fails(client.sign_up, "InvalidLambdaResponseException",
          "Invalid lambda function output : emailMessage and emailSubject require "
          "EmailSendingAccount DEVELOPER", ClientId=app, Username="bob", Password=PASSWORD,
          UserAttributes=[{"Name": "email", "Value": "b@example.com"}])  # fmt: skip
    developer = make_pool(client, "CustomMessage", AutoVerifiedAttributes=["email"],
                          EmailConfiguration={
                              "EmailSendingAccount": "DEVELOPER",
                              "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/x.com"})  # fmt: skip
    app = make_app(client, developer)
    client.sign_up(ClientId=app, Username="bob", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": "b@example.com"}])  # fmt: skip
    message = mock.outbox[-1]
    assert (message.subject, message.body) == ("Welcome", f"Hi {message.code}")


def test_custom_message_admin_create_user_needs_username(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "CustomMessage")
    trigger = mock.triggers.register("CustomMessage", recorder({"smsMessage": "Pw {####}"}))
    phone = [{"Name": "phone_number", "Value": "+15550001111"}]
    fails(client.admin_create_user, "InvalidLambdaResponseException",
          "Invalid lambda function output : smsMessage must contain {username}",
          UserPoolId=pool, Username="bob", UserAttributes=phone)  # fmt: skip
    assert client.list_users(UserPoolId=pool)["Users"] == []
    event = trigger.seen[0]
    envelope(event, "CustomMessage_AdminCreateUser", pool, "bob", "CLIENT_ID_NOT_APPLICABLE")
    assert event["request"]["usernameParameter"] == "{username}"
    mock.triggers.register("CustomMessage", recorder({"smsMessage": "{username} / {####}"}))
    client.admin_create_user(UserPoolId=pool, Username="bob", UserAttributes=phone)
    message = mock.outbox[-1]
    assert message.body == f"bob / {message.code}" and message.purpose == "invitation"


def test_custom_message_recovery_and_attribute_sources(mock: CognitoMock, client: Any) -> None:
    pool = make_pool(client, "CustomMessage", AutoVerifiedAttributes=["phone_number"])
    app = make_app(client, pool)
    make_user(client, pool, phone_number="+15550001111", phone_number_verified="true")
    trigger = mock.triggers.register("CustomMessage", recorder({"smsMessage": "C {####}"}))
    client.forgot_password(ClientId=app, Username="alice")
    client.admin_reset_user_password(UserPoolId=pool, Username="alice")
    client.admin_set_user_password(UserPoolId=pool, Username="alice", Password=PASSWORD,
                                   Permanent=True)  # fmt: skip
    token = sign_in(client, app)["AuthenticationResult"]["AccessToken"]
    client.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "phone_number", "Value": "+15550002222"}]
    )
    client.get_user_attribute_verification_code(AccessToken=token, AttributeName="phone_number")
    assert [e["triggerSource"] for e in trigger.seen] == [
        "CustomMessage_ForgotPassword",
        "CustomMessage_ForgotPassword",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_VerifyUserAttribute",
    ]
    assert trigger.seen[2]["callerContext"]["clientId"] == app  # from the access token
    assert all(m.body == f"C {m.code}" for m in mock.outbox)
