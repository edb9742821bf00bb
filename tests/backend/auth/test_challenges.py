"""NEW_PASSWORD_REQUIRED and challenge sessions (single use, expiry) through boto3."""

from __future__ import annotations

import json

from tests.helpers import PASSWORD

NEW = "Brand-New-Pass1"


def start(client, app, username="alice", password=PASSWORD, **extra):
    return client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password, **extra},
    )  # fmt: skip


def answer(client, app, session, **responses):
    responses.setdefault("USERNAME", "alice")
    return client.respond_to_auth_challenge(
        ClientId=app, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session,
        ChallengeResponses=responses,
    )  # fmt: skip


def test_new_password_required(client, pool_id, app, make_user, sign_in, fails):
    make_user(temporary=True, attributes={"email": "a@example.com", "email_verified": "true"})
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == "alice"
    assert json.loads(params["requiredAttributes"]) == []
    assert json.loads(params["userAttributes"]) == {
        "email": "a@example.com",
        "email_verified": "true",
    }
    assert 20 <= len(challenge["Session"]) <= 4096
    fails(answer, "InvalidParameterException", "Missing required parameter NEW_PASSWORD",
          client=client, app=app, session=challenge["Session"])  # fmt: skip
    fails(answer, "InvalidPasswordException",
          "Password did not conform with policy: Password not long enough",
          client=client, app=app, session=challenge["Session"], NEW_PASSWORD="Ab1!")  # fmt: skip
    done = answer(client, app, challenge["Session"], NEW_PASSWORD=NEW)
    assert done["AuthenticationResult"]["IdToken"]
    user = client.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    fails(answer, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.",
          client=client, app=app, session=challenge["Session"], NEW_PASSWORD=NEW)  # fmt: skip
    assert sign_in(app, password=NEW)["AccessToken"]
    fails(sign_in, "NotAuthorizedException", "Incorrect username or password.", client_id=app)


def test_required_attributes(client, make_client, fails):
    pool = client.create_user_pool(
        PoolName="p", Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True}]
    )["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    pool_model = client.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert any(a["Name"] == "name" and a["Required"] for a in pool_model["SchemaAttributes"])
    client.admin_create_user(UserPoolId=pool, Username="alice", TemporaryPassword=PASSWORD,
                             MessageAction="SUPPRESS",
                             UserAttributes=[{"Name": "name", "Value": "Al"}])  # fmt: skip
    # `name` is already set: nothing is required, and it cannot be changed here.
    challenge = start(client, app)
    assert json.loads(challenge["ChallengeParameters"]["requiredAttributes"]) == []
    fails(answer, "InvalidParameterException", "Cannot modify an already provided name",
          client=client, app=app, session=challenge["Session"], NEW_PASSWORD=NEW,
          **{"userAttributes.name": "Other"})  # fmt: skip
    assert answer(client, app, challenge["Session"], NEW_PASSWORD=NEW,
                  **{"userAttributes.name": "Al"})["AuthenticationResult"]  # fmt: skip


def test_missing_required_attribute(client, mock, fails):
    pool = client.create_user_pool(
        PoolName="p", Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True}]
    )["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(UserPoolId=pool, Username="alice", TemporaryPassword=PASSWORD,
                             MessageAction="SUPPRESS",
                             UserAttributes=[{"Name": "name", "Value": "Al"}])  # fmt: skip
    del mock.backend().pool(pool).users.get("alice").attributes["name"]  # e.g. an imported user
    challenge = start(client, app)
    required = json.loads(challenge["ChallengeParameters"]["requiredAttributes"])
    assert required == ["userAttributes.name"]
    fails(answer, "InvalidParameterException", "Invalid attributes given, name is missing",
          client=client, app=app, session=challenge["Session"], NEW_PASSWORD=NEW)  # fmt: skip
    done = answer(
        client, app, challenge["Session"], NEW_PASSWORD=NEW, **{"userAttributes.name": "B"}
    )
    assert done["AuthenticationResult"]


