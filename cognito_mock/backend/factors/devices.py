"""Device tracking: users' device records, the pool's DeviceConfiguration, and the nine device
operations (ConfirmDevice, Get/List/Forget/UpdateDeviceStatus and their Admin forms)."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cognito_mock.backend.crypto.srp import verifier_from_device_config
from cognito_mock.backend.directory.users import find_user, require_user
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.store import Origin
from cognito_mock.backend.tokens.verify import INVALID_REFRESH, authenticate_access_token
from cognito_mock.errors import (
    DeviceKeyExistsException,
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
)

__all__ = [
    "DEVICE_NOT_FOUND",
    "Device",
    "check_refresh_device",
    "device_group_key",
    "device_of",
    "remembered_skips_mfa",
    "tracking",
]

DEVICE_NOT_FOUND = "Device does not exist."  # observed (amazon-cognito-identity-js #200, .NET)
DEVICE_EXISTS = "Device key already exists."
BAD_VERIFIER = "Invalid DeviceSecretVerifierConfig: PasswordVerifier and Salt must be base64."
DEFAULT_LIMIT = 60  # QueryLimitType's maximum; the service's default is undocumented
_PAGE_KIND = "devices"


@dataclass
class Device:
    """One confirmed device of a user (ConfirmDevice made it; ForgetDevice deletes it)."""

    key: str
    seq: int  # confirmation order: the stable key of ListDevices paging
    verifier: int | None  # g^x from DeviceSecretVerifierConfig; None when none was sent
    salt: str | None  # hex, sent back as DEVICE_PASSWORD_VERIFIER's SALT
    name: str | None
    remembered: bool
    created: float
    modified: float
    authenticated: float


# ----------------------------------------------------------------------------- pool and user


def tracking(pool: UserPool) -> dict[str, Any] | None:
    """The pool's DeviceConfiguration when device tracking is on (any field set), else None."""
    config = pool.settings.get("DeviceConfiguration")
    return config if isinstance(config, dict) and config else None


def remembered_skips_mfa(pool: UserPool) -> bool:
    """ChallengeRequiredOnNewDevice: a remembered device then stands in for the MFA factor."""
    config = tracking(pool)
    return bool(config and config.get("ChallengeRequiredOnNewDevice"))


def device_group_key(pool: UserPool, user: User) -> str:
    """The user's DeviceGroupKey (`-` + 8 base64url characters, like `-M2nI29X6`).

    Derived, not drawn: stable per user without storing it, and a seeded mock's ids are not
    shifted by sign-ins that only look at it.
    """
    digest = hashlib.sha256(f"device-group|{pool.id}|{user.sub}".encode()).digest()
    return "-" + base64.urlsafe_b64encode(digest).decode("ascii")[:8]


def _devices(user: User) -> dict[str, Device]:
    return user.devices


def device_of(user: User, key: str | None) -> Device | None:
    """The user's confirmed device `key`, or None."""
    if not key:
        return None
    return user.devices.get(key) if user._devices else None


def check_refresh_device(backend: Backend, user: User, origin: Origin, given: str | None) -> None:
    """A refresh of a device-bound sign-in must name that device, which must still be confirmed
    (a forgotten device's refresh tokens stop working); the service says `Invalid Refresh Token`.
    """
    if origin.device_key is None:
        return
    device = device_of(user, origin.device_key)
    if given != origin.device_key or device is None:
        raise NotAuthorizedException(INVALID_REFRESH)
    device.authenticated = backend.clock.now()


# ----------------------------------------------------------------------------- views


def _device_view(backend: Backend, pool: UserPool, user: User, device: Device) -> dict[str, Any]:
    """DeviceType, with the attributes the service lists (AWS CLI reference example)."""
    owner = f"{user.username}.{pool.id}"
    attributes = [{"Name": "device_status", "Value": "valid"}]
    if device.name:
        attributes.append({"Name": "device_name", "Value": device.name})
    arn = (
        f"arn:aws:cognito-idp:{backend.region}:{backend.account_id}:owner/{owner}"
        f"/device/{device.key}"
    )
    attributes += [
        {"Name": "dev:device_arn", "Value": arn},
        {"Name": "dev:device_owner", "Value": owner},
        {
            "Name": "dev:device_remembered_status",
            "Value": "remembered" if device.remembered else "not_remembered",
        },
    ]
    return {
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": device.modified,
        "DeviceLastAuthenticatedDate": device.authenticated,
    }


