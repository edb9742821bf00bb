"""The OAuth2 endpoints over real HTTP: /oauth2/token, /oauth2/revoke and /oauth2/userInfo."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.testing import code_flow_tokens

FORM = "application/x-www-form-urlencoded"
BAD_TOKEN_HEADER = (
    'error="invalid_token", error_description="Access token is expired, disabled, or deleted, '
    'or the user has globally signed out."'
)
BAD_REQUEST_HEADER = (
    'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"'
)


@pytest.fixture
def url(mock: CognitoMock) -> Iterator[str]:
    with mock.serve() as served:
        yield served


def _request(
    url: str,
    method: str,
    path: str,
    form: dict[str, str] | None = None,
    *,
    content_type: str | None = FORM,
    basic: tuple[str, str] | None = None,
    bearer: str | None = None,
    raw: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    headers: dict[str, str] = {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    if basic is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(basic).encode()).decode()
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    body = raw if raw is not None else (urlencode(form).encode() if form is not None else b"")
    conn = http.client.HTTPConnection(str(parts.hostname), int(parts.port or 80), timeout=10)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def _post(url: str, path: str, form: dict[str, str], **kwargs: Any) -> tuple[int, Any]:
    status, _, data = _request(url, "POST", path, form, **kwargs)
    return status, (json.loads(data) if data else None)


@pytest.fixture
def machine(client: Any, pool_id: str) -> dict[str, str]:
    """A confidential client allowed client_credentials for two resource-server scopes."""
    client.create_resource_server(
        UserPoolId=pool_id, Identifier="api", Name="api",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "r"},
                {"ScopeName": "write", "ScopeDescription": "w"},
                {"ScopeName": "admin", "ScopeDescription": "a"}],
    )  # fmt: skip
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="machine", GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"], AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["api/read", "api/write"],
    )["UserPoolClient"]  # fmt: skip
    return {"id": made["ClientId"], "secret": made["ClientSecret"]}


def _web_client(client: Any, pool_id: str, *, secret: bool, oauth: bool = True) -> dict[str, str]:
    settings: dict[str, Any] = {
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }
    if oauth:
        settings.update(
            AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthScopes=["openid", "email", "aws.cognito.signin.user.admin"],
            CallbackURLs=["https://example.com/cb"], SupportedIdentityProviders=["COGNITO"],
        )  # fmt: skip
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", GenerateSecret=secret, **settings
    )["UserPoolClient"]
    return {"id": made["ClientId"], "secret": made.get("ClientSecret", "")}


def _hosted_sign_in(
    mock: CognitoMock, client: Any, pool_id: str, app: dict[str, str]
) -> dict[str, Any]:
    """Alice's tokens from managed login's code flow (userInfo takes only these)."""
    _sign_in(client, pool_id, app)  # creates alice
    if not mock.backend().pools[pool_id].domain:
        client.create_user_pool_domain(UserPoolId=pool_id, Domain="oauth-tests")
    tokens = code_flow_tokens(mock, app["id"], "alice", "Passw0rd!x")
    return {"AccessToken": tokens["access_token"], "RefreshToken": tokens["refresh_token"]}


def _sign_in(client: Any, pool_id: str, app: dict[str, str]) -> dict[str, Any]:
    client.admin_create_user(
        UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                        {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="alice", Password="Passw0rd!x", Permanent=True
    )
    params = {"USERNAME": "alice", "PASSWORD": "Passw0rd!x"}
    if app["secret"]:
        import hashlib
        import hmac

        digest = hmac.new(app["secret"].encode(), ("alice" + app["id"]).encode(), hashlib.sha256)
        params["SECRET_HASH"] = base64.b64encode(digest.digest()).decode()
    result = client.initiate_auth(
        ClientId=app["id"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params
    )
    return dict(result["AuthenticationResult"])


def _verify(mock: CognitoMock, pool_id: str, token: str) -> dict[str, Any]:
    """Signature, algorithm and issuer checked by PyJWT against the pool's JWKS."""
    keys = jwt.PyJWKSet.from_dict(mock.jwks(pool_id))
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    claims: dict[str, Any] = jwt.decode(
        token, key.key, algorithms=["RS256"], issuer=mock.issuer(pool_id),
        options={"verify_exp": False, "verify_aud": False},  # the mock runs on a manual clock
    )  # fmt: skip
    return claims


