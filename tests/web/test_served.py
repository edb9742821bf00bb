"""Managed login through the HTTP front (`mock.serve()`): by Host (`<prefix>.localhost`), by the
path form `/_domain/<domain>/...` for clients that cannot set a Host, cookies scoped to it."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from cognito_mock.cli import create_demo, demo_login_url
from tests.helpers import PASSWORD, forms
from tests.web.conftest import Served, http_client

CALLBACK = "http://localhost:3000/callback"


@pytest.fixture
def client_id(served: Served) -> str:
    mock = served.mock
    pool_id = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    mock.call("CreateUserPoolDomain", UserPoolId=pool_id, Domain="shop")
    made = mock.call(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="c",
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], CallbackURLs=[CALLBACK], SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]  # fmt: skip
    mock.call("AdminCreateUser", UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username="ann", Password=PASSWORD,
              Permanent=True)  # fmt: skip
    return str(made["ClientId"])


@pytest.mark.parametrize("base", ["http://shop.localhost:{port}", "{url}/_domain/shop"])
def test_sign_in_over_http(served: Served, client_id: str, base: str) -> None:
    root = base.format(port=served.port, url=served.url)
    browser = http_client()
    try:
        query = {"client_id": client_id, "redirect_uri": CALLBACK, "response_type": "code"}
        started = browser.get(f"{root}/oauth2/authorize", params=query)
        assert started.status_code == 302
        login = urljoin(root + "/", started.headers["location"])
        assert login.startswith(f"{root}/login?")  # the path form keeps its prefix
        page = browser.get(login)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        form = forms(page.text)["cognitoSignInForm"]
        action = urljoin(root + "/", form["action"])  # relative to the page's <base>
        done = browser.post(
            action, data={**form["fields"], "username": "ann", "password": PASSWORD}
        )
        assert done.status_code == 302 and done.headers["location"].startswith(CALLBACK + "?code=")
        cookie = next(c for c in browser.cookies.jar if c.name == "cognito")
        assert cookie.path == ("/_domain/shop" if "_domain" in root else "/")
    finally:
        browser.close()


def test_the_demo_login_url_opens(served: Served) -> None:
    demo = create_demo(served.mock, f"http://localhost:{served.port}/callback")
    url = demo_login_url(served.mock, demo)
    assert url is not None and url.startswith(f"http://demo.localhost:{served.port}/login?")
    with http_client() as browser:
        page = browser.get(url)
        assert page.status_code == 200 and "cognitoSignInForm" in page.text
