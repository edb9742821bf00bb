"""A real browser (headless Chromium driven by Selenium and the system chromedriver) on a served
mock: sign up, confirm with the code from the outbox, set up TOTP MFA (pyotp), reach the app's
callback, SSO into a second client, sign out, sign in with a TOTP code, and sign in through an
OIDC provider that is another pool of the mock. The sign-in page is kept as a screenshot."""

from __future__ import annotations

import os
import re
import shutil
import struct
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from werkzeug.serving import make_server

from cognito_mock import CognitoMock
from tests.helpers import PASSWORD
from tests.web.conftest import Served
from tests.web.test_authlib import flask_app

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def _png(size: int) -> bytes:
    """A logo for the UI customization: a white disc with a gold ring, drawn here (no files)."""
    rows = []
    centre = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5 / centre
            if distance <= 0.62:
                row += bytes((255, 255, 255, 255))
            elif distance <= 0.95:
                row += bytes((242, 183, 5, 255))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))  # fmt: skip


LOGO = _png(72)
CSS = (
    ".banner-customizable { background-color: #0b6e69; }\n"
    ".submitButton-customizable { background-color: #0b6e69; }\n"
    ".submitButton-customizable:hover { background-color: #08524e; }\n"
    ".background-customizable { background-color: #e8f3f2; }"
)