def test_session_expires(client, app, make_user, clock, fails):
    make_user(temporary=True)
    challenge = start(client, app)
    clock.advance(180)
    session = challenge["Session"]
    clock.advance(1)
    fails(answer, "NotAuthorizedException", "Invalid session for the user, session is expired.",
          client=client, app=app, session=session, NEW_PASSWORD=NEW)  # fmt: skip


def test_session_validity_follows_the_client(client, make_client, make_user, clock):
    make_user(temporary=True)
    cid = make_client(AuthSessionValidity=15)["ClientId"]
    challenge = start(client, cid)
    clock.advance(14 * 60)
    assert answer(client, cid, challenge["Session"], NEW_PASSWORD=NEW)["AuthenticationResult"]


def test_garbage_session_and_wrong_client(client, make_client, make_user, fails):
    make_user(temporary=True)
    one, two = make_client()["ClientId"], make_client()["ClientId"]
    session = start(client, one)["Session"]
    for cid, token in ((one, "x" * 40), (two, session)):
        fails(answer, "NotAuthorizedException", "Invalid session for the user.",
              client=client, app=cid, session=token, NEW_PASSWORD=NEW)  # fmt: skip


def test_temporary_password_expiry(client, app, make_user, clock, fails):
    make_user(temporary=True)
    clock.advance(days=7, seconds=1)
    fails(start, "NotAuthorizedException",
          "Temporary password has expired and must be reset by an administrator.",
          client=client, app=app)  # fmt: skip


def test_challenge_secret_hash_uses_internal_username(client, make_client, make_user, fails,
                                                      secret_hash):  # fmt: skip
    make_user(temporary=True)
    made = make_client(GenerateSecret=True)
    cid, secret = made["ClientId"], made["ClientSecret"]
    challenge = start(client, cid, SECRET_HASH=secret_hash(secret, "alice", cid))
    fails(answer, "NotAuthorizedException",
          f"Client {cid} is configured with secret but SECRET_HASH was not received",
          client=client, app=cid, session=challenge["Session"], NEW_PASSWORD=NEW)  # fmt: skip
    fails(answer, "NotAuthorizedException", f"SecretHash does not match for the client: {cid}",
          client=client, app=cid, session=challenge["Session"], NEW_PASSWORD=NEW,
          SECRET_HASH=secret_hash(secret, "bob", cid))  # fmt: skip
    done = answer(client, cid, challenge["Session"], NEW_PASSWORD=NEW,
                  SECRET_HASH=secret_hash(secret, "alice", cid))  # fmt: skip
    assert done["AuthenticationResult"]


def test_admin_respond(client, pool_id, app, make_user):
    make_user(temporary=True)
    challenge = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    done = client.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=app, ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"], ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": NEW},
    )  # fmt: skip
    assert done["AuthenticationResult"]["IdToken"]


def test_new_password_cannot_take_another_users_email_username(client, fails):
    pool_id = client.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(UserPoolId=pool_id, Username="b@example.com", MessageAction="SUPPRESS")
    client.admin_create_user(
        UserPoolId=pool_id, Username="a@example.com", MessageAction="SUPPRESS",
        TemporaryPassword=PASSWORD,
    )  # fmt: skip
    challenge = start(client, app, username="a@example.com")
    sub = challenge["ChallengeParameters"]["USER_ID_FOR_SRP"]
    fails(answer, "AliasExistsException", "An account with the email already exists.",
          client=client, app=app, session=challenge["Session"], USERNAME=sub, NEW_PASSWORD=NEW,
          **{"userAttributes.email": "b@example.com"})  # fmt: skip
    taken = client.admin_get_user(UserPoolId=pool_id, Username="b@example.com")
    assert taken["Username"] != sub  # b@example.com still finds its own user
    mine = client.admin_get_user(UserPoolId=pool_id, Username="a@example.com")
    assert (mine["Username"], mine["UserStatus"]) == (sub, "FORCE_CHANGE_PASSWORD")
