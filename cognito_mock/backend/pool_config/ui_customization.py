"""Hosted UI (classic) branding: SetUICustomization / GetUICustomization, per pool and per client."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from typing import Any

from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import require_client
from cognito_mock.errors import InvalidParameterException

__all__ = ["ALL", "CUSTOMIZABLE_CLASSES", "ui_customization"]

ALL = "ALL"  # the ClientId that names the pool-wide default
NO_DOMAIN = "There has to be an existing domain associated with this user pool"
# The classes the hosted UI lets a stylesheet change (developer guide, "Hosted UI (classic)
# branding"); any other selector is refused.
CUSTOMIZABLE_CLASSES = frozenset(
    {
        ".background-customizable",
        ".banner-customizable",
        ".errorMessage-customizable",
        ".idpButton-customizable",
        ".idpButton-customizable:hover",
        ".idpDescription-customizable",
        ".inputField-customizable",
        ".inputField-customizable:focus",
        ".label-customizable",
        ".legalText-customizable",
        ".logo-customizable",
        ".passwordCheck-notValid-customizable",
        ".passwordCheck-valid-customizable",
        "a.redirect-customizable",
        ".socialButton-customizable",
        ".submitButton-customizable",
        ".submitButton-customizable:hover",
        ".textDescription-customizable",
    }
)
MAX_IMAGE_BYTES = 100 * 1024  # the documented logo limit (the model allows 128 KiB of blob)
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _store(pool: UserPool) -> dict[str, dict[str, Any]]:
    """ClientId (or ALL) -> the stored customization."""
    return pool.ui_customization


def _has_domain(pool: UserPool) -> bool:
    # The domains concern keeps the pool's prefix or custom domain under extra["domain"] (the
    # value DescribeUserPool reports) and extra["custom_domain"].
    return bool(pool.domain or pool.custom_domain)


def _check_css(css: str) -> None:
    """Only rule sets on customizable classes: the hosted UI refuses any other selector."""
    text = _COMMENT.sub("", css)
    rest = _RULE.sub("", text)
    if rest.strip():
        raise InvalidParameterException(
            "CSS could not be parsed: expected selector { declarations }."
        )
    for selectors, _ in _RULE.findall(text):
        for selector in selectors.split(","):
            name = " ".join(selector.split())
            if name not in CUSTOMIZABLE_CLASSES:
                raise InvalidParameterException(
                    f"CSS selector {name or '(empty)'} is not customizable. Customizable classes: "
                    + ", ".join(sorted(CUSTOMIZABLE_CLASSES))
                )


def _image_kind(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    raise InvalidParameterException("The logo image must be a PNG or JPEG file.")


def _decode_image(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterException("ImageFile is not valid base64.") from None


def _css_version(now: float) -> str:
    """The service stamps each stylesheet with its upload time, `yyyyMMddHHmmss`."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(now))


def _image_url(backend: Backend, pool: UserPool, client: str, version: str, kind: str) -> str:
    # Logos are served from a CloudFront distribution; a stable host per account and region.
    host = hashlib.sha256(f"{backend.account_id}|{backend.region}".encode()).hexdigest()[:14]
    return f"https://d{host}.cloudfront.net/{pool.id}/{client}/{version}/assets/images/image.{kind}"


def ui_customization(pool: UserPool, client_id: str | None) -> dict[str, Any]:
    """UICustomizationType for a client: its own branding, else the pool's, else just the ids."""
    store = _store(pool)
    found = store.get(client_id or ALL) or store.get(ALL)
    if found is None:
        return {"UserPoolId": pool.id, "ClientId": client_id or ALL}
    view = {k: v for k, v in found.items() if not k.startswith("_")}
    return {"UserPoolId": pool.id, **view}


@operation("SetUICustomization")
def set_ui_customization(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request.get("ClientId") or ALL
    if client_id != ALL:
        require_client(backend, pool.id, client_id)
    if not _has_domain(pool):
        raise InvalidParameterException(NO_DOMAIN)
    css = request.get("CSS")
    if css:
        _check_css(css)
    image = _decode_image(request["ImageFile"]) if request.get("ImageFile") else None
    kind = None
    if image is not None:
        if len(image) > MAX_IMAGE_BYTES:
            raise InvalidParameterException("The logo image must not be larger than 100 KB.")
        kind = _image_kind(image)
    now = backend.clock.now()
    store = _store(pool)
    previous = store.get(client_id)
    entry: dict[str, Any] = {
        "ClientId": client_id,
        "CreationDate": previous["CreationDate"] if previous else now,
        "LastModifiedDate": now,
    }
    version = _css_version(now)
    if css is not None:
        entry["CSS"] = css
        entry["CSSVersion"] = version
    if image is not None and kind is not None:
        entry["ImageUrl"] = _image_url(backend, pool, client_id, version, kind)
        entry["_image"] = image  # kept so a served hosted UI could return the logo
    store[client_id] = entry
    return {"UICustomization": ui_customization(pool, client_id)}


@operation("GetUICustomization")
def get_ui_customization(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request.get("ClientId")
    if client_id and client_id != ALL:
        require_client(backend, pool.id, client_id)
    return {"UICustomization": ui_customization(pool, client_id)}