# ----------------------------------------------------------------------------- client_credentials


def test_client_credentials_basic_auth_default_scopes(
    mock: CognitoMock, url: str, pool_id: str, machine: dict[str, str], clock: ManualClock
) -> None:
    status, headers, data = _request(
        url, "POST", "/oauth2/token", {"grant_type": "client_credentials"},
        basic=(machine["id"], machine["secret"]),
    )  # fmt: skip
    assert status == 200
    assert headers["content-type"] == "application/json;charset=UTF-8"
    body = json.loads(data)
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    claims = _verify(mock, pool_id, body["access_token"])
    assert list(claims) == [
        "sub", "token_use", "scope", "auth_time", "iss", "exp", "iat", "version", "jti", "client_id"
    ]  # fmt: skip
    assert claims["sub"] == claims["client_id"] == machine["id"]
    assert claims["token_use"] == "access" and claims["version"] == 2
    assert claims["scope"] == "api/read api/write"
    assert claims["iat"] == claims["auth_time"] == int(clock.now())
    assert claims["exp"] == claims["iat"] + 3600
    assert jwt.get_unverified_header(body["access_token"]) == {
        "kid": mock.jwks(pool_id)["keys"][1]["kid"], "alg": "RS256"
    }  # fmt: skip
    # A machine token is no user's token: Cognito's user APIs refuse it.
    with pytest.raises(ClientError) as caught:
        mock.client().get_user(AccessToken=body["access_token"])
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_client_credentials_post_auth_and_requested_scope(
    mock: CognitoMock, url: str, pool_id: str, machine: dict[str, str]
) -> None:
    status, body = _post(url, "/oauth2/token", {
        "grant_type": "client_credentials", "client_id": machine["id"],
        "client_secret": machine["secret"], "scope": "api/write",
    })  # fmt: skip
    assert status == 200
    assert _verify(mock, pool_id, body["access_token"])["scope"] == "api/write"


@pytest.mark.parametrize("scope", ["api/admin", "openid", "api/read other/x", "nope"])
def test_client_credentials_scope_not_allowed(
    url: str, machine: dict[str, str], scope: str
) -> None:
    status, body = _post(
        url, "/oauth2/token", {"grant_type": "client_credentials", "scope": scope},
        basic=(machine["id"], machine["secret"]),
    )  # fmt: skip
    assert (status, body) == (400, {"error": "invalid_scope"})


@pytest.mark.parametrize(
    "credentials",
    [("wrong", "secret"), ("machine", "wrong-secret"), None],
    ids=["unknown-client", "bad-secret", "no-auth"],
)
def test_client_credentials_bad_client_auth(
    url: str, machine: dict[str, str], credentials: tuple[str, str] | None
) -> None:
    basic = None
    if credentials is not None:
        basic = (machine["id"] if credentials[0] == "machine" else "wrong", credentials[1])
    status, body = _post(url, "/oauth2/token", {"grant_type": "client_credentials"}, basic=basic)
    assert (status, body) == (401, {"error": "invalid_client"})
    # a secret sent in the form for a client id named elsewhere does not count either
    status, body = _post(
        url, "/oauth2/token",
        {"grant_type": "client_credentials", "client_id": machine["id"], "client_secret": "x"},
    )  # fmt: skip
    assert (status, body) == (401, {"error": "invalid_client"})


def test_client_credentials_flow_not_allowed(url: str, client: Any, pool_id: str) -> None:
    app = _web_client(client, pool_id, secret=True)
    status, body = _post(
        url, "/oauth2/token", {"grant_type": "client_credentials"}, basic=(app["id"], app["secret"])
    )
    assert (status, body) == (400, {"error": "unauthorized_client"})
    public = _web_client(client, pool_id, secret=False)
    status, body = _post(
        url, "/oauth2/token", {"grant_type": "client_credentials", "client_id": public["id"]}
    )
    assert (status, body) == (400, {"error": "unauthorized_client"})


