"""Managed login branding styles: Create/Describe/DescribeByClient/Update/Delete, one style per
app client, settings merged on update and image assets keyed by category and colour mode."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import require_client
from cognito_mock.errors import (
    InvalidParameterException,
    ManagedLoginBrandingExistsException,
    ResourceNotFoundException,
)

__all__ = ["Branding", "branding_for_client"]

# Categories whose file type is fixed by their name.
_FIXED_EXTENSION = {"FAVICON_ICO": "ICO", "FAVICON_SVG": "SVG"}
_MAGIC = {
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "JPEG": (b"\xff\xd8\xff",),
    "ICO": (b"\x00\x00\x01\x00",),
    "WEBP": (b"RIFF",),
}


@dataclass
class Branding:
    branding_id: str
    pool_id: str
    client_id: str
    created: float
    modified: float
    use_cognito_values: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    assets: list[dict[str, Any]] = field(default_factory=list)


def _store(pool: UserPool) -> dict[str, Branding]:
    return pool.branding


def branding_for_client(pool: UserPool, client_id: str) -> Branding | None:
    for style in _store(pool).values():
        if style.client_id == client_id:
            return style
    return None


def _merge(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` over `base`, recursively: settings the request leaves out are preserved."""
    out = dict(base)
    for key, value in given.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = clone(value)
    return out


def _check_asset(asset: dict[str, Any]) -> None:
    category, extension = asset["Category"], asset["Extension"]
    fixed = _FIXED_EXTENSION.get(category)
    if fixed and extension != fixed:
        raise InvalidParameterException(f"Asset category {category} requires extension {fixed}.")
    if "Bytes" not in asset:
        return
    try:
        data = base64.b64decode(asset["Bytes"], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterException(f"Asset {category} bytes are not valid base64.") from None
    if extension == "SVG":
        valid = b"<svg" in data[:4096].lower()
    else:
        valid = data.startswith(_MAGIC[extension]) and (
            extension != "WEBP" or data[8:12] == b"WEBP"
        )
    if not valid:
        raise InvalidParameterException(
            f"Asset {category} ({asset['ColorMode']}) is not a valid {extension} file."
        )


def _check_request(request: dict[str, Any]) -> list[dict[str, Any]]:
    assets = request.get("Assets") or []
    if request.get("UseCognitoProvidedValues") and ("Settings" in request or assets):
        raise InvalidParameterException(
            "Settings and Assets cannot be specified when UseCognitoProvidedValues is true."
        )
    seen: set[tuple[str, str]] = set()
    for asset in assets:
        key = (asset["Category"], asset["ColorMode"])
        if key in seen:
            raise InvalidParameterException(
                f"Assets contains more than one {key[0]} asset for color mode {key[1]}."
            )
        seen.add(key)
        _check_asset(asset)
    if "Settings" in request and not isinstance(request["Settings"], dict):
        raise InvalidParameterException("Settings must be a JSON object.")
    return [clone(a) for a in assets]


def _view(style: Branding) -> dict[str, Any]:
    return {
        "ManagedLoginBrandingId": style.branding_id,
        "UserPoolId": style.pool_id,
        "UseCognitoProvidedValues": style.use_cognito_values,
        "Settings": clone(style.settings),
        "Assets": clone(style.assets),
        "CreationDate": style.created,
        "LastModifiedDate": style.modified,
    }


def _require(pool: UserPool, branding_id: str) -> Branding:
    found = _store(pool).get(branding_id)
    if found is None:
        raise ResourceNotFoundException(f"Managed login branding {branding_id} does not exist.")
    return found


def _apply(style: Branding, request: dict[str, Any], assets: list[dict[str, Any]]) -> None:
    if request.get("UseCognitoProvidedValues"):
        style.use_cognito_values, style.settings, style.assets = True, {}, []
        return
    if "Settings" in request or assets:
        style.use_cognito_values = False
    if "Settings" in request:
        style.settings = _merge(style.settings, request["Settings"])
    replaced = {(a["Category"], a["ColorMode"]) for a in assets}
    kept = [a for a in style.assets if (a["Category"], a["ColorMode"]) not in replaced]
    style.assets = kept + assets


@operation("CreateManagedLoginBranding")
def create_managed_login_branding(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request["ClientId"]
    require_client(backend, pool.id, client_id)
    if branding_for_client(pool, client_id) is not None:
        raise ManagedLoginBrandingExistsException(
            f"App client {client_id} already has a managed login branding style."
        )
    assets = _check_request(request)
    now = backend.clock.now()
    style = Branding(backend.ids.uuid4(), pool.id, client_id, now, now)
    # A style with nothing given starts from the Cognito-provided values.
    style.use_cognito_values = not ("Settings" in request or assets)
    _apply(style, request, assets)
    _store(pool)[style.branding_id] = style
    return {"ManagedLoginBranding": _view(style)}


@operation("DescribeManagedLoginBranding")
def describe_managed_login_branding(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"ManagedLoginBranding": _view(_require(pool, request["ManagedLoginBrandingId"]))}


@operation("DescribeManagedLoginBrandingByClient")
def describe_managed_login_branding_by_client(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request["ClientId"]
    require_client(backend, pool.id, client_id)
    style = branding_for_client(pool, client_id)
    if style is None:
        raise ResourceNotFoundException(
            f"App client {client_id} has no managed login branding style."
        )
    return {"ManagedLoginBranding": _view(style)}


@operation("UpdateManagedLoginBranding")
def update_managed_login_branding(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    for member in ("UserPoolId", "ManagedLoginBrandingId"):
        if not request.get(member):
            raise InvalidParameterException(f"{member} is required.")
    pool = backend.pool(request["UserPoolId"])
    style = _require(pool, request["ManagedLoginBrandingId"])
    assets = _check_request(request)
    _apply(style, request, assets)
    style.modified = backend.clock.now()
    return {"ManagedLoginBranding": _view(style)}


@operation("DeleteManagedLoginBranding")
def delete_managed_login_branding(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    style = _require(pool, request["ManagedLoginBrandingId"])
    del _store(pool)[style.branding_id]
    return {}
