"""Sign-in straight from sign-up (USER_AUTH with ConfirmSignUp's Session) through boto3: the
tokens verified by PyJWT against the pool's JWKS; every session that is not exactly the one
ConfirmSignUp gave this user and client, or is used twice or late, refused and state unchanged."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock
from cognito_mock.errors import NotAuthorizedException

SESSION_INVALID = "Invalid session for the user."


@pytest.fixture
def pool_id(mock: CognitoMock) -> str:
    """A passwordless pool (email OTP first factor) verifying email at sign-up."""
    return str(mock.call(
        "CreateUserPool", PoolName="signup", AutoVerifiedAttributes=["email"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )["UserPool"]["Id"])  # fmt: skip


def sign_up(client: Any, app: str, name: str) -> dict[str, Any]:
    return dict(client.sign_up(
        ClientId=app, Username=name,
        UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
    ))  # fmt: skip


def confirm(client: Any, mock: CognitoMock, app: str, name: str, session: str | None = None):
    extra = {"Session": session} if session else {}
    code = mock.outbox.last_code(f"{name}@example.com")
    return client.confirm_sign_up(ClientId=app, Username=name, ConfirmationCode=code, **extra)


def initiate(client: Any, app: str, name: str, session: str) -> dict[str, Any]:
    return dict(client.initiate_auth(
        ClientId=app, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": name}, Session=session
    ))  # fmt: skip


def test_sign_up_confirm_and_sign_in_without_a_password(client, mock, pool_id, app):
    signed_up = sign_up(client, app, "alice")
    assert signed_up["UserConfirmed"] is False and signed_up["Session"]
    confirmed = confirm(client, mock, app, "alice", signed_up["Session"])
    assert confirmed["Session"] and confirmed["Session"] != signed_up["Session"]
    result = initiate(client, app, "alice", confirmed["Session"])["AuthenticationResult"]
    keys = pyjwt.PyJWKSet.from_dict(mock.jwks(pool_id))
    for token, use in ((result["IdToken"], "id"), (result["AccessToken"], "access")):
        kid = pyjwt.get_unverified_header(token)["kid"]
        key = next(k for k in keys.keys if k.key_id == kid)
        claims = pyjwt.decode(
            token, key, algorithms=["RS256"], options={"verify_aud": False, "verify_exp": False}
        )  # mock clock
        assert claims["token_use"] == use and claims["sub"] == signed_up["UserSub"]
    assert client.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"


def test_confirm_without_a_session_gives_none(client, mock, app):
    sign_up(client, app, "alice")
    assert "Session" not in confirm(client, mock, app, "alice")


def test_a_session_signs_in_once_and_not_late(client, mock, app, clock, fails):
    session = confirm(client, mock, app, "alice", sign_up(client, app, "alice")["Session"])
    initiate(client, app, "alice", session["Session"])
    fails(initiate, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.",
          client=client, app=app, name="alice", session=session["Session"])  # fmt: skip
    late = confirm(client, mock, app, "bob", sign_up(client, app, "bob")["Session"])
    clock.advance(3 * 60 + 1)  # AuthSessionValidity: 3 minutes by default
    fails(initiate, "NotAuthorizedException", "Invalid session for the user, session is expired.",
          client=client, app=app, name="bob", session=late["Session"])  # fmt: skip


def test_sessions_never_cross_users_clients_or_kinds(client, mock, pool_id, app, make_client,
                                                    fails):  # fmt: skip
    alice = confirm(client, mock, app, "alice", sign_up(client, app, "alice")["Session"])
    bob_signing_up = sign_up(client, app, "bob")
    # bob's ConfirmSignUp with alice's session: refused, bob still unconfirmed and his code good
    fails(confirm, "NotAuthorizedException", SESSION_INVALID, client=client, mock=mock,
          app=app, name="bob", session=alice["Session"])  # fmt: skip
    assert client.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == "UNCONFIRMED"
    bob = confirm(client, mock, app, "bob", bob_signing_up["Session"])
    other = make_client(ClientName="other")["ClientId"]
    for name, session, on in (
        ("bob", alice["Session"], app),  # another user's
        ("alice", alice["Session"], other),  # another client's
        ("bob", bob_signing_up["Session"], app),  # SignUp's, not ConfirmSignUp's
        ("bob", "A" * 40, app),  # made up
    ):
        fails(initiate, "NotAuthorizedException", SESSION_INVALID, client=client, app=on,
              name=name, session=session)  # fmt: skip
    # Nothing was spent by the refusals: both still sign in.
    assert initiate(client, app, "alice", alice["Session"])["AuthenticationResult"]
    assert initiate(client, app, "bob", bob["Session"])["AuthenticationResult"]


def test_another_mock_with_the_same_seed_refuses_the_session(clock):
    made = []
    for _ in range(2):
        mock = CognitoMock(seed=7, clock=clock)
        pool = mock.call(
            "CreateUserPool",
            PoolName="p",
            AutoVerifiedAttributes=["email"],
            Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        )
        pool_id = pool["UserPool"]["Id"]
        app = mock.call(
            "CreateUserPoolClient",
            UserPoolId=pool_id,
            ClientName="a",
            ExplicitAuthFlows=["ALLOW_USER_AUTH"],
        )["UserPoolClient"]["ClientId"]
        up = mock.call(
            "SignUp",
            ClientId=app,
            Username="alice",
            UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        )
        code = mock.outbox.last_code("alice@example.com")
        done = mock.call(
            "ConfirmSignUp",
            ClientId=app,
            Username="alice",
            ConfirmationCode=code,
            Session=up["Session"],
        )
        made.append((mock, app, done["Session"]))
    (first, app, session), (second, app_again, _) = made
    assert app == app_again  # the same seed made the same ids
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session"):
        second.call(
            "InitiateAuth",
            ClientId=app,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "alice"},
            Session=session,
        )
    assert first.call(
        "InitiateAuth",
        ClientId=app,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice"},
        Session=session,
    )["AuthenticationResult"]
