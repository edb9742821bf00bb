"""Device tracking through boto3: NewDeviceMetadata, ConfirmDevice, device SRP (pycognito's client
math, TIMESTAMP from the mock clock), the device_key claim, device-bound refresh, and the
Get/List/Forget/UpdateDeviceStatus operations and their Admin forms."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.auth import pipeline as signin
from cognito_mock.backend.crypto.srp import format_timestamp
from tests.helpers import PASSWORD

TRACKING = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
DEVICE_KEY = re.compile(
    r"^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


def error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def make_pool(client: Any, config: dict[str, Any] | None = TRACKING) -> dict[str, str]:
    extra = {"DeviceConfiguration": config} if config is not None else {}
    pool = client.create_user_pool(PoolName="devices", **extra)["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    client.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    client.admin_set_user_password(
        UserPoolId=pool, Username="alice", Password=PASSWORD, Permanent=True
    )
    return {"pool": pool, "app": app}


@pytest.fixture
def world(client: Any) -> dict[str, str]:
    return make_pool(client)


def sign_in(client: Any, world: dict[str, str], **params: str) -> dict[str, Any]:
    return dict(
        client.initiate_auth(
            ClientId=world["app"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, **params},
        )
    )


def register(client: Any, world: dict[str, str], name: str = "laptop") -> dict[str, str]:
    """Sign in as a new device and confirm it; the device's key, group key and password."""
    result = sign_in(client, world)["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    password, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    client.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
        DeviceName=name,
    )
    return {
        "key": meta["DeviceKey"],
        "group": meta["DeviceGroupKey"],
        "password": password,
        "access": result["AccessToken"],
        "refresh": result["RefreshToken"],
    }


def device_proof(
    client: Any, clock: ManualClock, world: dict[str, str], device: dict[str, str],
    challenge: dict[str, Any], password: str | None = None,
) -> dict[str, str]:  # fmt: skip
    """The DEVICE_PASSWORD_VERIFIER answer, from pycognito's device-key derivation."""
    srp, params = challenge["srp"], challenge["ChallengeParameters"]
    key = srp.get_device_authentication_key(
        device["group"], device["key"], password or device["password"],
        int(params["SRP_B"], 16), params["SALT"],
    )  # fmt: skip
    stamp = format_timestamp(clock.now())
    message = (
        device["group"].encode()
        + device["key"].encode()
        + base64.b64decode(params["SECRET_BLOCK"])
        + stamp.encode()
    )
    signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    return {
        "USERNAME": params["USERNAME"],
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "TIMESTAMP": stamp,
        "PASSWORD_CLAIM_SIGNATURE": signature,
        "DEVICE_KEY": device["key"],
    }


