"""pycognito's device tracking end to end over the HTTP endpoint: boto3 for sign-in, and pycognito's
own `requests.post` calls (ConfirmDevice, UpdateDeviceStatus, ForgetDevice), redirected from
`https://cognito-idp.<region>.amazonaws.com/` to `mock.serve()` so nothing reaches the network."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP

from cognito_mock import CognitoMock, ManualClock
from tests.helpers import PASSWORD

AWS_URL = "https://cognito-idp.us-east-1.amazonaws.com/"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()  # pycognito stamps TIMESTAMP from the system clock


@pytest.fixture
def served(mock: CognitoMock, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    with mock.serve() as url:
        posted: list[str] = []

        def post(target: str, **kwargs: Any) -> requests.Response:
            # Only the service endpoint pycognito builds is redirected; anything else fails.
            assert target == AWS_URL, target
            posted.append(kwargs["headers"]["X-Amz-Target"].rsplit(".", 1)[1])
            return requests.post(url, **kwargs)

        monkeypatch.setattr(aws_srp, "requests", types.SimpleNamespace(post=post))
        client = boto3.client(
            "cognito-idp", region_name="us-east-1", endpoint_url=url,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": 1}),
        )  # fmt: skip
        pool = client.create_user_pool(
            PoolName="p",
            DeviceConfiguration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": True,
            },
        )["UserPool"]["Id"]
        app = client.create_user_pool_client(UserPoolId=pool, ClientName="app")["UserPoolClient"][
            "ClientId"
        ]
        client.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
        client.admin_set_user_password(
            UserPoolId=pool, Username="alice", Password=PASSWORD, Permanent=True
        )
        yield {"client": client, "pool": pool, "app": app, "posted": posted}


def srp(served: dict[str, Any], **device: str) -> AWSSRP:
    return AWSSRP("alice", PASSWORD, served["pool"], served["app"], client=served["client"],
                  **device)  # fmt: skip


def verified(mock: CognitoMock, pool: str, token: str) -> dict[str, Any]:
    """Access-token claims checked with PyJWT against the pool's JWKS (no `aud` in access tokens)."""
    jwks = jwt.PyJWKSet.from_dict(mock.jwks(pool))
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    claims: dict[str, Any] = jwt.decode(
        token, key.key, algorithms=["RS256"], issuer=mock.issuer(pool)
    )
    return claims


def test_pycognito_confirms_remembers_and_signs_in_with_its_device(mock, served):
    client, pool = served["client"], served["pool"]
    first = srp(served)
    tokens = first.authenticate_user()
    meta = tokens["AuthenticationResult"]["NewDeviceMetadata"]
    access = tokens["AuthenticationResult"]["AccessToken"]
    assert verified(mock, pool, access)["device_key"] == meta["DeviceKey"]

    response, device_password = first.confirm_device(tokens, device_name="kitchen-tablet")
    assert response.status_code == 200
    assert response.json() == {"UserConfirmationNecessary": True}  # the pool asks the user
    assert client.list_devices(AccessToken=access)["Devices"] == []
    first.update_device_status(True, access, meta["DeviceKey"])
    listed = client.list_devices(AccessToken=access)["Devices"]
    assert [d["DeviceKey"] for d in listed] == [meta["DeviceKey"]]
    names = {a["Name"]: a["Value"] for a in listed[0]["DeviceAttributes"]}
    assert names["device_name"] == "kitchen-tablet"
    assert names["dev:device_remembered_status"] == "remembered"

    # USER_SRP_AUTH -> PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER, as
    # pycognito sends them (without the challenge Sessions).
    again = srp(served, device_key=meta["DeviceKey"], device_group_key=meta["DeviceGroupKey"],
                device_password=device_password).authenticate_user()  # fmt: skip
    result = again["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    assert verified(mock, pool, result["AccessToken"])["device_key"] == meta["DeviceKey"]
    refreshed = client.initiate_auth(
        ClientId=served["app"], AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"], "DEVICE_KEY": meta["DeviceKey"]},
    )["AuthenticationResult"]  # fmt: skip
    assert verified(mock, pool, refreshed["AccessToken"])["device_key"] == meta["DeviceKey"]
    assert served["posted"] == ["ConfirmDevice", "UpdateDeviceStatus"]


def test_pycognito_wrong_device_password_and_forgotten_device(mock, served):
    client = served["client"]
    first = srp(served)
    tokens = first.authenticate_user()
    meta = tokens["AuthenticationResult"]["NewDeviceMetadata"]
    access = tokens["AuthenticationResult"]["AccessToken"]
    _, device_password = first.confirm_device(tokens)
    device = {"device_key": meta["DeviceKey"], "device_group_key": meta["DeviceGroupKey"]}

    with pytest.raises(ClientError) as caught:
        srp(served, **device, device_password="d" * 56).authenticate_user()
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert caught.value.response["Error"]["Message"] == "Incorrect username or password."

    first.forget_device(access, meta["DeviceKey"])
    assert client.admin_list_devices(UserPoolId=served["pool"], Username="alice")["Devices"] == []
    with pytest.raises(ClientError) as caught:
        srp(served, **device, device_password=device_password).authenticate_user()
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert "device" in caught.value.response["Error"]["Message"].lower()
    assert served["posted"] == ["ConfirmDevice", "ForgetDevice"]


def test_pycognito_posts_answer_errors_in_the_wire_format(served):
    """A ConfirmDevice pycognito sends for someone else's key gets the service's JSON error."""
    first = srp(served)
    tokens = first.authenticate_user()
    tokens["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"] = (
        "us-east-1_11111111-2222-4333-8444-555555555555"
    )
    response, _ = first.confirm_device(tokens)
    assert response.status_code == 400
    assert response.json() == {
        "__type": "ResourceNotFoundException",
        "message": "Device does not exist.",
    }
