"""Token claims and validity, refresh (and rotation), revocation paths, access-token checks."""

from __future__ import annotations

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import NotAuthorizedException, UserNotFoundException
from tests.helpers import PASSWORD


def claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


def refresh(client, app, token, **extra):
    return client.initiate_auth(
        ClientId=app,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token, **extra},
    )["AuthenticationResult"]


# --- claims -----------------------------------------------------------------------------------


def test_id_and_access_claims(client, mock, pool_id, app, make_user, sign_in, clock):
    make_user(attributes={"email": "a@example.com", "email_verified": "true", "name": "Al",
                          "phone_number": "+15550001111", "address": "1 Main St"})  # fmt: skip
    client.create_group(UserPoolId=pool_id, GroupName="admins", Precedence=1,
                        RoleArn="arn:aws:iam::123456789012:role/admin")  # fmt: skip
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="admins")
    result = sign_in(app)
    id_claims, access = claims(result["IdToken"]), claims(result["AccessToken"])
    iss = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    now = int(clock.now())
    assert id_claims["aud"] == app and id_claims["iss"] == iss and id_claims["token_use"] == "id"
    assert id_claims["cognito:username"] == "alice"
    assert id_claims["cognito:groups"] == ["admins"]
    assert id_claims["cognito:roles"] == ["arn:aws:iam::123456789012:role/admin"]
    assert id_claims["cognito:preferred_role"] == "arn:aws:iam::123456789012:role/admin"
    assert id_claims["email_verified"] is True and id_claims["address"] == {
        "formatted": "1 Main St"
    }
    assert id_claims["iat"] == id_claims["auth_time"] == now and id_claims["exp"] == now + 3600
    assert id_claims["origin_jti"] == access["origin_jti"] and id_claims["jti"] != access["jti"]
    assert id_claims["event_id"] == access["event_id"]
    assert set(access) == {"sub", "cognito:groups", "iss", "client_id", "origin_jti", "event_id",
                           "token_use", "scope", "auth_time", "exp", "iat", "jti", "username"}  # fmt: skip
    assert access["scope"] == "aws.cognito.signin.user.admin" and access["client_id"] == app
    assert access["username"] == "alice" and access["sub"] == id_claims["sub"]
    # Different keys for the two tokens, both in the JWKS.
    kids = {k["kid"] for k in mock.jwks(pool_id)["keys"]}
    id_kid = pyjwt.get_unverified_header(result["IdToken"])["kid"]
    access_kid = pyjwt.get_unverified_header(result["AccessToken"])["kid"]
    assert id_kid != access_kid and {id_kid, access_kid} == kids


def test_read_attributes_and_custom_strings(client, pool_id, make_client, make_user, sign_in):
    client.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[{"Name": "level", "AttributeDataType": "Number"}],
    )
    make_user(attributes={"email": "a@example.com", "name": "Al", "custom:level": "7"})
    everything = claims(sign_in(make_client()["ClientId"])["IdToken"])
    assert everything["custom:level"] == "7" and everything["name"] == "Al"
    narrow = make_client(ReadAttributes=["email"])["ClientId"]
    limited = claims(sign_in(narrow)["IdToken"])
    assert limited["email"] == "a@example.com" and "name" not in limited
    assert "custom:level" not in limited


def test_no_origin_jti_without_revocation(make_client, make_user, sign_in):
    make_user()
    result = sign_in(make_client(EnableTokenRevocation=False)["ClientId"])
    assert "origin_jti" not in claims(result["IdToken"])
    assert "origin_jti" not in claims(result["AccessToken"])


def test_validity_follows_the_client(make_client, make_user, sign_in):
    make_user()
    cid = make_client(
        AccessTokenValidity=5, IdTokenValidity=2, RefreshTokenValidity=60,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "minutes"},
    )["ClientId"]  # fmt: skip
    result = sign_in(cid)
    assert result["ExpiresIn"] == 300
    access, id_claims = claims(result["AccessToken"]), claims(result["IdToken"])
    assert access["exp"] - access["iat"] == 300 and id_claims["exp"] - id_claims["iat"] == 7200


def test_issuer_base_override(mock, pool_id, app, make_user, sign_in):
    mock.backend().services.issuer_base = "http://localhost:9229"
    make_user()
    assert claims(sign_in(app)["IdToken"])["iss"] == f"http://localhost:9229/{pool_id}"
    assert mock.issuer(pool_id) == f"http://localhost:9229/{pool_id}"