def test_token_request_errors(url: str, machine: dict[str, str]) -> None:
    auth = (machine["id"], machine["secret"])
    assert _post(url, "/oauth2/token", {}, basic=auth) == (400, {"error": "invalid_request"})
    assert _post(url, "/oauth2/token", {"grant_type": "password"}, basic=auth) == (
        400, {"error": "unsupported_grant_type"},
    )  # fmt: skip
    for content_type in ("application/json", None):
        status, body = _post(
            url, "/oauth2/token", {"grant_type": "client_credentials"},
            basic=auth, content_type=content_type,
        )  # fmt: skip
        assert (status, body) == (400, {"error": "invalid_request"})
    status, body = _post(
        url, "/oauth2/token", {}, basic=auth,
        raw=b"grant_type=client_credentials&grant_type=client_credentials",
    )  # fmt: skip
    assert (status, body) == (400, {"error": "invalid_request"})
    # with a charset parameter the form is still a form
    status, body = _post(
        url, "/oauth2/token", {"grant_type": "client_credentials"},
        basic=auth, content_type=FORM + "; charset=UTF-8",
    )  # fmt: skip
    assert status == 200 and "access_token" in body
    status, body = _post(url, "/oauth2/token", {"grant_type": "refresh_token"}, basic=auth)
    assert (status, body) == (400, {"error": "invalid_request"})
    # authorization_code without its code and redirect_uri
    status, body = _post(url, "/oauth2/token", {"grant_type": "authorization_code"}, basic=auth)
    assert (status, body) == (400, {"error": "invalid_request"})


def test_token_endpoint_is_post_only(url: str) -> None:
    status, _, data = _request(url, "GET", "/oauth2/token")
    assert (status, json.loads(data)) == (400, {"error": "invalid_request"})


# ----------------------------------------------------------------------------- refresh_token


def test_refresh_token_grant(mock: CognitoMock, url: str, client: Any, pool_id: str) -> None:
    app = _web_client(client, pool_id, secret=True)
    signed_in = _sign_in(client, pool_id, app)
    first = _verify(mock, pool_id, signed_in["AccessToken"])
    status, body = _post(
        url, "/oauth2/token",
        {"grant_type": "refresh_token", "refresh_token": signed_in["RefreshToken"]},
        basic=(app["id"], app["secret"]),
    )  # fmt: skip
    assert status == 200
    assert set(body) == {"id_token", "access_token", "expires_in", "token_type"}
    access = _verify(mock, pool_id, body["access_token"])
    id_claims = _verify(mock, pool_id, body["id_token"])
    assert access["origin_jti"] == first["origin_jti"] and access["jti"] != first["jti"]
    assert id_claims["aud"] == app["id"] and id_claims["email"] == "alice@example.com"
    # the new access token works with the user APIs
    assert client.get_user(AccessToken=body["access_token"])["Username"] == "alice"


def test_refresh_token_grant_public_client_and_failures(
    url: str, client: Any, pool_id: str
) -> None:
    app = _web_client(client, pool_id, secret=False)
    signed_in = _sign_in(client, pool_id, app)
    form = {"grant_type": "refresh_token", "client_id": app["id"]}
    status, body = _post(url, "/oauth2/token", {**form, "refresh_token": signed_in["RefreshToken"]})
    assert status == 200 and "access_token" in body
    status, body = _post(url, "/oauth2/token", {**form, "refresh_token": "not-a-token"})
    assert (status, body) == (400, {"error": "invalid_grant"})
    # another client's refresh token is not this client's grant
    other = _web_client(client, pool_id, secret=False)
    status, body = _post(
        url, "/oauth2/token",
        {**form, "client_id": other["id"], "refresh_token": signed_in["RefreshToken"]},
    )  # fmt: skip
    assert (status, body) == (400, {"error": "invalid_grant"})
    client.admin_user_global_sign_out(UserPoolId=pool_id, Username="alice")
    status, body = _post(url, "/oauth2/token", {**form, "refresh_token": signed_in["RefreshToken"]})
    assert (status, body) == (400, {"error": "invalid_grant"})


def test_refresh_token_grant_needs_an_oauth_client(url: str, client: Any, pool_id: str) -> None:
    app = _web_client(client, pool_id, secret=False, oauth=False)
    signed_in = _sign_in(client, pool_id, app)
    status, body = _post(url, "/oauth2/token", {
        "grant_type": "refresh_token", "client_id": app["id"],
        "refresh_token": signed_in["RefreshToken"],
    })  # fmt: skip
    assert (status, body) == (400, {"error": "unauthorized_client"})


# ----------------------------------------------------------------------------- revoke


