"""Identities never cross (issue 11, items 9-11): tokens and challenge sessions are bound to the
user record they were issued for, and every pool has key material of its own, across mocks with
the same seed and across `reset()`. Verified with PyJWT, not with the mock's own helpers."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.errors import NotAuthorizedException, UserNotFoundException
from tests.helpers import PASSWORD

NOW = 1_790_000_000.0
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _world(mock: CognitoMock) -> tuple[str, str]:
    """A pool, an app client, and alice and bob with permanent passwords."""
    pool = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    app = mock.call("CreateUserPoolClient", UserPoolId=pool, ClientName="c",
                    ExplicitAuthFlows=FLOWS)["UserPoolClient"]["ClientId"]  # fmt: skip
    for name in ("alice", "bob"):
        mock.call("AdminCreateUser", UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
        mock.call("AdminSetUserPassword", UserPoolId=pool, Username=name, Password=PASSWORD,
                  Permanent=True)  # fmt: skip
    return pool, app


def _sign_in(mock: CognitoMock, app: str, name: str) -> dict[str, Any]:
    return mock.call(
        "InitiateAuth", ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip


def _verify(token: str, jwks: dict[str, Any], **options: Any) -> dict[str, Any]:
    """PyJWT's verification against a JWKS document, as an application does it."""
    kid = pyjwt.get_unverified_header(token)["kid"]
    found = [k for k in jwks["keys"] if k["kid"] == kid]
    if not found:
        raise pyjwt.InvalidTokenError(f"kid {kid} is not in the JWKS")
    key = pyjwt.PyJWK(found[0]).key
    return dict(pyjwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False},
                             **options))  # fmt: skip


# ----------------------------------------------------------------------------- item 11


def test_same_seed_twice_gives_different_keys_and_tokens_do_not_cross() -> None:
    # Regression: the first pool of every mock in a process signed with the same key and kid.
    first, second = (CognitoMock(clock=ManualClock(NOW), seed=5) for _ in range(2))
    pool, app = _world(first)
    again, _ = _world(second)
    assert pool == again
    first_jwks, second_jwks = first.jwks(pool), second.jwks(pool)
    assert not {k["kid"] for k in first_jwks["keys"]} & {k["kid"] for k in second_jwks["keys"]}
    assert {k["n"] for k in first_jwks["keys"]}.isdisjoint(k["n"] for k in second_jwks["keys"])
    id_token = _sign_in(first, app, "alice")["IdToken"]
    assert _verify(id_token, first_jwks, audience=app)["cognito:username"] == "alice"
    with pytest.raises(pyjwt.InvalidTokenError):
        _verify(id_token, second_jwks, audience=app)
    # Even with the other JWKS's key under the right kid, the signature fails.
    forged_jwks = {"keys": [{**k, "kid": pyjwt.get_unverified_header(id_token)["kid"]}
                            for k in second_jwks["keys"][:1]]}  # fmt: skip
    with pytest.raises(pyjwt.InvalidSignatureError):
        _verify(id_token, forged_jwks, audience=app)


def test_every_pool_and_every_reset_gets_new_kids() -> None:
    mock = CognitoMock(clock=ManualClock(NOW), seed=5)
    pool, _ = _world(mock)
    other = mock.call("CreateUserPool", PoolName="q")["UserPool"]["Id"]
    kids = [k["kid"] for k in mock.jwks(pool)["keys"] + mock.jwks(other)["keys"]]
    mock.reset(seed=5)
    again, _ = _world(mock)
    assert again == pool
    kids += [k["kid"] for k in mock.jwks(again)["keys"]]
    assert len(set(kids)) == 6


# ----------------------------------------------------------------------------- item 9


@pytest.mark.parametrize("how", ["another mock", "after reset"])
def test_a_token_from_before_never_answers_for_someone_else(how: str) -> None:
    # Regression: with the same seed, alice's access token was answered by GetUser as bob.
    first = CognitoMock(clock=ManualClock(NOW), seed=9)
    _, app = _world(first)
    alice = _sign_in(first, app, "alice")
    if how == "another mock":
        target = CognitoMock(clock=ManualClock(NOW), seed=9)
    else:
        first.reset(seed=9)
        target = first
    _, same_app = _world(target)
    assert same_app == app
    bob = _sign_in(target, app, "bob")  # the same seeded jti as alice's token had
    assert (
        pyjwt.decode(bob["AccessToken"], options={"verify_signature": False})["jti"]
        == (pyjwt.decode(alice["AccessToken"], options={"verify_signature": False})["jti"])
    )
    assert target.call("GetUser", AccessToken=bob["AccessToken"])["Username"] == "bob"
    with pytest.raises(NotAuthorizedException, match="Invalid Access Token"):
        target.call("GetUser", AccessToken=alice["AccessToken"])
    with pytest.raises(NotAuthorizedException, match="Invalid Refresh Token"):
        target.call("InitiateAuth", ClientId=app, AuthFlow="REFRESH_TOKEN_AUTH",
                    AuthParameters={"REFRESH_TOKEN": alice["RefreshToken"]})  # fmt: skip