def test_pools_get_distinct_keys(client, mock, pool_id):
    other = client.create_user_pool(PoolName="other")["UserPool"]["Id"]
    first = {k["kid"] for k in mock.jwks(pool_id)["keys"]}
    second = {k["kid"] for k in mock.jwks(other)["keys"]}
    assert len(first) == len(second) == 2 and not first & second
    assert mock.jwks(pool_id) == mock.jwks(pool_id)


# --- refresh ------------------------------------------------------------------------------------


def test_refresh_keeps_auth_time_and_origin(client, mock, pool_id, app, make_user, sign_in, clock):
    make_user()
    first = sign_in(app)
    clock.advance(600)
    again = refresh(client, app, first["RefreshToken"])
    assert "RefreshToken" not in again
    old, new = claims(first["IdToken"]), claims(again["IdToken"])
    assert new["auth_time"] == old["auth_time"] and new["origin_jti"] == old["origin_jti"]
    assert new["iat"] == old["iat"] + 600 and new["jti"] != old["jti"]
    alias = client.initiate_auth(
        ClientId=app,
        AuthFlow="REFRESH_TOKEN",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )
    alias_access = claims(alias["AuthenticationResult"]["AccessToken"])
    assert alias_access["origin_jti"] == old["origin_jti"] and alias_access["client_id"] == app
    # Refreshed tokens are signed with the pool's published keys (checked by PyJWT, not by us).
    jwks = pyjwt.PyJWKSet.from_dict(mock.jwks(pool_id))
    skip_time = {"verify_exp": False, "verify_iat": False, "verify_nbf": False}
    for token in (again["IdToken"], again["AccessToken"], alias["AuthenticationResult"]["IdToken"]):
        key = jwks[pyjwt.get_unverified_header(token)["kid"]].key
        verified = pyjwt.decode(token, key, algorithms=["RS256"], issuer=mock.issuer(pool_id),
                                options={**skip_time, "verify_aud": False})  # fmt: skip
        assert verified == claims(token)


def test_refresh_token_bound_to_client_and_expires(client, make_client, make_user, sign_in, clock,
                                                    fails):  # fmt: skip
    make_user()
    one = make_client(RefreshTokenValidity=60, TokenValidityUnits={"RefreshToken": "minutes"})
    two = make_client()["ClientId"]
    token = sign_in(one["ClientId"])["RefreshToken"]
    fails(refresh, "NotAuthorizedException", "Invalid Refresh Token", client=client, app=two,
          token=token)  # fmt: skip
    fails(refresh, "NotAuthorizedException", "Invalid Refresh Token", client=client,
          app=one["ClientId"], token="garbage")  # fmt: skip
    clock.advance(3599)
    assert refresh(client, one["ClientId"], token)["IdToken"]
    clock.advance(1)
    fails(refresh, "NotAuthorizedException", "Refresh Token has expired", client=client,
          app=one["ClientId"], token=token)  # fmt: skip


def test_refresh_secret_hash_uses_internal_username(client, make_client, make_user, fails,
                                                     secret_hash):  # fmt: skip
    make_user()
    made = make_client(GenerateSecret=True)
    cid, secret = made["ClientId"], made["ClientSecret"]
    token = client.initiate_auth(
        ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD,
                        "SECRET_HASH": secret_hash(secret, "alice", cid)},
    )["AuthenticationResult"]["RefreshToken"]  # fmt: skip
    fails(refresh, "NotAuthorizedException", f"SecretHash does not match for the client: {cid}",
          client=client, app=cid, token=token, SECRET_HASH=secret_hash(secret, "bob", cid))  # fmt: skip
    assert refresh(client, cid, token, SECRET_HASH=secret_hash(secret, "alice", cid))["IdToken"]


def test_rotation(client, make_client, make_user, sign_in, clock, fails):
    make_user()
    rotating = make_client(
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}
    )
    cid = rotating["ClientId"]
    first = sign_in(cid)["RefreshToken"]
    fails(refresh, "InvalidParameterException",
          "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken to "
          "refresh tokens.", client=client, app=cid, token=first)  # fmt: skip
    rotated = client.get_tokens_from_refresh_token(RefreshToken=first, ClientId=cid)
    second = rotated["AuthenticationResult"]["RefreshToken"]
    assert second != first
    clock.advance(9)
    in_grace = client.get_tokens_from_refresh_token(RefreshToken=first, ClientId=cid)
    assert in_grace["AuthenticationResult"]["AccessToken"]  # grace period
    clock.advance(1)
    fails(client.get_tokens_from_refresh_token, "RefreshTokenReuseException",
          "Refresh token has already been used.", RefreshToken=first, ClientId=cid)  # fmt: skip
    latest = client.get_tokens_from_refresh_token(RefreshToken=second, ClientId=cid)
    assert latest["AuthenticationResult"]["AccessToken"]


