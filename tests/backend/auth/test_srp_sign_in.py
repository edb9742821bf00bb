"""USER_SRP_AUTH and choice-based USER_AUTH through boto3, answered with pycognito's SRP math."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest
from pycognito import aws_srp

from cognito_mock import ManualClock
from cognito_mock.backend.crypto.srp import format_timestamp
from tests.helpers import PASSWORD

INCORRECT = ("NotAuthorizedException", "Incorrect username or password.")


@pytest.fixture
def clock() -> ManualClock:
    # Near real time: pycognito stamps TIMESTAMP from the system clock.
    return ManualClock()


def srp_client(pool_id: str, client_id: str, username: str, password: str = PASSWORD,
               secret: str | None = None) -> aws_srp.AWSSRP:  # fmt: skip
    return aws_srp.AWSSRP(
        username=username, password=password, pool_id=pool_id, client_id=client_id,
        client=object(), client_secret=secret,
    )  # fmt: skip


def answer_with(aws: aws_srp.AWSSRP, params: dict[str, str], timestamp: str) -> dict[str, str]:
    """pycognito's PASSWORD_VERIFIER answer, but signed over a TIMESTAMP of our choosing."""
    answer = aws.process_challenge(params, {"USERNAME": params["USERNAME"]})
    key = aws.get_password_authentication_key(
        params["USER_ID_FOR_SRP"],
        aws.password,
        aws_srp.hex_to_long(params["SRP_B"]),
        params["SALT"],
    )
    message = (
        aws.pool_id.split("_")[1].encode() + params["USER_ID_FOR_SRP"].encode()
        + base64.b64decode(params["SECRET_BLOCK"]) + timestamp.encode()
    )  # fmt: skip
    signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    answer.update({"TIMESTAMP": timestamp, "PASSWORD_CLAIM_SIGNATURE": signature})
    return answer


def start(client: Any, app: str, aws: aws_srp.AWSSRP, **extra: str) -> dict[str, Any]:
    return dict(
        client.initiate_auth(
            ClientId=app, AuthFlow="USER_SRP_AUTH",
            AuthParameters={**aws.get_auth_params(), **extra},
        )
    )  # fmt: skip


def respond(client: Any, app: str, answer: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    return dict(
        client.respond_to_auth_challenge(
            ClientId=app, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer, **kwargs
        )
    )


def test_srp_sign_in(client, pool_id, app, make_user, clock):
    make_user()
    aws = srp_client(pool_id, app, "alice")
    challenge = start(client, app, aws)
    params = challenge["ChallengeParameters"]
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER" and "Session" not in challenge
    assert set(params) == {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"}
    assert params["USERNAME"] == params["USER_ID_FOR_SRP"] == "alice"
    assert len(params["SALT"]) == 32
    answer = answer_with(aws, params, format_timestamp(clock.now()))
    result = respond(client, app, answer)
    assert "IdToken" in result["AuthenticationResult"]


def test_salt_is_stable_per_user(client, pool_id, app, make_user):
    make_user()
    aws = srp_client(pool_id, app, "alice")
    first = start(client, app, aws)["ChallengeParameters"]
    second = start(client, app, aws)["ChallengeParameters"]
    assert first["SALT"] == second["SALT"] and first["SRP_B"] != second["SRP_B"]


def test_wrong_password_fails_at_the_verifier(client, pool_id, app, make_user, clock, fails):
    make_user()
    aws = srp_client(pool_id, app, "alice", password="Wrong-Horse-9")
    params = start(client, app, aws)["ChallengeParameters"]
    answer = answer_with(aws, params, format_timestamp(clock.now()))
    fails(respond, *INCORRECT, client=client, app=app, answer=answer)


def test_tampered_signature_and_replay(client, pool_id, app, make_user, clock, fails):
    make_user()
    aws = srp_client(pool_id, app, "alice")
    params = start(client, app, aws)["ChallengeParameters"]
    answer = answer_with(aws, params, format_timestamp(clock.now()))
    bad = dict(answer, PASSWORD_CLAIM_SIGNATURE=base64.b64encode(b"\0" * 32).decode())
    fails(respond, *INCORRECT, client=client, app=app, answer=bad)
    # The round is spent even by a wrong proof: the right one no longer works.
    fails(respond, *INCORRECT, client=client, app=app, answer=answer)


def test_timestamp_rules(client, pool_id, app, make_user, clock, fails):
    make_user()
    aws = srp_client(pool_id, app, "alice")
    # Not the service's format at all.
    params = start(client, app, aws)["ChallengeParameters"]
    fails(
        respond, "InvalidParameterException",
        "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        client=client, app=app, answer=answer_with(aws, params, "2026-01-01T00:00:00Z"),
    )  # fmt: skip
    # Parses, but not the canonical rendering (zero-padded day), though correctly signed.
    canonical = "Fri Nov 6 05:07:09 UTC 2026"
    clock.set(1793941629.0)  # that very instant
    params = start(client, app, aws)["ChallengeParameters"]
    padded = answer_with(aws, params, canonical.replace(" 6 ", " 06 "))
    fails(respond, *INCORRECT, client=client, app=app, answer=padded)
    # Canonical but too far from the server clock.
    params = start(client, app, aws)["ChallengeParameters"]
    stale = answer_with(aws, params, format_timestamp(clock.now() - 3600))
    fails(respond, *INCORRECT, client=client, app=app, answer=stale)
    params = start(client, app, aws)["ChallengeParameters"]
    assert respond(client, app, answer_with(aws, params, canonical))["AuthenticationResult"]


def test_missing_srp_parameters(client, app, fails):
    fails(
        client.initiate_auth, "InvalidParameterException", "Missing required parameter SRP_A",
        ClientId=app, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "alice"},
    )  # fmt: skip
    fails(
        respond, "InvalidParameterException", "Missing required parameter TIMESTAMP",
        client=client, app=app,
        answer={"USERNAME": "a", "PASSWORD_CLAIM_SECRET_BLOCK": "x", "PASSWORD_CLAIM_SIGNATURE": "y"},
    )  # fmt: skip


def test_bad_srp_a(client, pool_id, app, make_user, fails):
    make_user()
    fails(
        client.initiate_auth, "InvalidParameterException", "SRP_A is not a valid value.",
        ClientId=app, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "alice", "SRP_A": "0"},
    )  # fmt: skip


