"""USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH through boto3: flow
permissions, parameters, SECRET_HASH, user states, existence errors, lockout."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock
from tests.helpers import PASSWORD

INCORRECT = ("NotAuthorizedException", "Incorrect username or password.")


def test_user_password_auth_issues_tokens(client, app, make_user, sign_in):
    make_user()
    result = sign_in(app)
    assert set(result) == {"AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken"}
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600


def test_response_has_empty_challenge_parameters_and_no_session(client, app, make_user):
    make_user()
    answer = client.initiate_auth(
        ClientId=app,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert answer["ChallengeParameters"] == {} and "Session" not in answer


def test_wrong_password_is_refused(client, app, make_user, fails):
    make_user()
    fails(
        client.initiate_auth, *INCORRECT, ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD + "x"},
    )  # fmt: skip


@pytest.mark.parametrize("flow", ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"])
def test_admin_password_flows(client, pool_id, app, make_user, fails, flow):
    make_user()
    good = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow=flow,
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert "IdToken" in good["AuthenticationResult"]
    fails(
        client.admin_initiate_auth, *INCORRECT, UserPoolId=pool_id, ClientId=app, AuthFlow=flow,
        AuthParameters={"USERNAME": "alice", "PASSWORD": "nope"},
    )  # fmt: skip


def test_flows_must_be_allowed_by_the_client(client, pool_id, make_client, make_user, fails):
    make_user()
    srp_only = make_client(ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])["ClientId"]
    params = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    fails(
        client.initiate_auth, "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
        ClientId=srp_only, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params,
    )  # fmt: skip
    fails(
        client.admin_initiate_auth, "InvalidParameterException",
        "Auth flow not enabled for this client", UserPoolId=pool_id, ClientId=srp_only,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=params,
    )  # fmt: skip
    fails(
        client.initiate_auth, "InvalidParameterException",
        "REFRESH_TOKEN_AUTH flow not enabled for this client",
        ClientId=srp_only, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": "x"},
    )  # fmt: skip
    pw_only = make_client(ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    fails(
        client.initiate_auth, "InvalidParameterException",
        "USER_SRP_AUTH flow not enabled for this client",
        ClientId=pw_only, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "a", "SRP_A": "1"},
    )  # fmt: skip


def test_legacy_flow_names_are_honoured(client, pool_id, make_client, make_user):
    make_user()
    legacy = make_client(ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"])["ClientId"]
    answer = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=legacy, AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert "AccessToken" in answer["AuthenticationResult"]


def test_admin_flows_are_not_initiate_auth_flows(client, app, fails):
    fails(
        client.initiate_auth, "InvalidParameterException", "Initiate Auth method not supported.",
        ClientId=app, AuthFlow="ADMIN_NO_SRP_AUTH", AuthParameters={"USERNAME": "a"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("params", "missing"),
    [({}, "USERNAME"), ({"PASSWORD": PASSWORD}, "USERNAME"), ({"USERNAME": "alice"}, "PASSWORD")],
)
def test_missing_auth_parameters(client, app, make_user, fails, params, missing):
    make_user()
    fails(
        client.initiate_auth, "InvalidParameterException", f"Missing required parameter {missing}",
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params,
    )  # fmt: skip


def test_unknown_client_and_pool(client, pool_id, fails):
    fails(
        client.initiate_auth, "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
        ClientId="nosuchclient", AuthFlow="USER_PASSWORD_AUTH", AuthParameters={},
    )  # fmt: skip


def test_secret_hash_is_required_and_checked(client, make_client, make_user, fails, secret_hash):
    make_user()
    made = make_client(GenerateSecret=True)
    cid, secret = made["ClientId"], made["ClientSecret"]
    base = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    kwargs: dict[str, Any] = {"ClientId": cid, "AuthFlow": "USER_PASSWORD_AUTH"}
    fails(
        client.initiate_auth, "NotAuthorizedException",
        f"Client {cid} is configured with secret but SECRET_HASH was not received",
        AuthParameters=base, **kwargs,
    )  # fmt: skip
    fails(
        client.initiate_auth, "NotAuthorizedException",
        f"SecretHash does not match for the client: {cid}",
        AuthParameters={**base, "SECRET_HASH": secret_hash("wrong", "alice", cid)}, **kwargs,
    )  # fmt: skip
    good = {**base, "SECRET_HASH": secret_hash(secret, "alice", cid)}
    assert "IdToken" in client.initiate_auth(AuthParameters=good, **kwargs)["AuthenticationResult"]


def test_unknown_user_legacy_vs_enabled(client, make_client, fails):
    legacy = make_client()["ClientId"]
    hiding = make_client(PreventUserExistenceErrors="ENABLED")["ClientId"]
    params = {"USERNAME": "ghost", "PASSWORD": PASSWORD}
    fails(
        client.initiate_auth, "UserNotFoundException", "User does not exist.",
        ClientId=legacy, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params,
    )  # fmt: skip
    fails(
        client.initiate_auth, *INCORRECT,
        ClientId=hiding, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params,
    )  # fmt: skip


def test_user_states(client, pool_id, app, make_user, fails, sign_in):
    make_user()
    client.admin_disable_user(UserPoolId=pool_id, Username="alice")
    fails(sign_in, "NotAuthorizedException", "User is disabled.", client_id=app)
    client.admin_enable_user(UserPoolId=pool_id, Username="alice")
    assert sign_in(app)["IdToken"]


def test_unconfirmed_user_even_with_wrong_password(client, pool_id, app, fails, sign_in):
    client.sign_up(ClientId=app, Username="bob", Password=PASSWORD)
    for password in (PASSWORD, "wrong-Password1"):
        fails(
            sign_in, "UserNotConfirmedException", "User is not confirmed.",
            client_id=app, username="bob", password=password,
        )  # fmt: skip
    client.admin_confirm_sign_up(UserPoolId=pool_id, Username="bob")
    assert sign_in(app, "bob")["AccessToken"]


def test_reset_required_user(mock, pool_id, app, make_user, fails, sign_in):
    make_user()
    mock.backend().pool(pool_id).users.get("alice").status = "RESET_REQUIRED"
    fails(
        sign_in, "PasswordResetRequiredException", "Password reset required for the user",
        client_id=app,
    )  # fmt: skip


def test_sign_in_with_an_email_username_pool(client):
    pool = client.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    cid = client.create_user_pool_client(
        UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    created = client.admin_create_user(
        UserPoolId=pool, Username="a@example.com", TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
    )["User"]  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=pool, Username="a@example.com", Password=PASSWORD, Permanent=True
    )
    answer = client.initiate_auth(
        ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "a@example.com", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert answer["AuthenticationResult"]["IdToken"]
    assert created["Username"] != "a@example.com"  # the sub is the internal username


# --- lockout (fact sheet section 10) ----------------------------------------------------------


def test_lockout_after_five_failures_doubles_and_expires(clock, app, make_user, fails, sign_in):
    make_user()
    for _ in range(5):
        fails(sign_in, *INCORRECT, client_id=app, password="Wrong-pass1")
    # Locked for 1 s: even the right password is refused, and that does not extend the lock.
    fails(sign_in, "NotAuthorizedException", "Password attempts exceeded", client_id=app)
    clock.advance(1)
    fails(sign_in, *INCORRECT, client_id=app, password="Wrong-pass1")  # 6th failure: 2 s
    clock.advance(1.5)
    fails(sign_in, "NotAuthorizedException", "Password attempts exceeded", client_id=app)
    clock.advance(0.5)
    assert sign_in(app)["IdToken"]  # success resets the count
    for _ in range(4):
        fails(sign_in, *INCORRECT, client_id=app, password="Wrong-pass1")
    assert sign_in(app)["IdToken"]


def test_lockout_is_capped_and_quiet_period_resets(clock, app, make_user, fails, sign_in):
    make_user()
    for _ in range(20):
        clock.advance(901)  # 15 quiet minutes reset the count, so never locked
        fails(sign_in, *INCORRECT, client_id=app, password="Wrong-pass1")
    assert sign_in(app)["IdToken"]


def test_lockout_applies_to_admin_flow(client, pool_id, app, make_user, fails):
    make_user()
    kwargs = {"UserPoolId": pool_id, "ClientId": app, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH"}
    for _ in range(5):
        fails(
            client.admin_initiate_auth, *INCORRECT,
            AuthParameters={"USERNAME": "alice", "PASSWORD": "x"}, **kwargs,
        )  # fmt: skip
    fails(
        client.admin_initiate_auth, "NotAuthorizedException", "Password attempts exceeded",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}, **kwargs,
    )  # fmt: skip


def test_mock_call_path_raises_library_errors():
    mock = CognitoMock(clock=ManualClock(1_790_000_000.0), seed=5)
    pool = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    cid = mock.call(
        "CreateUserPoolClient", UserPoolId=pool, ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    from cognito_mock.errors import UserNotFoundException

    with pytest.raises(UserNotFoundException, match=r"^User does not exist\.$"):
        mock.call(
            "InitiateAuth", ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "x", "PASSWORD": "y"},
        )  # fmt: skip