def _webdriver() -> Any:
    """Selenium, or a clear refusal: under CI (`CI=true`, where .ci/run installs chromium and
    chromium-driver) a missing component fails the test; locally it is skipped."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    if missing:
        reason = f"needs {' and '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    if os.environ.get("CI"):
        import selenium  # noqa: F401  (installed by the test extra: a CI run must have it)
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium")
    return webdriver


@pytest.fixture
def chrome(tmp_path: Path) -> Iterator[Any]:
    webdriver = _webdriver()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp_path)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=900,900"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(10)  # a click returns before the next page has loaded
    try:
        yield driver
    finally:
        driver.quit()


class App:
    """An Authlib Flask app (tests/web/test_authlib.py) served on localhost for the browser."""

    def __init__(self, served: Served, pool_id: str, client: dict[str, Any], port: int) -> None:
        app = flask_app(served, pool_id, client, f"http://localhost:{port}/signed-out")
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://localhost:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def _client(
    mock: CognitoMock, pool_id: str, name: str, port: int, providers: list[str]
) -> dict[str, Any]:
    return dict(
        mock.call(
            "CreateUserPoolClient", UserPoolId=pool_id, ClientName=name, GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid", "email"], SupportedIdentityProviders=providers,
            CallbackURLs=[f"http://localhost:{port}/callback"],
            LogoutURLs=[f"http://localhost:{port}/signed-out"],
        )["UserPoolClient"]
    )  # fmt: skip


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_person_signs_up_signs_in_with_mfa_sso_sign_out_and_federation(
    served: Served, chrome: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    mock, port = served.mock, served.port

    def at(prefix: str) -> bool:
        """Wait (a click does not) until the browser is at a URL starting with `prefix`."""
        WebDriverWait(chrome, 15).until(lambda driver: driver.current_url.startswith(prefix))
        return True

    # The IdP: another pool of the same mock, with a user.
    partner = mock.call("CreateUserPool", PoolName="Partner Corp")["UserPool"]["Id"]
    mock.call("CreateUserPoolDomain", UserPoolId=partner, Domain="partner")
    federation = mock.call(
        "CreateUserPoolClient", UserPoolId=partner, ClientName="shop", GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], SupportedIdentityProviders=["COGNITO"],
        CallbackURLs=[f"http://shop.localhost:{port}/oauth2/idpresponse"],
    )["UserPoolClient"]  # fmt: skip
    mock.call("AdminCreateUser", UserPoolId=partner, Username="pat", MessageAction="SUPPRESS",
              UserAttributes=[{"Name": "email", "Value": "pat@partner.example"}])  # fmt: skip
    mock.call(
        "AdminSetUserPassword",
        UserPoolId=partner,
        Username="pat",
        Password=PASSWORD,
        Permanent=True,
    )
    # The shop: MFA required (TOTP), branded, federating to the partner.
    shop = mock.call(
        "CreateUserPool", PoolName="Shop", AutoVerifiedAttributes=["email"], MfaConfiguration="OFF",
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
    )["UserPool"]["Id"]  # fmt: skip
    mock.call("SetUserPoolMfaConfig", UserPoolId=shop, MfaConfiguration="ON",
              SoftwareTokenMfaConfiguration={"Enabled": True})  # fmt: skip
    mock.call("CreateUserPoolDomain", UserPoolId=shop, Domain="shop")
    mock.call("SetUICustomization", UserPoolId=shop, CSS=CSS, ImageFile=LOGO)
    mock.call(
        "CreateIdentityProvider", UserPoolId=shop, ProviderName="Partner", ProviderType="OIDC",
        ProviderDetails={"client_id": federation["ClientId"], "client_secret": federation["ClientSecret"],
                         "authorize_scopes": "openid email", "oidc_issuer": mock.issuer(partner),
                         "attributes_request_method": "GET"},
        AttributeMapping={"email": "email"},
    )  # fmt: skip
    ports = (_free_port(), _free_port())
    first = App(
        served, shop, _client(mock, shop, "store", ports[0], ["COGNITO", "Partner"]), ports[0]
    )
    second = App(served, shop, _client(mock, shop, "blog", ports[1], ["COGNITO"]), ports[1])
    try:
        # 1. Sign up and confirm with the code the outbox holds.
        chrome.get(f"{first.url}/login")
        assert at(f"http://shop.localhost:{port}/login?")
        shot = tmp_path / "sign-in.png"
        chrome.save_screenshot(str(shot))
        if os.environ.get("COGNITO_MOCK_SCREENSHOTS"):
            shutil.copy(shot, Path(os.environ["COGNITO_MOCK_SCREENSHOTS"]) / "managed-login.png")
        assert shot.stat().st_size > 5000
        chrome.find_element(By.ID, "signupLink").click()
        chrome.find_element(By.ID, "username").send_keys("dana")
        chrome.find_element(By.ID, "attr-email").send_keys("dana@example.com")
        chrome.find_element(By.ID, "password").send_keys(PASSWORD)
        chrome.find_element(By.NAME, "signUpButton").click()
        assert at(f"http://shop.localhost:{port}/confirm?")
        code = mock.outbox.last("dana@example.com").code
        assert code is not None
        chrome.find_element(By.ID, "verification_code").send_keys(code)
        chrome.find_element(By.NAME, "confirm").click()
        assert "Your account is confirmed" in chrome.find_element(By.ID, "message").text
        # 2. Sign in: the pool requires MFA, so set up an authenticator app first.
        chrome.find_element(By.ID, "signInFormUsername").send_keys("dana")
        chrome.find_element(By.ID, "signInFormPassword").send_keys(PASSWORD)
        chrome.find_element(By.NAME, "signInSubmitButton").click()
        totp = pyotp.TOTP(chrome.find_element(By.ID, "totpSecret").text)
        chrome.find_element(By.ID, "totpSetupCode").send_keys(totp.at(mock.clock.now()))
        chrome.find_element(By.NAME, "verifyButton").click()
        assert at(f"{first.url}/callback?")
        assert '"cognito:username":"dana"' in chrome.page_source.replace(" ", "")
        # 3. SSO: the second app signs in without a password.
        chrome.get(f"{second.url}/login")
        assert at(f"{second.url}/callback?")
        assert '"cognito:username":"dana"' in chrome.page_source.replace(" ", "")
        # 4. Sign out: the next sign-in shows the page again, and asks for a TOTP code.
        chrome.get(f"{first.url}/logout")
        assert at(f"{first.url}/signed-out")
        chrome.get(f"{second.url}/login")
        assert at(f"http://shop.localhost:{port}/login?")
        chrome.find_element(By.ID, "signInFormUsername").send_keys("dana")
        chrome.find_element(By.ID, "signInFormPassword").send_keys(PASSWORD)
        chrome.find_element(By.NAME, "signInSubmitButton").click()
        code = totp.at(mock.clock.now() + 30)  # the setup spent this window's code
        mock.clock.advance(30)  # type: ignore[attr-defined]  (a ManualClock)
        chrome.find_element(By.ID, "totpCodeInput").send_keys(code)
        chrome.find_element(By.NAME, "signInButton").click()
        assert at(f"{second.url}/callback?")
        # 5. Federation: the partner's user signs in through the "Partner" button.
        chrome.get(f"{second.url}/logout")
        chrome.get(f"{first.url}/login")
        chrome.find_element(By.ID, "idp-Partner").click()
        assert at(f"http://partner.localhost:{port}/login?")
        chrome.find_element(By.ID, "signInFormUsername").send_keys("pat")
        chrome.find_element(By.ID, "signInFormPassword").send_keys(PASSWORD)
        chrome.find_element(By.NAME, "signInSubmitButton").click()
        assert at(f"{first.url}/callback?"), chrome.page_source[:500]
        source = chrome.page_source.replace(" ", "")
        assert re.search(r'"cognito:username":"Partner_[0-9a-f-]{36}"', source)
        assert '"email":"pat@partner.example"' in source
    finally:
        first.close()
        second.close()