def test_unknown_user_legacy_and_simulated(client, pool_id, make_client, clock, fails):
    legacy = make_client()["ClientId"]
    hiding = make_client(PreventUserExistenceErrors="ENABLED")["ClientId"]
    aws = srp_client(pool_id, legacy, "ghost")
    fails(
        start, "UserNotFoundException", "User does not exist.", client=client, app=legacy, aws=aws
    )
    aws = srp_client(pool_id, hiding, "ghost")
    first = start(client, hiding, aws)["ChallengeParameters"]
    second = start(client, hiding, aws)["ChallengeParameters"]
    assert first["SALT"] == second["SALT"]
    assert first["USER_ID_FOR_SRP"] == second["USER_ID_FOR_SRP"] != "ghost"
    answer = answer_with(aws, first, format_timestamp(clock.now()))
    fails(respond, *INCORRECT, client=client, app=hiding, answer=answer)


def test_secret_hash_on_both_steps(client, pool_id, make_client, make_user, clock, fails,
                                   secret_hash):  # fmt: skip
    make_user()
    made = make_client(GenerateSecret=True)
    cid, secret = made["ClientId"], made["ClientSecret"]
    aws = srp_client(pool_id, cid, "alice", secret=secret)
    params = start(client, cid, aws)["ChallengeParameters"]
    answer = answer_with(aws, params, format_timestamp(clock.now()))
    assert answer["SECRET_HASH"] == secret_hash(secret, "alice", cid)
    fails(
        respond, "NotAuthorizedException", f"SecretHash does not match for the client: {cid}",
        client=client, app=cid, answer=dict(answer, SECRET_HASH=secret_hash("x", "alice", cid)),
    )  # fmt: skip
    assert respond(client, cid, answer)["AuthenticationResult"]["IdToken"]