def test_get_tokens_without_rotation_and_client_secret(client, make_client, make_user, fails,
                                                        secret_hash):  # fmt: skip
    make_user()
    made = make_client(GenerateSecret=True)
    cid, secret = made["ClientId"], made["ClientSecret"]
    token = client.initiate_auth(
        ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD,
                        "SECRET_HASH": secret_hash(secret, "alice", cid)},
    )["AuthenticationResult"]["RefreshToken"]  # fmt: skip
    fails(client.get_tokens_from_refresh_token, "NotAuthorizedException",
          f"ClientSecret does not match for the client: {cid}", RefreshToken=token,
          ClientId=cid, ClientSecret="x" * 51)  # fmt: skip
    result = client.get_tokens_from_refresh_token(RefreshToken=token, ClientId=cid,
                                                  ClientSecret=secret)["AuthenticationResult"]  # fmt: skip
    assert "RefreshToken" not in result and result["IdToken"]


# --- revocation ---------------------------------------------------------------------------------


def test_access_token_expiry(client, app, make_user, sign_in, clock, fails):
    make_user()
    access = sign_in(app)["AccessToken"]
    clock.advance(3599)
    client.global_sign_out(AccessToken=access)  # still valid at exp - 1
    access = sign_in(app)["AccessToken"]
    clock.advance(3600)
    fails(client.global_sign_out, "NotAuthorizedException", "Access Token has expired",
          AccessToken=access)  # fmt: skip


def test_revoke_token_revokes_its_family_only(client, app, make_user, sign_in, fails):
    make_user()
    one, two = sign_in(app), sign_in(app)
    client.revoke_token(Token=one["RefreshToken"], ClientId=app)
    fails(refresh, "NotAuthorizedException", "Refresh Token has been revoked", client=client,
          app=app, token=one["RefreshToken"])  # fmt: skip
    fails(client.global_sign_out, "NotAuthorizedException", "Access Token has been revoked",
          AccessToken=one["AccessToken"])  # fmt: skip
    assert refresh(client, app, two["RefreshToken"])["AccessToken"]
    client.revoke_token(Token=one["RefreshToken"], ClientId=app)  # idempotent


def test_revoke_token_errors(client, make_client, make_user, sign_in, fails):
    make_user()
    off = make_client(EnableTokenRevocation=False)["ClientId"]
    fails(client.revoke_token, "UnsupportedOperationException",
          "Token revocation is not enabled for this client.",
          Token=sign_in(off)["RefreshToken"], ClientId=off)  # fmt: skip
    cid = make_client()["ClientId"]
    result = sign_in(cid)
    fails(client.revoke_token, "UnsupportedTokenTypeException", "Only refresh tokens can be revoked.",
          Token=result["AccessToken"], ClientId=cid)  # fmt: skip
    fails(client.revoke_token, "UnauthorizedException", "Client authentication failed.",
          Token=result["RefreshToken"], ClientId="nosuchclient")  # fmt: skip
    secret = make_client(GenerateSecret=True)["ClientId"]
    fails(client.revoke_token, "UnauthorizedException", "Client authentication failed.",
          Token=result["RefreshToken"], ClientId=secret)  # fmt: skip
    fails(client.revoke_token, "UnauthorizedException", "The token was not issued to this client.",
          Token=result["RefreshToken"], ClientId=make_client()["ClientId"])  # fmt: skip
    assert refresh(client, cid, result["RefreshToken"])["AccessToken"]


def test_global_sign_out_revokes_everything(client, pool_id, app, make_user, sign_in, fails):
    make_user()
    one, two = sign_in(app), sign_in(app)
    client.global_sign_out(AccessToken=one["AccessToken"])
    for tokens in (one, two):
        fails(refresh, "NotAuthorizedException", "Refresh Token has been revoked", client=client,
              app=app, token=tokens["RefreshToken"])  # fmt: skip
        fails(client.global_sign_out, "NotAuthorizedException", "Access Token has been revoked",
              AccessToken=tokens["AccessToken"])  # fmt: skip
    fresh = sign_in(app)  # new sign-ins work at once, same second included
    client.global_sign_out(AccessToken=fresh["AccessToken"])
    third = sign_in(app)
    client.admin_user_global_sign_out(UserPoolId=pool_id, Username="alice")
    fails(refresh, "NotAuthorizedException", "Refresh Token has been revoked", client=client,
          app=app, token=third["RefreshToken"])  # fmt: skip
    fails(client.admin_user_global_sign_out, "UserNotFoundException", "User does not exist.",
          UserPoolId=pool_id, Username="ghost")  # fmt: skip


