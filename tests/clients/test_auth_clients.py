"""Independent clients against the mock: pycognito's SRP (via mock.client() and via intercept())
and PyJWT verifying ID and access tokens against mock.jwks() with audience and issuer checks."""

from __future__ import annotations

import json
from typing import Any

import boto3
import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import ForceChangePasswordException

from cognito_mock import CognitoMock, ManualClock
from tests.helpers import PASSWORD


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()  # pycognito stamps TIMESTAMP from the system clock


@pytest.fixture
def setup(mock: CognitoMock, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    client = mock.client()
    pool = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
    public = client.create_user_pool_client(UserPoolId=pool, ClientName="public")["UserPoolClient"]
    secret = client.create_user_pool_client(
        UserPoolId=pool, ClientName="secret", GenerateSecret=True
    )["UserPoolClient"]
    client.admin_create_user(UserPoolId=pool, Username="alice", TemporaryPassword=PASSWORD,
                             MessageAction="SUPPRESS")  # fmt: skip
    client.admin_set_user_password(UserPoolId=pool, Username="alice", Password=PASSWORD,
                                   Permanent=True)  # fmt: skip
    # pycognito reads the JWKS from COGNITO_JWKS before it would fetch it with requests.
    monkeypatch.setenv("COGNITO_JWKS", json.dumps(mock.jwks(pool)))
    return {"client": client, "pool": pool, "public": public, "secret": secret}


def cognito(setup: dict[str, Any], app: dict[str, Any], username: str = "alice",
            with_secret: bool = False) -> Cognito:  # fmt: skip
    return Cognito(
        setup["pool"], app["ClientId"], username=username, user_pool_region="us-east-1",
        client_secret=app.get("ClientSecret") if with_secret else None,
        access_key="testing", secret_key="testing",
    )  # fmt: skip


def test_pycognito_srp_through_mock_client(mock, setup):
    user = cognito(setup, setup["public"])
    user.client = mock.client()
    user.authenticate(PASSWORD)  # SRP, then pycognito verifies both tokens against the JWKS
    assert user.id_claims["cognito:username"] == "alice"
    assert user.access_claims["token_use"] == "access"
    user.check_token(renew=False)
    user.renew_access_token()  # REFRESH_TOKEN_AUTH
    assert user.access_claims["auth_time"] == user.id_claims["auth_time"]
    user.logout()  # GlobalSignOut
    assert user.access_token is None


def test_pycognito_srp_through_intercept(mock, setup):
    with mock.intercept():
        user = cognito(setup, setup["secret"], with_secret=True)
        user.authenticate(PASSWORD)
        assert user.id_claims["aud"] == setup["secret"]["ClientId"]


def test_pycognito_wrong_password_and_wrong_secret(mock, setup):
    with mock.intercept():
        user = cognito(setup, setup["public"])
        with pytest.raises(ClientError) as caught:
            user.authenticate("Wrong-Horse-9")
        assert caught.value.response["Error"]["Message"] == "Incorrect username or password."
        wrong = cognito(setup, dict(setup["secret"], ClientSecret="x" * 51), with_secret=True)
        with pytest.raises(ClientError) as caught:
            wrong.authenticate(PASSWORD)
        client_id = setup["secret"]["ClientId"]
        assert caught.value.response["Error"]["Message"] == (
            f"SecretHash does not match for the client: {client_id}"
        )


def test_pycognito_new_password_challenge(mock, setup):
    client = setup["client"]
    client.admin_create_user(UserPoolId=setup["pool"], Username="bob", TemporaryPassword=PASSWORD,
                             MessageAction="SUPPRESS")  # fmt: skip
    with mock.intercept():
        user = cognito(setup, setup["public"], username="bob")
        with pytest.raises(ForceChangePasswordException):
            user.authenticate(PASSWORD)
        user.new_password_challenge(PASSWORD, "Brand-New-Pass1")
        assert user.id_claims["cognito:username"] == "bob"
        cognito(setup, setup["public"], username="bob").authenticate("Brand-New-Pass1")


def test_pyjwt_verifies_tokens(mock, setup):
    client, pool = setup["client"], setup["pool"]
    client_id = setup["public"]["ClientId"]
    client.update_user_pool_client(UserPoolId=pool, ClientId=client_id,
                                   ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])  # fmt: skip
    result = client.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    jwks = jwt.PyJWKSet.from_dict(mock.jwks(pool))
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool}"
    assert mock.issuer(pool) == issuer

    def key_for(token: str) -> Any:
        return jwks[jwt.get_unverified_header(token)["kid"]].key

    id_claims = jwt.decode(result["IdToken"], key_for(result["IdToken"]), algorithms=["RS256"],
                           audience=client_id, issuer=issuer)  # fmt: skip
    assert id_claims["token_use"] == "id"
    access = jwt.decode(result["AccessToken"], key_for(result["AccessToken"]),
                        algorithms=["RS256"], issuer=issuer,
                        options={"verify_aud": False})  # fmt: skip
    assert access["client_id"] == client_id and "aud" not in access
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(result["IdToken"], key_for(result["IdToken"]), algorithms=["RS256"],
                   audience="someone-else", issuer=issuer)  # fmt: skip
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(result["IdToken"], key_for(result["IdToken"]), algorithms=["RS256"],
                   audience=client_id, issuer=issuer + "x")  # fmt: skip
    # The ID token does not verify under the access-token key: different keys.
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(result["IdToken"], key_for(result["AccessToken"]), algorithms=["RS256"],
                   audience=client_id, issuer=issuer)  # fmt: skip


def test_pyjwt_sees_expiry_by_the_mock_clock(mock, setup, clock):
    client, pool = setup["client"], setup["pool"]
    client_id = setup["public"]["ClientId"]
    client.update_user_pool_client(UserPoolId=pool, ClientId=client_id,
                                   ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])  # fmt: skip
    clock.set(clock.now() - 7200)  # issue tokens two hours "ago"
    token = client.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["IdToken"]  # fmt: skip
    key = jwt.PyJWKSet.from_dict(mock.jwks(pool))[jwt.get_unverified_header(token)["kid"]].key
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(token, key, algorithms=["RS256"], audience=client_id)


def test_plain_boto3_client_is_intercepted(mock, setup):
    with mock.intercept():
        raw = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="testing",
                           aws_secret_access_key="testing")  # fmt: skip
        got = raw.get_signing_certificate(UserPoolId=setup["pool"])["Certificate"]
    # Answered by this mock: the same pool certificate its own client sees.
    assert got == mock.client().get_signing_certificate(UserPoolId=setup["pool"])["Certificate"]