def test_revoke_then_refresh_fails_everywhere(
    mock: CognitoMock, url: str, client: Any, pool_id: str
) -> None:
    app = _web_client(client, pool_id, secret=True)
    signed_in = _sign_in(client, pool_id, app)
    auth = (app["id"], app["secret"])
    status, _, data = _request(
        url, "POST", "/oauth2/revoke", {"token": signed_in["RefreshToken"]}, basic=auth
    )
    assert (status, data) == (200, b"")
    # revoked: the access token of that sign-in is dead too, and refreshing fails both ways
    with pytest.raises(ClientError) as caught:
        client.get_user(AccessToken=signed_in["AccessToken"])
    assert caught.value.response["Error"]["Message"] == "Access Token has been revoked"
    import hashlib
    import hmac

    digest = hmac.new(app["secret"].encode(), ("alice" + app["id"]).encode(), hashlib.sha256)
    with pytest.raises(client.exceptions.NotAuthorizedException) as refused:
        client.initiate_auth(
            ClientId=app["id"], AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": signed_in["RefreshToken"],
                            "SECRET_HASH": base64.b64encode(digest.digest()).decode()},
        )  # fmt: skip
    assert refused.value.response["Error"]["Message"] == "Refresh Token has been revoked"
    status, body = _post(
        url, "/oauth2/token",
        {"grant_type": "refresh_token", "refresh_token": signed_in["RefreshToken"]}, basic=auth,
    )  # fmt: skip
    assert (status, body) == (400, {"error": "invalid_grant"})
    # revoking again, or an unknown token, still answers 200 with an empty body
    for token in (signed_in["RefreshToken"], "unknown-token"):
        status, _, data = _request(url, "POST", "/oauth2/revoke", {"token": token}, basic=auth)
        assert (status, data) == (200, b"")


def test_revoke_errors(url: str, client: Any, pool_id: str) -> None:
    app = _web_client(client, pool_id, secret=True)
    signed_in = _sign_in(client, pool_id, app)
    auth = (app["id"], app["secret"])
    assert _post(url, "/oauth2/revoke", {"token": signed_in["AccessToken"]}, basic=auth) == (
        400, {"error": "unsupported_token_type"},
    )  # fmt: skip
    assert _post(url, "/oauth2/revoke", {}, basic=auth) == (400, {"error": "invalid_request"})
    assert _post(
        url, "/oauth2/revoke", {"token": signed_in["RefreshToken"]}, basic=(app["id"], "bad")
    ) == (401, {"error": "invalid_client"})
    assert _post(url, "/oauth2/revoke", {"token": signed_in["RefreshToken"]}) == (
        401, {"error": "invalid_client"},
    )  # fmt: skip
    # a failed revocation changed nothing
    assert client.get_user(AccessToken=signed_in["AccessToken"])["Username"] == "alice"
    client.update_user_pool_client(
        UserPoolId=pool_id, ClientId=app["id"], EnableTokenRevocation=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )  # fmt: skip
    assert _post(url, "/oauth2/revoke", {"token": signed_in["RefreshToken"]}, basic=auth) == (
        400, {"error": "invalid_request"},
    )  # fmt: skip


def test_revoke_public_client_by_client_id(url: str, client: Any, pool_id: str) -> None:
    app = _web_client(client, pool_id, secret=False)
    signed_in = _sign_in(client, pool_id, app)
    status, _, data = _request(
        url, "POST", "/oauth2/revoke", {"token": signed_in["RefreshToken"], "client_id": app["id"]}
    )
    assert (status, data) == (200, b"")
    with pytest.raises(client.exceptions.NotAuthorizedException):
        client.initiate_auth(
            ClientId=app["id"], AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": signed_in["RefreshToken"]},
        )  # fmt: skip


# ----------------------------------------------------------------------------- userInfo


