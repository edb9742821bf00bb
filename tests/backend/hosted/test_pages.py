"""The managed-login pages driven like a browser (in-process): sign-up with the code from the
outbox, confirmation, TOTP MFA setup and sign-in (codes from pyotp), first-sign-in new password,
forgot password, SSO across clients, logout, CSRF, errors and the pool's UI customization."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.persistence import Persistence
from cognito_mock.recording import recording_mock
from cognito_mock.testing import code_flow_tokens
from cognito_mock.web import DomainApp
from tests.backend.hosted.conftest import CALLBACK, SIGNED_OUT, Site, authorize_query
from tests.helpers import PASSWORD, Agent, forms

NEW_PASSWORD = "Another-Horse-7"
# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def login_page(browser: Agent, app: dict[str, Any], **params: str) -> Any:
    started = browser.get("/oauth2/authorize", params=authorize_query(app, **params))
    assert started.status_code == 302, started.text[:300]
    return browser.follow(started)


def code_of(response: Any) -> str:
    assert response.status_code == 302, response.text[:600]
    location = response.headers["location"]
    assert location.startswith(CALLBACK + "?"), location
    return parse_qs(urlsplit(location).query)["code"][0]


def banner(page: Any) -> str | None:
    found = re.search(r'id="errorMessage"[^>]*>([^<]*)<', page.text)
    return found.group(1) if found else None


def test_sign_up_confirm_and_sign_in_with_totp_mfa(
    mock: CognitoMock, client: Any, clock: ManualClock, site: Site, browser: Agent
) -> None:
    client.set_user_pool_mfa_config(
        UserPoolId=site.pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="ON",
    )
    page = login_page(browser, site.web)
    signup = browser.get(
        re.search(r'id="signupLink" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    )
    assert signup.status_code == 200 and 'name="email"' in signup.text
    sent = browser.submit(
        signup, "signUpForm", username="bob", email="bob@example.com", password=PASSWORD
    )
    assert sent.status_code == 302 and sent.headers["location"].startswith("/confirm?")
    confirm = browser.follow(sent)
    message = mock.outbox.last("bob@example.com")
    assert message is not None and message.code
    wrong = browser.submit(
        confirm, "confirmForm", code="000000" if message.code != "000000" else "111111"
    )
    assert (
        wrong.status_code == 400
        and banner(wrong) == "Invalid verification code provided, please try again."
    )
    confirmed = browser.submit(wrong, "confirmForm", code=message.code)
    assert confirmed.status_code == 200 and "Your account is confirmed" in confirmed.text
    assert (
        client.admin_get_user(UserPoolId=site.pool_id, Username="bob")["UserStatus"] == "CONFIRMED"
    )
    # First sign-in of an MFA-required pool: set up an authenticator app.
    setup = browser.submit(confirmed, "cognitoSignInForm", username="bob", password=PASSWORD)
    assert setup.status_code == 200 and "mfaSetupForm" in setup.text
    secret = re.search(r'id="totpSecret">([A-Z2-7]+)<', setup.text).group(1)
    totp = pyotp.TOTP(secret)
    again = browser.submit(
        setup, "mfaSetupForm", code="000000" if totp.at(clock.now()) != "000000" else "111111"
    )
    assert (
        again.status_code == 400
        and banner(again) == "Code mismatch and fail enable Software Token MFA"
    )
    done = browser.submit(again, "mfaSetupForm", code=totp.at(clock.now()), deviceName="phone")
    code_of(done)
    assert client.admin_get_user(UserPoolId=site.pool_id, Username="bob")["UserMFASettingList"] == [
        "SOFTWARE_TOKEN_MFA"
    ]
    # Sign out; the next sign-in asks for the app's code.
    out = browser.get(
        "/logout", params={"client_id": site.web["ClientId"], "logout_uri": SIGNED_OUT}
    )
    assert out.headers["location"] == SIGNED_OUT
    clock.advance(30)
    page = login_page(browser, site.web)
    challenge = browser.submit(page, "cognitoSignInForm", username="bob", password=PASSWORD)
    assert "mfaForm" in challenge.text
    wrong = browser.submit(
        challenge, "mfaForm", code="999999" if totp.at(clock.now()) != "999999" else "888888"
    )
    assert banner(wrong) == "Invalid code or auth state for the user."
    code = code_of(browser.submit(wrong, "mfaForm", code=totp.at(clock.now())))
    assert len(code) == 36


def test_first_sign_in_sets_a_new_password(client: Any, site: Site, browser: Agent) -> None:
    client.admin_create_user(
        UserPoolId=site.pool_id, Username="carol", TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS", UserAttributes=[{"Name": "email", "Value": "c@example.com"}],
    )  # fmt: skip
    page = login_page(browser, site.web)
    challenge = browser.submit(
        page, "cognitoSignInForm", username="carol", password="Temp-Passw0rd!"
    )
    assert "newPasswordForm" in challenge.text
    weak = browser.submit(challenge, "newPasswordForm", password="short")
    assert (
        weak.status_code == 400
        and banner(weak) == "Password did not conform with policy: Password not long enough"
    )
    code_of(browser.submit(weak, "newPasswordForm", password=NEW_PASSWORD))
    assert (
        client.admin_get_user(UserPoolId=site.pool_id, Username="carol")["UserStatus"]
        == "CONFIRMED"
    )


def test_forgot_password(mock: CognitoMock, site: Site, alice: str, browser: Agent) -> None:
    page = login_page(browser, site.web)
    forgot = browser.get(
        re.search(r'href="(forgotPassword[^"]+)"', page.text).group(1).replace("&amp;", "&")
    )
    reset = browser.submit(forgot, "forgotPasswordForm", username="alice")
    assert reset.status_code == 200 and "a***@e***" in reset.text
    code = mock.outbox.last("alice@example.com").code
    mismatch = browser.submit(
        reset, "confirmForgotPasswordForm", code=code, password=NEW_PASSWORD, confirm="other"
    )
    assert banner(mismatch) == "The passwords do not match."
    signed = browser.submit(mismatch, "confirmForgotPasswordForm", code=code, password=NEW_PASSWORD,
                            confirm=NEW_PASSWORD)  # fmt: skip
    assert "Your password was changed" in signed.text
    code_of(browser.submit(signed, "cognitoSignInForm", username="alice", password=NEW_PASSWORD))


def test_wrong_password_unknown_user_and_unconfirmed(
    client: Any, site: Site, alice: str, browser: Agent
) -> None:
    page = login_page(browser, site.web)
    wrong = browser.submit(page, "cognitoSignInForm", username="alice", password="wrong")
    assert wrong.status_code == 400 and banner(wrong) == "Incorrect username or password."
    unknown = browser.submit(wrong, "cognitoSignInForm", username="zed", password="wrong")
    assert banner(unknown) == "User does not exist."
    client.sign_up(ClientId=site.spa["ClientId"], Username="dan", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": "dan@example.com"}])  # fmt: skip
    to_confirm = browser.submit(unknown, "cognitoSignInForm", username="dan", password=PASSWORD)
    assert to_confirm.status_code == 302 and to_confirm.headers["location"].startswith("/confirm?")


def test_csrf_token_must_match_the_cookie(site: Site, alice: str, browser: Agent) -> None:
    page = login_page(browser, site.web)
    form = forms(page.text)["cognitoSignInForm"]
    forged = {**form["fields"], "_csrf": "forged", "username": "alice", "password": PASSWORD}
    refused = browser.post("/" + form["action"], data=forged)
    assert refused.status_code == 403 and "An error was encountered" in refused.text
    code_of(browser.submit(page, "cognitoSignInForm", username="alice", password=PASSWORD))


def test_sso_across_clients_and_logout(site: Site, alice: str, browser: Agent) -> None:
    page = login_page(browser, site.web)
    code_of(browser.submit(page, "cognitoSignInForm", username="alice", password=PASSWORD))
    # The second client of the pool signs in silently.
    silent = browser.get("/oauth2/authorize", params=authorize_query(site.spa))
    code_of(silent)
    # The sign-in page offers to continue as the signed-in user; prompt=login forces the form.
    page = browser.get("/login", params=authorize_query(site.spa))
    assert "Continue as alice@example.com" in page.text
    code_of(browser.submit(page, "continueForm"))
    forced = browser.get("/oauth2/authorize", params=authorize_query(site.spa, prompt="login"))
    assert forced.headers["location"].startswith("/login?")
    # A logout_uri that is not registered changes nothing.
    bad = browser.get(
        "/logout", params={"client_id": site.spa["ClientId"], "logout_uri": "http://localhost:9/x"}
    )
    assert bad.headers["location"] == f"/login?client_id={site.spa['ClientId']}"
    assert browser.follow(bad).status_code == 302  # /login refuses a request without redirect_uri
    code_of(browser.get("/oauth2/authorize", params=authorize_query(site.spa)))
    out = browser.get(
        "/logout", params={"client_id": site.web["ClientId"], "logout_uri": SIGNED_OUT}
    )
    assert out.status_code == 302 and out.headers["location"] == SIGNED_OUT
    assert 'cognito=""' in out.headers["set-cookie"] or "cognito=;" in out.headers["set-cookie"]
    after = browser.get("/oauth2/authorize", params=authorize_query(site.spa))
    assert after.headers["location"].startswith("/login?")
    none = browser.get(
        "/oauth2/authorize", params=authorize_query(site.spa, prompt="none", state="q")
    )
    assert parse_qs(urlsplit(none.headers["location"]).query) == {
        "error": ["login_required"],
        "state": ["q"],
    }


def test_session_lasts_an_hour(clock: ManualClock, site: Site, alice: str, browser: Agent) -> None:
    page = login_page(browser, site.web)
    code_of(browser.submit(page, "cognitoSignInForm", username="alice", password=PASSWORD))
    clock.advance(3599)
    code_of(browser.get("/oauth2/authorize", params=authorize_query(site.spa)))
    clock.advance(1)
    assert (
        browser.get("/oauth2/authorize", params=authorize_query(site.spa))
        .headers["location"]
        .startswith("/login?")
    )


def test_trigger_failure_goes_to_the_app(
    mock: CognitoMock, client: Any, site: Site, alice: str, browser: Agent
) -> None:
    client.update_user_pool(
        UserPoolId=site.pool_id, AutoVerifiedAttributes=["email"],
        LambdaConfig={"PreAuthentication": "arn:aws:lambda:us-east-1:123456789012:function:pre"},
    )  # fmt: skip

    def refuse(event: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("not today")

    mock.triggers.register("PreAuthentication", refuse)
    page = login_page(browser, site.web, state="s")
    answer = browser.submit(page, "cognitoSignInForm", username="alice", password=PASSWORD)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["location"]).query) == {
        "error": ["invalid_request"],
        "error_description": ["PreAuthentication failed with error not today."],
        "state": ["s"],
    }


def test_pages_apply_the_ui_customization(client: Any, site: Site, browser: Agent) -> None:
    css = ".submitButton-customizable { background-color: #c0392b; }"
    client.set_ui_customization(UserPoolId=site.pool_id, CSS=css, ImageFile=PNG)
    page = login_page(browser, site.web)
    assert css in page.text
    assert (
        'class="logo-customizable" src="data:image/png;base64,' + base64.b64encode(PNG).decode()
        in page.text
    )
    assert "<script" not in page.text  # the pages need no JavaScript


def test_unknown_domain_and_paths(site: Site, browser: Agent, domain_app: DomainApp) -> None:
    assert browser.get("/nowhere").status_code == 404
    assert browser.post("/oauth2/authorize").status_code == 405
    other = Agent(domain_app, "nobody.localhost")
    try:
        assert other.get("/login").status_code == 404
    finally:
        other.close()


def test_journaled_and_replayed(tmp_path: Path, site: Site) -> None:
    """Page requests go through Persistence: a restart replays them, and the code still works."""
    path = str(tmp_path / "state.db")
    live = Persistence(recording_mock("us-east-1"), path)
    mock = live.mock
    pool_id = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    mock.call("CreateUserPoolDomain", UserPoolId=pool_id, Domain="journaled")
    app = mock.call(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="c", AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"], CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]  # fmt: skip
    mock.call("AdminCreateUser", UserPoolId=pool_id, Username="eve", MessageAction="SUPPRESS")
    mock.call(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="eve",
        Password=PASSWORD,
        Permanent=True,
    )
    live.checkpoint()  # the setup above was made directly, not through the journal
    browser = Agent(DomainApp(live), "journaled.localhost")
    try:
        page = login_page(browser, app)
        code = code_of(browser.submit(page, "cognitoSignInForm", username="eve", password=PASSWORD))
    finally:
        browser.close()
    again = Persistence(recording_mock("us-east-1"), path)
    status, _, body = again.handle_oauth2(
        "/oauth2/token", {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                          "client_id": app["ClientId"]},
    )  # fmt: skip
    assert status == 200 and b"id_token" in body
    assert code_flow_tokens(again.mock, app["ClientId"], "eve", PASSWORD)["token_type"] == "Bearer"


@pytest.mark.parametrize("path", ["/signup", "/forgotPassword", "/confirm"])
def test_pages_check_the_authorize_parameters(site: Site, browser: Agent, path: str) -> None:
    answer = browser.get(path, params={"client_id": site.web["ClientId"]})
    assert (
        answer.headers["location"]
        == f"/error?error=redirect_mismatch&client_id={site.web['ClientId']}"
    )


def test_pages_follow_the_pools_guards(
    client: Any, clock: ManualClock, site: Site, alice: str, browser: Agent
) -> None:
    """While a point-in-time recovery pauses writes, the sign-up page is refused as SignUp would
    be; sign-in goes on."""
    point = clock.now()
    clock.advance(3600)
    client.initiate_point_in_time_recovery(UserPoolId=site.pool_id, RestoreTimestamp=point)
    page = login_page(browser, site.web)
    signup = browser.get("/signup", params=authorize_query(site.web))
    refused = browser.submit(signup, "signUpForm", username="zoe", email="z@example.com",
                             password=PASSWORD)  # fmt: skip
    assert refused.status_code == 400 and "OperationNotEnabledException" in refused.text
    assert (
        f"Write operations are paused in user pool {site.pool_id} while point-in-time"
        in refused.text
    )
    code_of(browser.submit(page, "cognitoSignInForm", username="alice", password=PASSWORD))