def test_srp_with_alias_uses_the_internal_username(client, clock):
    pool = client.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    cid = client.create_user_pool_client(UserPoolId=pool, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    sub = client.admin_create_user(
        UserPoolId=pool, Username="a@example.com", TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
    )["User"]["Username"]  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=pool, Username="a@example.com", Password=PASSWORD, Permanent=True
    )
    aws = srp_client(pool, cid, "a@example.com")
    params = start(client, cid, aws)["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == params["USERNAME"] == sub
    answered = respond(client, cid, answer_with(aws, params, format_timestamp(clock.now())))
    assert answered["AuthenticationResult"]["IdToken"]


def test_srp_lockout(client, pool_id, app, make_user, clock, fails):
    make_user()
    wrong = srp_client(pool_id, app, "alice", password="Wrong-Horse-9")
    for _ in range(5):
        params = start(client, app, wrong)["ChallengeParameters"]
        fails(respond, *INCORRECT, client=client, app=app,
              answer=answer_with(wrong, params, format_timestamp(clock.now())))  # fmt: skip
    right = srp_client(pool_id, app, "alice")
    params = start(client, app, right)["ChallengeParameters"]
    fails(
        respond, "NotAuthorizedException", "Password attempts exceeded", client=client, app=app,
        answer=answer_with(right, params, format_timestamp(clock.now())),
    )  # fmt: skip


# --- USER_AUTH (choice-based) -----------------------------------------------------------------


def user_auth(client: Any, app: str, **params: str) -> dict[str, Any]:
    return dict(client.initiate_auth(ClientId=app, AuthFlow="USER_AUTH", AuthParameters=params))


def test_user_auth_preferred_password(client, app, make_user, fails):
    make_user()
    result = user_auth(client, app, USERNAME="alice", PREFERRED_CHALLENGE="PASSWORD",
                       PASSWORD=PASSWORD)  # fmt: skip
    assert result["AuthenticationResult"]["AccessToken"]
    fails(user_auth, *INCORRECT, client=client, app=app, USERNAME="alice",
          PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wrong-1a!")  # fmt: skip
    fails(user_auth, "InvalidParameterException", "Missing required parameter PASSWORD",
          client=client, app=app, USERNAME="alice", PREFERRED_CHALLENGE="PASSWORD")  # fmt: skip


def test_user_auth_preferred_srp(client, pool_id, app, make_user, clock):
    make_user()
    aws = srp_client(pool_id, app, "alice")
    challenge = user_auth(client, app, USERNAME="alice", PREFERRED_CHALLENGE="PASSWORD_SRP",
                          SRP_A=aws.get_auth_params()["SRP_A"])  # fmt: skip
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER" and challenge["Session"]
    answer = answer_with(aws, challenge["ChallengeParameters"], format_timestamp(clock.now()))
    result = respond(client, app, answer, Session=challenge["Session"])
    assert result["AuthenticationResult"]["IdToken"]


def test_user_auth_select_challenge(client, pool_id, app, make_user, clock, fails):
    make_user()
    first = user_auth(client, app, USERNAME="alice")
    assert first["ChallengeName"] == "SELECT_CHALLENGE"
    assert first["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    select = {"ClientId": app, "ChallengeName": "SELECT_CHALLENGE", "Session": first["Session"]}
    fails(client.respond_to_auth_challenge, "InvalidParameterException",
          "Missing required parameter ANSWER", ChallengeResponses={"USERNAME": "alice"},
          **select)  # fmt: skip
    fails(client.respond_to_auth_challenge, *INCORRECT, **select,
          ChallengeResponses={"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": "x"})  # fmt: skip
    done = client.respond_to_auth_challenge(
        **select,
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert done["AuthenticationResult"]["IdToken"]
    fails(client.respond_to_auth_challenge, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.", **select,
          ChallengeResponses={"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD})  # fmt: skip
    # SRP chosen from the menu.
    aws = srp_client(pool_id, app, "alice")
    menu = user_auth(client, app, USERNAME="alice")
    verifier = client.respond_to_auth_challenge(
        ClientId=app, ChallengeName="SELECT_CHALLENGE", Session=menu["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "PASSWORD_SRP",
                            "SRP_A": aws.get_auth_params()["SRP_A"]},
    )  # fmt: skip
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = answer_with(aws, verifier["ChallengeParameters"], format_timestamp(clock.now()))
    assert respond(client, app, answer, Session=verifier["Session"])["AuthenticationResult"]


def test_user_auth_needs_the_flow(client, make_client, make_user, fails):
    make_user()
    cid = make_client(ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["ClientId"]
    fails(user_auth, "InvalidParameterException", "USER_AUTH flow not enabled for this client",
          client=client, app=cid, USERNAME="alice")  # fmt: skip