def _list(
    backend: Backend,
    pool: UserPool,
    user: User,
    request: dict[str, Any],
    *,
    remembered_only: bool,
) -> dict[str, Any]:
    devices = [d for d in user.devices.values() if d.remembered or not remembered_only]
    limit = int(request.get("Limit") or DEFAULT_LIMIT)
    page, token = page_after(
        backend, _PAGE_KIND, f"{pool.id}/{user.sub}", [d.seq for d in devices], devices, limit,
        request.get("PaginationToken"),
    )  # fmt: skip
    result: dict[str, Any] = {"Devices": [_device_view(backend, pool, user, d) for d in page]}
    if token:
        result["PaginationToken"] = token
    return result


# ----------------------------------------------------------------------------- request helpers


def _self(backend: Backend, request: dict[str, Any]) -> tuple[UserPool, User, dict[str, Any]]:
    """The caller behind the request's access token (optional in some of these models)."""
    token = request.get("AccessToken")
    if not token:
        raise InvalidParameterException("Missing required parameter AccessToken")
    return authenticate_access_token(backend, token)


def _admin_user(
    backend: Backend, request: dict[str, Any], *, declared: bool
) -> tuple[UserPool, User]:
    """The pool and user an admin request names. AdminGetDevice and AdminListDevices declare no
    UserNotFoundException, so an unknown user is a missing resource there."""
    pool = backend.pool(request["UserPoolId"])
    if declared:
        return pool, require_user(pool, request["Username"])
    user = find_user(pool, request["Username"])
    if user is None:
        raise ResourceNotFoundException("User does not exist.")
    return pool, user


def _require_device(user: User, key: str, *, remembered: bool = False) -> Device:
    device = device_of(user, key)
    if device is None or (remembered and not device.remembered):
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    return device


def _set_status(backend: Backend, device: Device, request: dict[str, Any]) -> dict[str, Any]:
    status = request.get("DeviceRememberedStatus")
    if not status:
        raise InvalidParameterException("Missing required parameter DeviceRememberedStatus")
    device.remembered = status == "remembered"
    device.modified = backend.clock.now()
    return {}


# ----------------------------------------------------------------------------- operations


@operation("ConfirmDevice")
def confirm_device(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Register the device this sign-in was given (its access token names it) with its SRP
    verifier; remembered at once unless the pool asks the user first."""
    pool, user, claims = _self(backend, request)
    key = request["DeviceKey"]
    config = tracking(pool)
    if config is None or claims.get("device_key") != key:
        raise ResourceNotFoundException(DEVICE_NOT_FOUND)
    if device_of(user, key) is not None:
        raise DeviceKeyExistsException(DEVICE_EXISTS)
    verifier: int | None = None
    salt: str | None = None
    secret = request.get("DeviceSecretVerifierConfig")
    if secret:
        try:
            verifier, salt = verifier_from_device_config(
                secret.get("PasswordVerifier", ""), secret.get("Salt", "")
            )
        except ValueError:
            raise InvalidParameterException(BAD_VERIFIER) from None
    prompt = bool(config.get("DeviceOnlyRememberedOnUserPrompt"))
    # Checked; now change the user.
    now = backend.clock.now()
    seq = user.device_seq
    user.device_seq = seq + 1
    _devices(user)[key] = Device(
        key=key, seq=seq, verifier=verifier, salt=salt, name=request.get("DeviceName"),
        remembered=not prompt, created=now, modified=now, authenticated=now,
    )  # fmt: skip
    return {"UserConfirmationNecessary": prompt}


@operation("GetDevice")
def get_device(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """A remembered device of the caller (the service hides not-remembered ones here)."""
    pool, user, _ = _self(backend, request)
    device = _require_device(user, request["DeviceKey"], remembered=True)
    return {"Device": _device_view(backend, pool, user, device)}


@operation("ListDevices")
def list_devices(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = _self(backend, request)
    return _list(backend, pool, user, request, remembered_only=True)


@operation("ForgetDevice")
def forget_device(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = _self(backend, request)
    _require_device(user, request["DeviceKey"])
    del _devices(user)[request["DeviceKey"]]
    return {}


@operation("UpdateDeviceStatus")
def update_device_status(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = _self(backend, request)
    return _set_status(backend, _require_device(user, request["DeviceKey"]), request)


@operation("AdminGetDevice")
def admin_get_device(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user = _admin_user(backend, request, declared=False)
    device = _require_device(user, request["DeviceKey"])
    return {"Device": _device_view(backend, pool, user, device)}


@operation("AdminListDevices")
def admin_list_devices(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user = _admin_user(backend, request, declared=False)
    return _list(backend, pool, user, request, remembered_only=False)


@operation("AdminForgetDevice")
def admin_forget_device(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user = _admin_user(backend, request, declared=True)
    _require_device(user, request["DeviceKey"])
    del _devices(user)[request["DeviceKey"]]
    return {}


@operation("AdminUpdateDeviceStatus")
def admin_update_device_status(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user = _admin_user(backend, request, declared=True)
    return _set_status(backend, _require_device(user, request["DeviceKey"]), request)