def test_disable_password_change_and_delete(client, pool_id, app, make_user, sign_in, fails):
    make_user()
    tokens = sign_in(app)
    client.admin_disable_user(UserPoolId=pool_id, Username="alice")
    fails(refresh, "NotAuthorizedException", "User is disabled.", client=client, app=app,
          token=tokens["RefreshToken"])  # fmt: skip
    fails(client.global_sign_out, "NotAuthorizedException", "Access Token has been revoked",
          AccessToken=tokens["AccessToken"])  # fmt: skip
    client.admin_enable_user(UserPoolId=pool_id, Username="alice")
    tokens = sign_in(app)
    client.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password="New-Horse-99",
                                   Permanent=True)  # fmt: skip
    fails(refresh, "NotAuthorizedException", "Refresh Token has been revoked", client=client,
          app=app, token=tokens["RefreshToken"])  # fmt: skip
    tokens = sign_in(app, password="New-Horse-99")
    client.admin_delete_user(UserPoolId=pool_id, Username="alice")
    fails(refresh, "UserNotFoundException", "User does not exist.", client=client, app=app,
          token=tokens["RefreshToken"])  # fmt: skip
    fails(client.global_sign_out, "NotAuthorizedException", "User does not exist.",
          AccessToken=tokens["AccessToken"])  # fmt: skip


def test_authenticate_access_token(mock, client, pool_id, app, make_user, sign_in, clock):
    make_user()
    result = sign_in(app)
    backend = mock.backend()
    pool, user, found = authenticate_access_token(backend, result["AccessToken"])
    assert pool.id == pool_id and user.username == "alice" and found["token_use"] == "access"
    for garbage in ("", "a.b.c", result["IdToken"], result["RefreshToken"],
                    result["AccessToken"][:-4] + "AAAA"):  # fmt: skip
        with pytest.raises(NotAuthorizedException, match=r"^Invalid Access Token$"):
            authenticate_access_token(backend, garbage)
    # Same process keys, but another mock never issued it.
    other = CognitoMock(clock=clock)
    other_pool = other.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    other.jwks(other_pool)
    with pytest.raises(NotAuthorizedException, match=r"^Invalid Access Token$"):
        authenticate_access_token(other.backend(), result["AccessToken"])
    user.revoke_tokens()
    with pytest.raises(NotAuthorizedException, match=r"^Access Token has been revoked$"):
        authenticate_access_token(backend, result["AccessToken"])
    fresh = sign_in(app)["AccessToken"]
    mock.call("AdminDeleteUser", UserPoolId=pool_id, Username="alice")
    with pytest.raises(UserNotFoundException, match=r"^User does not exist\.$"):
        authenticate_access_token(backend, fresh)


def test_signing_certificate(client, mock, pool_id):
    import base64

    from cryptography import x509

    der = base64.b64decode(client.get_signing_certificate(UserPoolId=pool_id)["Certificate"])
    certificate = x509.load_der_x509_certificate(der)
    jwk = mock.jwks(pool_id)["keys"][0]
    numbers = certificate.public_key().public_numbers()
    assert pyjwt.algorithms.RSAAlgorithm.from_jwk(jwk).public_numbers() == numbers
    assert (
        client.get_signing_certificate(UserPoolId=pool_id)["Certificate"]
        == base64.b64encode(der).decode()
    )


def test_a_remembered_token_is_still_checked_at_every_use(client, app, make_user, sign_in,
                                                          clock, fails):  # fmt: skip
    """GetUser remembers a verified signature, never the verdict: expiry, revocation and the
    user are checked on every call."""
    make_user()
    access = sign_in(app)["AccessToken"]
    assert client.get_user(AccessToken=access)["Username"] == "alice"
    assert client.get_user(AccessToken=access)["Username"] == "alice"  # from the memory
    client.global_sign_out(AccessToken=access)
    fails(client.get_user, "NotAuthorizedException", "Access Token has been revoked",
          AccessToken=access)  # fmt: skip
    access = sign_in(app)["AccessToken"]
    client.get_user(AccessToken=access)
    clock.advance(3600)
    fails(client.get_user, "NotAuthorizedException", "Access Token has expired",
          AccessToken=access)  # fmt: skip