def device_challenge(client: Any, world: dict[str, str], device: dict[str, str]) -> dict[str, Any]:
    """Password sign-in with DEVICE_KEY, then DEVICE_SRP_AUTH: the DEVICE_PASSWORD_VERIFIER
    challenge (with the client's SRP state under "srp")."""
    first = sign_in(client, world, DEVICE_KEY=device["key"])
    assert first["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert "AuthenticationResult" not in first
    srp = AWSSRP("alice", PASSWORD, world["pool"], world["app"], client=client)
    second = client.respond_to_auth_challenge(
        ClientId=world["app"],
        ChallengeName="DEVICE_SRP_AUTH",
        Session=first["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "DEVICE_KEY": device["key"],
            "SRP_A": format(srp.large_a_value, "x"),
        },
    )
    assert second["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    assert set(second["ChallengeParameters"]) == {"SRP_B", "SALT", "SECRET_BLOCK", "USERNAME"}
    return {**second, "srp": srp}


def answer(client: Any, world: dict[str, str], challenge: dict[str, Any], responses: Any) -> Any:
    return client.respond_to_auth_challenge(
        ClientId=world["app"],
        ChallengeName="DEVICE_PASSWORD_VERIFIER",
        Session=challenge["Session"],
        ChallengeResponses=responses,
    )


def claims(mock: CognitoMock, world: dict[str, str], token: str) -> dict[str, Any]:
    """Access-token claims, verified (signature, issuer, expiry) with PyJWT against the JWKS."""
    jwks = jwt.PyJWKSet.from_dict(mock.jwks(world["pool"]))
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    decoded: dict[str, Any] = jwt.decode(
        token, key.key, algorithms=["RS256"], issuer=mock.issuer(world["pool"]),
        options={"verify_iat": False, "verify_exp": False},
    )  # fmt: skip
    assert decoded["exp"] > mock.clock.now()  # expiry by the mock's clock, not the real one
    return decoded


def attributes(device: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


# ----------------------------------------------------------------------------- new devices


def test_no_tracking_no_device(mock, client):
    world = make_pool(client, config=None)
    result = sign_in(client, world, DEVICE_KEY="us-east-1_00000000-0000-4000-8000-000000000000")
    assert "NewDeviceMetadata" not in result["AuthenticationResult"]
    assert "device_key" not in claims(mock, world, result["AuthenticationResult"]["AccessToken"])


def test_tracking_returns_new_device_metadata_and_device_key_claim(mock, client, world):
    result = sign_in(client, world)["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    assert DEVICE_KEY.match(meta["DeviceKey"])
    assert re.fullmatch(r"-[A-Za-z0-9_-]{8}", meta["DeviceGroupKey"])
    assert claims(mock, world, result["AccessToken"])["device_key"] == meta["DeviceKey"]
    # Each unrecognised sign-in is a new device; the group key is the user's.
    again = sign_in(client, world)["AuthenticationResult"]["NewDeviceMetadata"]
    assert again["DeviceKey"] != meta["DeviceKey"]
    assert again["DeviceGroupKey"] == meta["DeviceGroupKey"]


def test_admin_sign_in_tracks_devices_too(client, world):
    result = client.admin_initiate_auth(
        UserPoolId=world["pool"], ClientId=world["app"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert DEVICE_KEY.match(result["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"])


# ----------------------------------------------------------------------------- ConfirmDevice


def test_confirm_device_remembers_at_once(mock, client, world, clock):
    device = register(client, world)
    got = client.get_device(AccessToken=device["access"], DeviceKey=device["key"])["Device"]
    assert got["DeviceKey"] == device["key"]
    attrs = attributes(got)
    assert attrs["device_status"] == "valid"
    assert attrs["device_name"] == "laptop"
    assert attrs["dev:device_remembered_status"] == "remembered"
    assert attrs["dev:device_owner"] == f"alice.{world['pool']}"
    assert got["DeviceCreateDate"].timestamp() == pytest.approx(clock.now())
    assert got["DeviceLastAuthenticatedDate"] == got["DeviceCreateDate"]
    listed = client.list_devices(AccessToken=device["access"])
    assert [d["DeviceKey"] for d in listed["Devices"]] == [device["key"]]
    assert "PaginationToken" not in listed


def test_confirm_device_on_user_prompt_needs_update_status(client, clock):
    world = make_pool(client, {"DeviceOnlyRememberedOnUserPrompt": True})
    result = sign_in(client, world)["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    confirmed = client.confirm_device(
        AccessToken=result["AccessToken"], DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
    )  # fmt: skip
    assert confirmed["UserConfirmationNecessary"] is True
    access, key = result["AccessToken"], meta["DeviceKey"]
    # Not remembered: hidden from the user's own Get/List, visible to the admin.
    with pytest.raises(ClientError) as caught:
        client.get_device(AccessToken=access, DeviceKey=key)
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")
    assert client.list_devices(AccessToken=access)["Devices"] == []
    admin = client.admin_get_device(UserPoolId=world["pool"], Username="alice", DeviceKey=key)
    assert attributes(admin["Device"])["dev:device_remembered_status"] == "not_remembered"
    assert "device_name" not in attributes(admin["Device"])
    clock.advance(60)
    client.update_device_status(
        AccessToken=access, DeviceKey=key, DeviceRememberedStatus="remembered"
    )
    got = client.get_device(AccessToken=access, DeviceKey=key)["Device"]
    assert attributes(got)["dev:device_remembered_status"] == "remembered"
    assert (got["DeviceLastModifiedDate"] - got["DeviceCreateDate"]).total_seconds() == 60
    client.admin_update_device_status(
        UserPoolId=world["pool"], Username="alice", DeviceKey=key,
        DeviceRememberedStatus="not_remembered",
    )  # fmt: skip
    assert client.list_devices(AccessToken=access)["Devices"] == []


def test_confirm_device_refusals_leave_state_unchanged(client, world):
    result = sign_in(client, world)["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    access = result["AccessToken"]
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    other = "us-east-1_11111111-2222-4333-8444-555555555555"
    with pytest.raises(ClientError) as caught:
        client.confirm_device(
            AccessToken=access, DeviceKey=other, DeviceSecretVerifierConfig=verifier
        )
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")
    with pytest.raises(ClientError) as caught:
        client.confirm_device(
            AccessToken=access, DeviceKey=meta["DeviceKey"],
            DeviceSecretVerifierConfig={"PasswordVerifier": "not base64!", "Salt": "AA=="},
        )  # fmt: skip
    assert error(caught) == (
        "InvalidParameterException",
        "Invalid DeviceSecretVerifierConfig: PasswordVerifier and Salt must be base64.",
    )
    with pytest.raises(ClientError) as caught:
        client.confirm_device(AccessToken="garbage", DeviceKey=meta["DeviceKey"])
    assert error(caught) == ("NotAuthorizedException", "Invalid Access Token")
    assert client.admin_list_devices(UserPoolId=world["pool"], Username="alice")["Devices"] == []
    client.confirm_device(
        AccessToken=access, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=verifier
    )
    with pytest.raises(ClientError) as caught:
        client.confirm_device(
            AccessToken=access, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=verifier
        )
    assert error(caught) == ("DeviceKeyExistsException", "Device key already exists.")


# ----------------------------------------------------------------------------- device SRP


def test_device_srp_sign_in(mock, client, world, clock):
    device = register(client, world)
    clock.advance(120)
    challenge = device_challenge(client, world, device)
    assert challenge["ChallengeParameters"]["USERNAME"] == "alice"
    result = answer(client, world, challenge, device_proof(client, clock, world, device, challenge))
    tokens = result["AuthenticationResult"]
    assert "NewDeviceMetadata" not in tokens
    assert claims(mock, world, tokens["AccessToken"])["device_key"] == device["key"]
    got = client.get_device(AccessToken=tokens["AccessToken"], DeviceKey=device["key"])["Device"]
    assert (got["DeviceLastAuthenticatedDate"] - got["DeviceCreateDate"]).total_seconds() == 120


def test_device_srp_after_user_srp(client, world, clock):
    """USER_SRP_AUTH -> PASSWORD_VERIFIER (with DEVICE_KEY) -> DEVICE_SRP_AUTH, by pycognito's math."""
    device = register(client, world)
    srp = AWSSRP("alice", PASSWORD, world["pool"], world["app"], client=client)
    first = client.initiate_auth(
        ClientId=world["app"], AuthFlow="USER_SRP_AUTH",
        AuthParameters={**srp.get_auth_params(), "DEVICE_KEY": device["key"]},
    )  # fmt: skip
    responses = srp.process_challenge(first["ChallengeParameters"], {"USERNAME": "alice"})
    # pycognito stamps the real time; re-sign with the mock clock's instant.
    params = first["ChallengeParameters"]
    stamp = format_timestamp(clock.now())
    key = srp.get_password_authentication_key(
        "alice", PASSWORD, int(params["SRP_B"], 16), params["SALT"]
    )
    pool_name = world["pool"].split("_")[1]
    message = pool_name.encode() + b"alice" + base64.b64decode(params["SECRET_BLOCK"])
    responses["TIMESTAMP"] = stamp
    responses["PASSWORD_CLAIM_SIGNATURE"] = base64.b64encode(
        hmac.new(key, message + stamp.encode(), hashlib.sha256).digest()
    ).decode()
    responses["DEVICE_KEY"] = device["key"]
    verified = client.respond_to_auth_challenge(
        ClientId=world["app"], ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )
    assert verified["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert verified["Session"]


def test_wrong_device_password_is_refused_and_spends_the_round(client, world, clock):
    device = register(client, world)
    challenge = device_challenge(client, world, device)
    wrong = device_proof(client, clock, world, device, challenge, password="not-the-device")
    with pytest.raises(ClientError) as caught:
        answer(client, world, challenge, wrong)
    assert error(caught) == ("NotAuthorizedException", "Incorrect username or password.")
    right = device_proof(client, clock, world, device, challenge)
    with pytest.raises(ClientError) as caught:
        answer(client, world, challenge, right)
    assert error(caught) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_device_challenges_expire_with_the_session(client, world, clock):
    device = register(client, world)
    challenge = device_challenge(client, world, device)
    clock.advance(minutes=4)  # AuthSessionValidity defaults to 3 minutes
    with pytest.raises(ClientError) as caught:
        answer(client, world, challenge, device_proof(client, clock, world, device, challenge))
    assert error(caught) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_unknown_or_forgotten_device_key_is_a_missing_device(client, world):
    device = register(client, world)
    unknown = "us-east-1_11111111-2222-4333-8444-555555555555"
    with pytest.raises(ClientError) as caught:
        sign_in(client, world, DEVICE_KEY=unknown)
    code, message = error(caught)
    assert (code, message) == ("ResourceNotFoundException", "Device does not exist.")
    assert "device" in message.lower()  # what amazon-cognito-identity-js retries on
    client.forget_device(AccessToken=device["access"], DeviceKey=device["key"])
    with pytest.raises(ClientError) as caught:
        sign_in(client, world, DEVICE_KEY=device["key"])
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")
    # The client's retry without DEVICE_KEY registers a new device.
    assert "NewDeviceMetadata" in sign_in(client, world)["AuthenticationResult"]


def test_remembered_device_stands_in_for_mfa(client, world, clock, monkeypatch):
    """A stand-in MFA step challenges every sign-in not already past "mfa"."""
    device = register(client, world)

    def fake_mfa(sign_in: signin.SignIn) -> dict[str, Any]:
        return sign_in.challenge("SOFTWARE_TOKEN_MFA", {})

    monkeypatch.setitem(signin._STEPS, "mfa", fake_mfa)
    assert sign_in(client, world)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"  # a new device
    challenge = device_challenge(client, world, device)
    result = answer(client, world, challenge, device_proof(client, clock, world, device, challenge))
    assert "AuthenticationResult" in result  # remembered + ChallengeRequiredOnNewDevice
    client.admin_update_device_status(
        UserPoolId=world["pool"], Username="alice", DeviceKey=device["key"],
        DeviceRememberedStatus="not_remembered",
    )  # fmt: skip
    challenge = device_challenge(client, world, device)
    result = answer(client, world, challenge, device_proof(client, clock, world, device, challenge))
    assert result["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


# ----------------------------------------------------------------------------- refresh


def test_refresh_must_name_the_device(mock, client, world):
    device = register(client, world)

    def refresh(**params: str) -> Any:
        return client.initiate_auth(
            ClientId=world["app"], AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": device["refresh"], **params},
        )  # fmt: skip

    tokens = refresh(DEVICE_KEY=device["key"])["AuthenticationResult"]
    assert claims(mock, world, tokens["AccessToken"])["device_key"] == device["key"]
    for params in ({}, {"DEVICE_KEY": "us-east-1_11111111-2222-4333-8444-555555555555"}):
        with pytest.raises(ClientError) as caught:
            refresh(**params)
        assert error(caught) == ("NotAuthorizedException", "Invalid Refresh Token")
    client.admin_forget_device(UserPoolId=world["pool"], Username="alice", DeviceKey=device["key"])
    with pytest.raises(ClientError) as caught:
        refresh(DEVICE_KEY=device["key"])
    assert error(caught) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_refresh_of_an_unconfirmed_device_fails(client, world):
    result = sign_in(client, world)["AuthenticationResult"]
    with pytest.raises(ClientError) as caught:
        client.initiate_auth(
            ClientId=world["app"], AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": result["RefreshToken"],
                            "DEVICE_KEY": result["NewDeviceMetadata"]["DeviceKey"]},
        )  # fmt: skip
    assert error(caught) == ("NotAuthorizedException", "Invalid Refresh Token")


# ----------------------------------------------------------------------------- listing


def test_listing_pages_both_ways(client, world, clock):
    devices = []
    for n in range(3):
        devices.append(register(client, world, name=f"d{n}"))
        clock.advance(1)
    access = devices[-1]["access"]
    first = client.list_devices(AccessToken=access, Limit=2)
    assert [d["DeviceKey"] for d in first["Devices"]] == [d["key"] for d in devices[:2]]
    second = client.list_devices(
        AccessToken=access, Limit=2, PaginationToken=first["PaginationToken"]
    )
    assert [d["DeviceKey"] for d in second["Devices"]] == [devices[2]["key"]]
    assert "PaginationToken" not in second
    admin = client.admin_list_devices(UserPoolId=world["pool"], Username="alice", Limit=1)
    keys = [admin["Devices"][0]["DeviceKey"]]
    while "PaginationToken" in admin:
        admin = client.admin_list_devices(
            UserPoolId=world["pool"], Username="alice", Limit=1,
            PaginationToken=admin["PaginationToken"],
        )  # fmt: skip
        keys += [d["DeviceKey"] for d in admin["Devices"]]
    assert keys == [d["key"] for d in devices]
    with pytest.raises(ClientError) as caught:
        client.list_devices(AccessToken=access, PaginationToken="bogus")
    assert error(caught) == ("InvalidParameterException", "Invalid pagination token.")


def test_forget_both_ways(client, world):
    one, two = register(client, world), register(client, world)
    client.forget_device(AccessToken=one["access"], DeviceKey=one["key"])
    with pytest.raises(ClientError) as caught:
        client.forget_device(AccessToken=one["access"], DeviceKey=one["key"])
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")
    with pytest.raises(ClientError) as caught:
        client.get_device(AccessToken=one["access"], DeviceKey=one["key"])
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")
    client.admin_forget_device(UserPoolId=world["pool"], Username="alice", DeviceKey=two["key"])
    assert client.admin_list_devices(UserPoolId=world["pool"], Username="alice")["Devices"] == []
    with pytest.raises(ClientError) as caught:
        client.admin_update_device_status(
            UserPoolId=world["pool"], Username="alice", DeviceKey=two["key"],
            DeviceRememberedStatus="remembered",
        )  # fmt: skip
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")


def test_admin_operations_name_missing_users(client, world):
    key = "us-east-1_11111111-2222-4333-8444-555555555555"
    with pytest.raises(ClientError) as caught:
        client.admin_get_device(UserPoolId=world["pool"], Username="nobody", DeviceKey=key)
    assert error(caught) == ("ResourceNotFoundException", "User does not exist.")
    with pytest.raises(ClientError) as caught:
        client.admin_list_devices(UserPoolId=world["pool"], Username="nobody")
    assert error(caught) == ("ResourceNotFoundException", "User does not exist.")
    with pytest.raises(ClientError) as caught:
        client.admin_forget_device(UserPoolId=world["pool"], Username="nobody", DeviceKey=key)
    assert error(caught) == ("UserNotFoundException", "User does not exist.")
    with pytest.raises(ClientError) as caught:
        client.admin_get_device(UserPoolId=world["pool"], Username="alice", DeviceKey=key)
    assert error(caught) == ("ResourceNotFoundException", "Device does not exist.")
