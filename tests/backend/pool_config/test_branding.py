"""Managed login branding: one style per client, merged settings, assets by category and mode."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import ManualClock

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'
SETTINGS = {
    "components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff"}}}}
}


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def app(client: Any, pool_id: str) -> str:
    made = client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")
    return str(made["UserPoolClient"]["ClientId"])


def _logo(mode: str = "LIGHT", data: bytes = PNG) -> dict[str, Any]:
    return {"Category": "PAGE_HEADER_LOGO", "ColorMode": mode, "Extension": "PNG", "Bytes": data}


def test_create_with_defaults_then_by_client(client: Any, pool_id: str, app: str) -> None:
    style = client.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=app, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]
    assert style["UseCognitoProvidedValues"] is True
    assert style["Settings"] == {} and style["Assets"] == []
    by_client = client.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=app)
    assert by_client["ManagedLoginBranding"] == style
    with pytest.raises(ClientError) as excinfo:
        client.create_managed_login_branding(UserPoolId=pool_id, ClientId=app, Settings=SETTINGS)
    assert _error(excinfo) == (
        "ManagedLoginBrandingExistsException",
        f"App client {app} already has a managed login branding style.",
    )


def test_update_merges_settings_and_replaces_assets_by_key(
    client: Any, pool_id: str, app: str, clock: ManualClock
) -> None:
    style = client.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=app, Settings=SETTINGS, Assets=[_logo("LIGHT"), _logo("DARK")]
    )["ManagedLoginBranding"]
    assert style["UseCognitoProvidedValues"] is False
    clock.advance(10)
    extra = {"categories": {"global": {"colorSchemeMode": "DARK"}}}
    newer_png = PNG + b"\x01"
    updated = client.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
        Settings=extra, Assets=[_logo("DARK", newer_png)],
    )["ManagedLoginBranding"]  # fmt: skip
    assert updated["Settings"] == {**SETTINGS, **extra}
    assert [(a["ColorMode"], a["Bytes"]) for a in updated["Assets"]] == [
        ("LIGHT", PNG),
        ("DARK", newer_png),
    ]
    assert updated["LastModifiedDate"] > style["LastModifiedDate"]
    described = client.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBrandingId"]
    )["ManagedLoginBranding"]
    assert described == updated
    # Back to the Cognito-provided values.
    reset = client.update_managed_login_branding(
        UserPoolId=pool_id,
        ManagedLoginBrandingId=style["ManagedLoginBrandingId"],
        UseCognitoProvidedValues=True,
    )["ManagedLoginBranding"]
    assert (reset["UseCognitoProvidedValues"], reset["Settings"], reset["Assets"]) == (True, {}, [])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"UseCognitoProvidedValues": True, "Settings": SETTINGS},
         "Settings and Assets cannot be specified when UseCognitoProvidedValues is true."),
        ({"Assets": [_logo(), _logo()]},
         "Assets contains more than one PAGE_HEADER_LOGO asset for color mode LIGHT."),
        ({"Assets": [_logo(data=b"GIF89a")]},
         "Asset PAGE_HEADER_LOGO (LIGHT) is not a valid PNG file."),
        ({"Assets": [{"Category": "FAVICON_SVG", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}]},
         "Asset category FAVICON_SVG requires extension SVG."),
    ],
)  # fmt: skip
def test_refused_requests_create_nothing(
    client: Any, pool_id: str, app: str, extra: dict[str, Any], message: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_managed_login_branding(UserPoolId=pool_id, ClientId=app, **extra)
    assert _error(excinfo) == ("InvalidParameterException", message)
    with pytest.raises(ClientError) as excinfo:
        client.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=app)
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        f"App client {app} has no managed login branding style.",
    )


def test_svg_favicon_and_delete(client: Any, pool_id: str, app: str) -> None:
    svg = {"Category": "FAVICON_SVG", "ColorMode": "DYNAMIC", "Extension": "SVG", "Bytes": SVG}
    style = client.create_managed_login_branding(UserPoolId=pool_id, ClientId=app, Assets=[svg])[
        "ManagedLoginBranding"
    ]
    branding_id = style["ManagedLoginBrandingId"]
    client.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id)
    with pytest.raises(ClientError) as excinfo:
        client.describe_managed_login_branding(
            UserPoolId=pool_id, ManagedLoginBrandingId=branding_id
        )
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        f"Managed login branding {branding_id} does not exist.",
    )
    # The client may have a new style after the old one is gone.
    client.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=app, UseCognitoProvidedValues=True
    )


def test_update_needs_its_ids(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.update_managed_login_branding(UseCognitoProvidedValues=True)
    assert _error(excinfo) == ("InvalidParameterException", "UserPoolId is required.")
