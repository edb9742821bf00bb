"""Authlib's OAuth client, in a small Flask app, against a served mock: code flow with PKCE, the
ID token verified by Authlib (nonce, at_hash, iss, aud) against the discovered JWKS, userInfo,
refresh, and logout through the domain's /logout."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, jsonify, redirect, session, url_for

from tests.helpers import PASSWORD, forms
from tests.web.conftest import Served, http_client

CALLBACK = "http://localhost/callback"
SIGNED_OUT = "http://localhost/signed-out"


def shop(served: Served) -> tuple[str, dict[str, Any]]:
    """A pool with domain `shop`, a confidential client and a user `alice`."""
    mock = served.mock
    pool_id = mock.call("CreateUserPool", PoolName="shop")["UserPool"]["Id"]
    mock.call("CreateUserPoolDomain", UserPoolId=pool_id, Domain="shop")
    client = mock.call(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="flask", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], CallbackURLs=[CALLBACK], LogoutURLs=[SIGNED_OUT],
        SupportedIdentityProviders=["COGNITO"], ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]  # fmt: skip
    mock.call(
        "AdminCreateUser", UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                        {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username="alice", Password=PASSWORD,
              Permanent=True)  # fmt: skip
    return pool_id, client


def flask_app(
    served: Served, pool_id: str, client: dict[str, Any], signed_out: str = SIGNED_OUT
) -> Flask:
    app = Flask("shop")
    app.secret_key = "test"
    app.testing = True  # exceptions reach the test
    oauth = OAuth(app)
    oauth.register(
        "cognito", client_id=client["ClientId"], client_secret=client["ClientSecret"],
        server_metadata_url=f"{served.mock.issuer(pool_id)}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email", "code_challenge_method": "S256"},
    )  # fmt: skip
    domain = served.mock.domain_url(pool_id)

    @app.route("/login")
    def login() -> Any:
        return oauth.cognito.authorize_redirect(url_for("callback", _external=True))

    @app.route("/callback")
    def callback() -> Any:
        token = oauth.cognito.authorize_access_token()  # verifies the ID token
        session["token"] = token
        return jsonify(token["userinfo"])

    @app.route("/me")
    def me() -> Any:
        return jsonify(oauth.cognito.userinfo(token=session["token"]))

    @app.route("/refresh")
    def refresh() -> Any:
        old = session["token"]
        new = oauth.cognito.fetch_access_token(
            grant_type="refresh_token", refresh_token=old["refresh_token"]
        )
        return jsonify({"changed": new["access_token"] != old["access_token"], "keys": sorted(new)})

    @app.route("/logout")
    def logout() -> Any:
        session.clear()
        query = urlencode({"client_id": client["ClientId"], "logout_uri": signed_out})
        return redirect(f"{domain}/logout?{query}")

    @app.route("/signed-out")
    def bye() -> Any:
        return "Signed out"

    return app


def test_authlib_code_flow_with_pkce(served: Served) -> None:
    pool_id, client = shop(served)
    app = flask_app(served, pool_id, client).test_client()
    browser = http_client()
    started = app.get("/login")
    assert started.status_code == 302
    authorize = started.headers["Location"]
    sent = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"http://shop.localhost:{served.port}/oauth2/authorize?")
    assert sent["code_challenge_method"] == ["S256"] and sent["nonce"] and sent["state"]
    to_login = browser.get(authorize)
    page = browser.get(f"http://shop.localhost:{served.port}{to_login.headers['location']}")
    form = forms(page.text)["cognitoSignInForm"]
    done = browser.post(
        f"http://shop.localhost:{served.port}/{form['action']}",
        data={**form["fields"], "username": "alice", "password": PASSWORD},
    )
    assert done.status_code == 302 and done.headers["location"].startswith(CALLBACK + "?")
    callback = urlsplit(done.headers["location"])
    answer = app.get(f"/callback?{callback.query}")
    assert answer.status_code == 200, answer.text
    claims = answer.get_json()
    assert claims["cognito:username"] == "alice" and claims["email"] == "alice@example.com"
    assert claims["iss"] == served.mock.issuer(pool_id) and claims["aud"] == client["ClientId"]
    assert claims["nonce"] == sent["nonce"][0] and claims["at_hash"]
    assert app.get("/me").get_json()["email"] == "alice@example.com"
    refreshed = app.get("/refresh").get_json()
    assert refreshed == {"changed": True, "keys": ["access_token", "expires_at", "expires_in",
                                                   "id_token", "token_type"]}  # fmt: skip
    out = app.get("/logout")
    signed_out = browser.get(out.headers["Location"])
    assert signed_out.status_code == 302 and signed_out.headers["location"] == SIGNED_OUT
    again = browser.get(authorize)
    assert again.headers["location"].startswith("/login?")  # the session ended
    browser.close()


def sign_in_at_the_domain(served: Served, authorize: str) -> str:
    """The browser's part: the sign-in page of the domain; returns the callback's query."""
    browser = http_client()
    try:
        page = browser.get(
            f"http://shop.localhost:{served.port}{browser.get(authorize).headers['location']}"
        )
        form = forms(page.text)["cognitoSignInForm"]
        done = browser.post(f"http://shop.localhost:{served.port}/{form['action']}",
                            data={**form["fields"], "username": "alice", "password": PASSWORD})  # fmt: skip
        return urlsplit(done.headers["location"]).query
    finally:
        browser.close()


def test_authlib_with_a_wrong_client_secret_is_refused(served: Served) -> None:
    pool_id, client = shop(served)
    app = flask_app(served, pool_id, {**client, "ClientSecret": "not-the-secret"}).test_client()
    query = sign_in_at_the_domain(served, app.get("/login").headers["Location"])
    with pytest.raises(OAuthError) as caught:
        app.get(f"/callback?{query}")
    assert caught.value.error == "invalid_client"