def test_user_info(
    mock: CognitoMock, url: str, client: Any, pool_id: str, machine: dict[str, str],
    clock: ManualClock,
) -> None:  # fmt: skip
    app = _web_client(client, pool_id, secret=False)
    signed_in = _hosted_sign_in(mock, client, pool_id, app)
    native = client.initiate_auth(
        ClientId=app["id"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!x"},
    )["AuthenticationResult"]  # fmt: skip
    sub = client.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"]
    for method in ("GET", "POST"):
        status, headers, data = _request(
            url, method, "/oauth2/userInfo", bearer=signed_in["AccessToken"], content_type=None
        )
        assert status == 200
        assert headers["content-type"] == "application/json;charset=UTF-8"
        assert json.loads(data) == {
            "sub": next(a["Value"] for a in sub if a["Name"] == "sub"),
            "email": "alice@example.com",
            "email_verified": "true",
            "username": "alice",
        }
    # no token, or not a bearer token: 400 with the endpoint's WWW-Authenticate
    for basic in (None, ("a", "b")):
        status, headers, _ = _request(
            url, "GET", "/oauth2/userInfo", content_type=None, basic=basic
        )
        assert status == 400 and headers["www-authenticate"] == BAD_REQUEST_HEADER
    # garbage, a machine token, an expired token, a revoked token: 401
    _, machine_body = _post(
        url, "/oauth2/token", {"grant_type": "client_credentials"},
        basic=(machine["id"], machine["secret"]),
    )  # fmt: skip
    # native-API tokens have no openid scope: refused too
    for token in ("garbage", machine_body["access_token"], native["AccessToken"]):
        status, headers, _ = _request(url, "GET", "/oauth2/userInfo", bearer=token)
        assert status == 401 and headers["www-authenticate"] == BAD_TOKEN_HEADER
    clock.advance(3601)
    status, headers, _ = _request(url, "GET", "/oauth2/userInfo", bearer=signed_in["AccessToken"])
    assert status == 401 and headers["www-authenticate"] == BAD_TOKEN_HEADER


def test_user_info_after_global_sign_out(
    mock: CognitoMock, url: str, client: Any, pool_id: str
) -> None:
    app = _web_client(client, pool_id, secret=False)
    signed_in = _hosted_sign_in(mock, client, pool_id, app)
    status, _, _ = _request(url, "GET", "/oauth2/userInfo", bearer=signed_in["AccessToken"])
    assert status == 200
    client.global_sign_out(AccessToken=signed_in["AccessToken"])
    status, headers, data = _request(
        url, "GET", "/oauth2/userInfo", bearer=signed_in["AccessToken"]
    )
    assert status == 401 and headers["www-authenticate"] == BAD_TOKEN_HEADER
    assert json.loads(data) == {"error": "invalid_token"}


# ----------------------------------------------------------------------------- in-process


def test_in_process_methods(
    mock: CognitoMock, client: Any, pool_id: str, machine: dict[str, str]
) -> None:
    basic = "Basic " + base64.b64encode(f"{machine['id']}:{machine['secret']}".encode()).decode()
    answer = mock.oauth2_token({"grant_type": "client_credentials", "scope": "api/read"}, basic)
    assert _verify(mock, pool_id, answer["access_token"])["scope"] == "api/read"
    assert mock.oauth2_token({"grant_type": "client_credentials"}) == {"error": "invalid_client"}
    app = _web_client(client, pool_id, secret=False)
    signed_in = _hosted_sign_in(mock, client, pool_id, app)
    assert mock.oauth2_user_info(signed_in["AccessToken"])["username"] == "alice"
    revoke = {"token": signed_in["RefreshToken"], "client_id": app["id"]}
    assert mock.oauth2_revoke(revoke) == {}
    assert mock.oauth2_user_info(signed_in["AccessToken"]) == {"error": "invalid_token"}
    assert mock.oauth2_revoke({"client_id": app["id"]}) == {"error": "invalid_request"}


def test_refresh_token_grant_with_rotation(url: str, client: Any, pool_id: str) -> None:
    app = _web_client(client, pool_id, secret=False)
    client.update_user_pool_client(
        UserPoolId=pool_id, ClientId=app["id"],
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlows=["code"], AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthScopes=["openid"], CallbackURLs=["https://example.com/cb"],
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
    )  # fmt: skip
    signed_in = _sign_in(client, pool_id, app)
    form = {"grant_type": "refresh_token", "client_id": app["id"]}
    status, body = _post(url, "/oauth2/token", {**form, "refresh_token": signed_in["RefreshToken"]})
    assert status == 200 and body["refresh_token"] != signed_in["RefreshToken"]
    # the old refresh token is retired at once; the new one works
    status, stale = _post(
        url, "/oauth2/token", {**form, "refresh_token": signed_in["RefreshToken"]}
    )
    assert (status, stale) == (400, {"error": "invalid_grant"})
    status, again = _post(url, "/oauth2/token", {**form, "refresh_token": body["refresh_token"]})
    assert status == 200 and "refresh_token" in again