def test_a_token_is_checked_against_the_record_it_names(mock: CognitoMock) -> None:
    # Belt and braces: were two records ever to share a jti, the claims must still match.
    pool, app = _world(mock)
    alice, bob = _sign_in(mock, app, "alice"), _sign_in(mock, app, "bob")
    store = mock.backend().pools[pool].tokens
    assert store is not None
    jti = pyjwt.decode(alice["AccessToken"], options={"verify_signature": False})["jti"]
    bob_jti = pyjwt.decode(bob["AccessToken"], options={"verify_signature": False})["jti"]
    store.access[jti] = store.access[bob_jti]
    with pytest.raises(NotAuthorizedException, match="Invalid Access Token"):
        mock.call("GetUser", AccessToken=alice["AccessToken"])


def test_a_token_of_a_deleted_user_does_not_serve_the_new_record(mock: CognitoMock) -> None:
    pool, app = _world(mock)
    old = _sign_in(mock, app, "alice")
    mock.call("AdminDeleteUser", UserPoolId=pool, Username="alice")
    mock.call("AdminCreateUser", UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    with pytest.raises(UserNotFoundException, match=r"User does not exist\."):
        mock.call("GetUser", AccessToken=old["AccessToken"])


# ----------------------------------------------------------------------------- item 10


def _temporary(mock: CognitoMock, pool: str, name: str) -> None:
    mock.call("AdminCreateUser", UserPoolId=pool, Username=name, TemporaryPassword=PASSWORD,
              MessageAction="SUPPRESS")  # fmt: skip


def test_a_new_password_session_dies_with_its_user_record(mock: CognitoMock) -> None:
    # Regression: a NEW_PASSWORD_REQUIRED session completed for a user re-created under the name.
    pool, app = _world(mock)
    _temporary(mock, pool, "carol")
    started = mock.call(
        "InitiateAuth", ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    mock.call("AdminDeleteUser", UserPoolId=pool, Username="carol")
    _temporary(mock, pool, "carol")
    with pytest.raises(UserNotFoundException, match=r"User does not exist\."):
        mock.call(
            "RespondToAuthChallenge", ClientId=app, ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "carol", "NEW_PASSWORD": PASSWORD + "x"},
        )  # fmt: skip
    user = mock.call("AdminGetUser", UserPoolId=pool, Username="carol")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # the new record is untouched


def test_an_sms_mfa_session_dies_with_its_user_record(mock: CognitoMock) -> None:
    pool = mock.call(
        "CreateUserPool", PoolName="sms", MfaConfiguration="ON",
        SmsConfiguration={"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"},
        AutoVerifiedAttributes=["phone_number"],
    )["UserPool"]["Id"]  # fmt: skip
    app = mock.call("CreateUserPoolClient", UserPoolId=pool, ClientName="c",
                    ExplicitAuthFlows=FLOWS)["UserPoolClient"]["ClientId"]  # fmt: skip

    def make() -> None:
        mock.call("AdminCreateUser", UserPoolId=pool, Username="dan", MessageAction="SUPPRESS",
                  UserAttributes=[{"Name": "phone_number", "Value": "+15550001111"},
                                  {"Name": "phone_number_verified", "Value": "true"}])  # fmt: skip
        mock.call("AdminSetUserPassword", UserPoolId=pool, Username="dan", Password=PASSWORD,
                  Permanent=True)  # fmt: skip

    make()
    started = mock.call(
        "InitiateAuth", ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "dan", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert started["ChallengeName"] == "SMS_MFA"
    code = mock.outbox.last_code("+15550001111")
    mock.call("AdminDeleteUser", UserPoolId=pool, Username="dan")
    make()
    with pytest.raises(UserNotFoundException, match=r"User does not exist\."):
        mock.call(
            "RespondToAuthChallenge", ClientId=app, ChallengeName="SMS_MFA",
            Session=started["Session"],
            ChallengeResponses={"USERNAME": "dan", "SMS_MFA_CODE": code},
        )  # fmt: skip
