"""Hosted UI (classic) branding: domain requirement, pool default vs client override, checks."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.kernel.registry import registered

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
CSS = ".submitButton-customizable { background-color: #123456; }"


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _add_domain(mock: CognitoMock, client: Any, pool_id: str) -> None:
    if "CreateUserPoolDomain" in registered():
        client.create_user_pool_domain(UserPoolId=pool_id, Domain="brand-test-domain")
    else:  # until the domains concern lands, place the domain where it will keep it
        mock.backend().pool(pool_id).domain = "brand-test-domain"


@pytest.fixture
def app(client: Any, pool_id: str) -> str:
    return str(
        client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"][
            "ClientId"
        ]
    )


def test_set_needs_a_domain(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_ui_customization(UserPoolId=pool_id, CSS=CSS)
    assert _error(excinfo) == (
        "InvalidParameterException",
        "There has to be an existing domain associated with this user pool",
    )
    got = client.get_ui_customization(UserPoolId=pool_id)["UICustomization"]
    assert got == {"UserPoolId": pool_id, "ClientId": "ALL"}


def test_pool_default_and_client_override(
    mock: CognitoMock, client: Any, pool_id: str, app: str, clock: ManualClock
) -> None:
    _add_domain(mock, client, pool_id)
    made = client.set_ui_customization(UserPoolId=pool_id, ClientId="ALL", CSS=CSS, ImageFile=PNG)
    pool_level = made["UICustomization"]
    assert pool_level["ClientId"] == "ALL"
    assert pool_level["CSS"] == CSS
    assert pool_level["CSSVersion"].isdigit() and len(pool_level["CSSVersion"]) == 14
    assert pool_level["ImageUrl"].endswith("/assets/images/image.png")
    assert f"/{pool_id}/ALL/" in pool_level["ImageUrl"]
    # A client without its own branding inherits the pool's.
    inherited = client.get_ui_customization(UserPoolId=pool_id, ClientId=app)["UICustomization"]
    assert inherited["ClientId"] == "ALL" and inherited["CSS"] == CSS
    clock.advance(60)
    own_css = ".banner-customizable { padding: 0; }"
    client.set_ui_customization(UserPoolId=pool_id, ClientId=app, CSS=own_css, ImageFile=JPEG)
    own = client.get_ui_customization(UserPoolId=pool_id, ClientId=app)["UICustomization"]
    assert own["ClientId"] == app and own["CSS"] == own_css
    assert own["ImageUrl"].endswith("image.jpg")
    assert own["LastModifiedDate"] > pool_level["LastModifiedDate"]
    # The pool default is untouched.
    assert client.get_ui_customization(UserPoolId=pool_id)["UICustomization"]["CSS"] == CSS


def test_update_keeps_creation_date(
    mock: CognitoMock, client: Any, pool_id: str, clock: ManualClock
) -> None:
    _add_domain(mock, client, pool_id)
    first = client.set_ui_customization(UserPoolId=pool_id, CSS=CSS)["UICustomization"]
    clock.advance(3600)
    second = client.set_ui_customization(UserPoolId=pool_id, CSS=CSS)["UICustomization"]
    assert second["CreationDate"] == first["CreationDate"]
    assert second["LastModifiedDate"] > first["LastModifiedDate"]
    assert second["CSSVersion"] != first["CSSVersion"]


@pytest.mark.parametrize(
    ("css", "message_start"),
    [
        ("body { color: red; }", "CSS selector body is not customizable."),
        (".label-customizable { color: red; } oops", "CSS could not be parsed"),
    ],
)
def test_css_must_style_customizable_classes(
    mock: CognitoMock, client: Any, pool_id: str, css: str, message_start: str
) -> None:
    _add_domain(mock, client, pool_id)
    with pytest.raises(ClientError) as excinfo:
        client.set_ui_customization(UserPoolId=pool_id, CSS=css)
    code, message = _error(excinfo)
    assert code == "InvalidParameterException"
    assert message.startswith(message_start)
    assert "CSS" not in client.get_ui_customization(UserPoolId=pool_id)["UICustomization"]


def test_image_must_be_png_or_jpeg_under_100kb(
    mock: CognitoMock, client: Any, pool_id: str
) -> None:
    _add_domain(mock, client, pool_id)
    with pytest.raises(ClientError) as excinfo:
        client.set_ui_customization(UserPoolId=pool_id, ImageFile=b"GIF89a....")
    assert _error(excinfo) == (
        "InvalidParameterException",
        "The logo image must be a PNG or JPEG file.",
    )
    with pytest.raises(ClientError) as excinfo:
        client.set_ui_customization(UserPoolId=pool_id, ImageFile=PNG + b"\x00" * 102400)
    assert _error(excinfo) == (
        "InvalidParameterException",
        "The logo image must not be larger than 100 KB.",
    )
    # The valid image is accepted, and the refused ones left nothing behind before it.
    assert "ImageUrl" not in client.get_ui_customization(UserPoolId=pool_id)["UICustomization"]
    client.set_ui_customization(UserPoolId=pool_id, ImageFile=PNG)
    stored = client.get_ui_customization(UserPoolId=pool_id)["UICustomization"]
    assert stored["ImageUrl"].endswith("/assets/images/image.png")


def test_unknown_client_and_pool(mock: CognitoMock, client: Any, pool_id: str) -> None:
    _add_domain(mock, client, pool_id)
    with pytest.raises(ClientError) as excinfo:
        client.set_ui_customization(UserPoolId=pool_id, ClientId="nosuchclient", CSS=CSS)
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )
    with pytest.raises(ClientError) as excinfo:
        client.get_ui_customization(UserPoolId=pool_id, ClientId="nosuchclient")
    assert _error(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        client.get_ui_customization(UserPoolId="us-east-1_nothere00")
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "User pool us-east-1_nothere00 does not exist.",
    )
