"""/oauth2/authorize and the authorization_code grant: codes bound to client, redirect_uri, PKCE
verifier, nonce and scopes; single use, 5 minutes; the service's error routing; userInfo's rules.
Tokens are checked with PyJWT against the pool's JWKS, PKCE and at_hash computed here."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.testing import CodeFlowError, authorization_code, code_flow_tokens
from tests.backend.hosted.conftest import CALLBACK, Site, authorize_query
from tests.helpers import PASSWORD, Agent

VERIFIER = "a-verifier-of-at-least-43-characters-0123456789abcdef"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def sign_in(browser: Agent, query: dict[str, str], username: str = "alice") -> str:
    """Authorize, sign in on the page; the callback URL the browser was sent to."""
    started = browser.get("/oauth2/authorize", params=query)
    assert started.status_code == 302 and started.headers["location"].startswith("/login?")
    page = browser.follow(started)
    assert page.status_code == 200
    done = browser.submit(page, "cognitoSignInForm", username=username, password=PASSWORD)
    assert done.status_code == 302, done.text[:400]
    return done.headers["location"]


def token(browser: Agent, app: dict[str, Any], **form: str) -> tuple[int, dict[str, Any]]:
    auth = (app["ClientId"], app["ClientSecret"]) if app.get("ClientSecret") else None
    data = {"grant_type": "authorization_code", "redirect_uri": CALLBACK, **form}
    if auth is None:
        data["client_id"] = app["ClientId"]
    answer = browser.post("/oauth2/token", data=data, auth=auth)
    return answer.status_code, answer.json()


def verified(mock: CognitoMock, pool_id: str, value: str, **options: Any) -> dict[str, Any]:
    keys = {k["kid"]: k for k in mock.jwks(pool_id)["keys"]}
    kid = jwt.get_unverified_header(value)["kid"]
    key = jwt.PyJWK(keys[kid]).key
    # The mock's clock is not the machine's: expiry is checked against it, not by PyJWT.
    claims = dict(jwt.decode(value, key, algorithms=["RS256"], options={"verify_exp": False},
                             **options))  # fmt: skip
    assert claims["iat"] <= mock.clock.now() < claims["exp"]
    return claims


# ----------------------------------------------------------------------------- the happy path


def test_code_with_pkce_nonce_and_scopes(
    mock: CognitoMock, site: Site, alice: str, browser: Agent
) -> None:
    query = authorize_query(
        site.web, scope="openid email", state="st-1", nonce="n-1", code_challenge=s256(VERIFIER),
        code_challenge_method="S256",
    )  # fmt: skip
    location = sign_in(browser, query)
    assert location.startswith(CALLBACK + "?")
    back = query_of(location)
    assert back["state"] == "st-1" and len(back["code"]) == 36
    status, tokens = token(browser, site.web, code=back["code"], code_verifier=VERIFIER)
    assert status == 200
    assert set(tokens) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    claims = verified(mock, site.pool_id, tokens["id_token"], audience=site.web["ClientId"],
                      issuer=mock.issuer(site.pool_id))  # fmt: skip
    assert claims["nonce"] == "n-1" and claims["cognito:username"] == "alice"
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()[:16]
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    access = verified(mock, site.pool_id, tokens["access_token"])
    assert access["scope"] == "openid email" and access["version"] == 2
    assert access["auth_time"] == claims["auth_time"]


def test_scope_defaults_to_the_clients_and_admin_scope_opens_the_api(
    mock: CognitoMock, client: Any, site: Site, alice: str, browser: Agent
) -> None:
    back = query_of(sign_in(browser, authorize_query(site.web)))
    status, tokens = token(browser, site.web, code=back["code"])
    assert status == 200
    access = verified(mock, site.pool_id, tokens["access_token"])
    assert access["scope"].split() == [
        "openid",
        "email",
        "profile",
        "aws.cognito.signin.user.admin",
    ]
    assert client.get_user(AccessToken=tokens["access_token"])["Username"] == "alice"


def test_without_openid_no_id_token_and_no_api(
    client: Any, site: Site, alice: str, browser: Agent
) -> None:
    back = query_of(
        sign_in(browser, authorize_query(site.web, scope="aws.cognito.signin.user.admin"))
    )
    status, tokens = token(browser, site.web, code=back["code"])
    assert status == 200 and "id_token" not in tokens
    assert client.get_user(AccessToken=tokens["access_token"])["Username"] == "alice"
    back = query_of(sign_in(browser, authorize_query(site.web, scope="openid", prompt="login")))
    _, tokens = token(browser, site.web, code=back["code"])
    with pytest.raises(client.exceptions.NotAuthorizedException, match="required scopes"):
        client.get_user(AccessToken=tokens["access_token"])


def test_implicit_grant(mock: CognitoMock, site: Site, alice: str, browser: Agent) -> None:
    query = authorize_query(site.spa, response_type="token", scope="openid", state="s", nonce="nn")
    location = sign_in(browser, query)
    fragment = dict(parse_qs(urlsplit(location).fragment))
    assert set(fragment) == {"id_token", "access_token", "token_type", "expires_in", "state"}
    assert fragment["token_type"] == ["bearer"] and fragment["state"] == ["s"]
    claims = verified(mock, site.pool_id, fragment["id_token"][0], audience=site.spa["ClientId"])
    assert claims["nonce"] == "nn"


def test_refresh_keeps_the_scopes(
    mock: CognitoMock, site: Site, alice: str, browser: Agent
) -> None:
    back = query_of(sign_in(browser, authorize_query(site.web, scope="openid email")))
    _, tokens = token(browser, site.web, code=back["code"])
    answer = browser.post(
        "/oauth2/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=(site.web["ClientId"], site.web["ClientSecret"]),
    )  # fmt: skip
    assert answer.status_code == 200
    refreshed = answer.json()
    assert verified(mock, site.pool_id, refreshed["access_token"])["scope"] == "openid email"
    assert "nonce" not in verified(
        mock, site.pool_id, refreshed["id_token"], audience=site.web["ClientId"]
    )


# ----------------------------------------------------------------------------- /oauth2/authorize refusals


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"client_id": "nosuchclient"}, "/error?error=invalid_request"),
        (
            {"redirect_uri": "http://localhost:3000/evil"},
            "/error?error=redirect_mismatch&client_id={id}",
        ),
        ({"redirect_uri": CALLBACK + "/"}, "/error?error=redirect_mismatch&client_id={id}"),
        ({"identity_provider": "Nobody"}, "/error?error=invalid_request&client_id={id}"),
    ],
)
def test_untrusted_redirects_get_the_error_page(
    site: Site, browser: Agent, change: dict[str, str], location: str
) -> None:
    answer = browser.get("/oauth2/authorize", params=authorize_query(site.web, **change))
    assert answer.status_code == 302
    assert answer.headers["location"] == location.format(id=site.web["ClientId"])
    assert answer.headers["x-content-type-options"] == "nosniff"
    page = browser.follow(answer)
    assert page.status_code == 400
    assert "An error was encountered with the requested page." in page.text


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"response_type": ""}, "invalid_request"),
        ({"response_type": "id_token"}, "invalid_request"),
        ({"response_type": "token"}, "unauthorized_client"),  # the web client allows only code
        ({"scope": "openid phone"}, "invalid_scope"),  # phone is outside the client's scopes
        ({"scope": "email"}, "invalid_scope"),  # email needs openid
        ({"scope": "nosuch/scope"}, "invalid_scope"),
        ({"code_challenge": "abc"}, "invalid_request"),  # a challenge without its method
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request"),
    ],
)
def test_trusted_redirects_get_the_error(
    site: Site, browser: Agent, change: dict[str, str], error: str
) -> None:
    answer = browser.get(
        "/oauth2/authorize", params=authorize_query(site.web, state="s9", **change)
    )
    assert answer.status_code == 302
    assert query_of(answer.headers["location"]) == {"error": error, "state": "s9"}
    assert answer.headers["location"].startswith(CALLBACK + "?")


def test_client_without_oauth_is_unauthorized(client: Any, site: Site, browser: Agent) -> None:
    made = client.create_user_pool_client(
        UserPoolId=site.pool_id, ClientName="plain", CallbackURLs=[CALLBACK]
    )["UserPoolClient"]
    answer = browser.get("/oauth2/authorize", params=authorize_query(made))
    assert query_of(answer.headers["location"]) == {"error": "unauthorized_client"}


def test_injected_fault_reaches_the_app(mock: CognitoMock, site: Site, browser: Agent) -> None:
    mock.faults.fail("/oauth2/authorize", "server_error", times=1)
    answer = browser.get("/oauth2/authorize", params=authorize_query(site.web, state="x"))
    assert query_of(answer.headers["location"]) == {"error": "server_error", "state": "x"}
    assert (
        browser.get("/oauth2/authorize", params=authorize_query(site.web))
        .headers["location"]
        .startswith("/login?")
    )


# ----------------------------------------------------------------------------- token refusals


@pytest.fixture
def pkce_code(site: Site, alice: str, browser: Agent) -> str:
    query = authorize_query(site.web, code_challenge=s256(VERIFIER), code_challenge_method="S256")
    return query_of(sign_in(browser, query))["code"]


def test_pkce_verifier_mismatch(site: Site, browser: Agent, pkce_code: str) -> None:
    assert token(browser, site.web, code=pkce_code) == (400, {"error": "invalid_request"})
    assert token(browser, site.web, code=pkce_code, code_verifier=VERIFIER + "x") == (
        400, {"error": "invalid_grant"},
    )  # fmt: skip
    # the wrong verifier spent the code
    assert token(browser, site.web, code=pkce_code, code_verifier=VERIFIER)[0] == 400


def test_code_is_single_use(site: Site, browser: Agent, pkce_code: str) -> None:
    assert token(browser, site.web, code=pkce_code, code_verifier=VERIFIER)[0] == 200
    assert token(browser, site.web, code=pkce_code, code_verifier=VERIFIER) == (
        400, {"error": "invalid_grant"},
    )  # fmt: skip


def test_code_expires_after_five_minutes(
    clock: ManualClock, site: Site, browser: Agent, alice: str
) -> None:
    first = query_of(sign_in(browser, authorize_query(site.web)))["code"]
    second = query_of(
        browser.get("/oauth2/authorize", params=authorize_query(site.web)).headers["location"]
    )["code"]
    clock.advance(299)
    assert token(browser, site.web, code=first)[0] == 200
    clock.advance(1)
    assert token(browser, site.web, code=second) == (400, {"error": "invalid_grant"})


def test_code_is_bound_to_redirect_uri_and_client(
    client: Any, site: Site, browser: Agent, alice: str
) -> None:
    code = query_of(sign_in(browser, authorize_query(site.web)))["code"]
    other = client.create_user_pool_client(
        UserPoolId=site.pool_id, ClientName="other", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], CallbackURLs=[CALLBACK],
    )["UserPoolClient"]  # fmt: skip
    assert token(browser, other, code=code) == (400, {"error": "invalid_grant"})
    assert token(browser, site.web, code=code, redirect_uri=CALLBACK + "x") == (
        400, {"error": "invalid_grant"},
    )  # fmt: skip
    assert token(browser, site.web, code="0" * 36) == (400, {"error": "invalid_grant"})


def test_wrong_client_secret(site: Site, browser: Agent, alice: str) -> None:
    code = query_of(sign_in(browser, authorize_query(site.web)))["code"]
    answer = browser.post(
        "/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(site.web["ClientId"], "wrong-secret"),
    )
    assert (answer.status_code, answer.json()) == (401, {"error": "invalid_client"})
    assert token(browser, site.web, code=code)[0] == 200  # the code was not spent


# ----------------------------------------------------------------------------- userInfo


def test_user_info_follows_scopes_and_refuses_native_tokens(
    client: Any, site: Site, alice: str, browser: Agent
) -> None:
    def info(access: str) -> tuple[int, Any]:
        answer = browser.get("/oauth2/userInfo", headers={"Authorization": f"Bearer {access}"})
        return answer.status_code, answer.json()

    sub = client.admin_get_user(UserPoolId=site.pool_id, Username="alice")["UserAttributes"][0][
        "Value"
    ]
    back = query_of(sign_in(browser, authorize_query(site.web, scope="openid email")))
    status, body = info(token(browser, site.web, code=back["code"])[1]["access_token"])
    assert (status, body) == (200, {"sub": sub, "email_verified": "true",
                                     "email": "alice@example.com", "username": "alice"})  # fmt: skip
    back = query_of(
        browser.get("/oauth2/authorize", params=authorize_query(site.web, scope="openid")).headers[
            "location"
        ]
    )
    status, body = info(token(browser, site.web, code=back["code"])[1]["access_token"])
    assert status == 200 and body["name"] == "Alice" and body["email"] == "alice@example.com"
    back = query_of(
        browser.get(
            "/oauth2/authorize", params=authorize_query(site.web, scope="openid profile")
        ).headers["location"]
    )
    status, body = info(token(browser, site.web, code=back["code"])[1]["access_token"])
    assert body == {"sub": sub, "name": "Alice", "username": "alice"}
    native = client.admin_create_user  # a native-API token: refused
    del native
    app = client.create_user_pool_client(
        UserPoolId=site.pool_id, ClientName="native", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    signed_in = client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    assert info(signed_in["AccessToken"]) == (401, {"error": "invalid_token"})


# ----------------------------------------------------------------------------- the testing helper


def test_testing_helper_runs_the_code_flow(mock: CognitoMock, site: Site, alice: str) -> None:
    flow = authorization_code(mock, site.web["ClientId"], "alice", PASSWORD, nonce="abc")
    assert flow.redirect_uri == CALLBACK and flow.state == "state" and flow.code_verifier
    tokens = code_flow_tokens(mock, site.spa["ClientId"], "alice", PASSWORD, scope="openid")
    claims = verified(mock, site.pool_id, tokens["id_token"], audience=site.spa["ClientId"])
    assert claims["cognito:username"] == "alice"
    with pytest.raises(CodeFlowError, match=r"Incorrect username or password\."):
        authorization_code(mock, site.web["ClientId"], "alice", "wrong")
    body = json.loads(mock.handle_oauth2("/oauth2/userInfo", {}, None, tokens["access_token"])[2])
    assert body["username"] == "alice"
