"""User pool replicas through boto3 clients of two Regions: the same pool seen from both, the
secondary's role (INACTIVE / ACTIVE, what it refuses), tokens from either Region verified by PyJWT
against the pool's keys, and every refusal of the four operations."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt
import pytest
from botocore.config import Config

from cognito_mock import CognitoMock
from cognito_mock.backend.pool_config import replicas
from tests.helpers import PASSWORD

SECONDARY = "eu-west-1"
KEY = {
    "KeyType": "CUSTOMER_MANAGED_KEY",
    "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
}


@pytest.fixture
def pool_id(mock: CognitoMock) -> str:
    """A pool that can be replicated (a multi-Region customer managed key)."""
    return str(
        mock.call("CreateUserPool", PoolName="global", KeyConfiguration=KEY)["UserPool"]["Id"]
    )


@pytest.fixture
def remote(mock: CognitoMock) -> Any:
    """A boto3 client of the secondary Region, answered by the same mock."""
    return mock.client(region_name=SECONDARY, config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def replicated(client: Any, pool_id: str, app: str, make_user: Any) -> dict[str, Any]:
    make_user()
    made = client.create_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY)
    return dict(made["UserPoolReplica"])


def sign_in(any_client: Any, app: str) -> dict[str, Any]:
    return dict(any_client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"])  # fmt: skip


def test_create_and_list_from_both_regions(client, remote, pool_id, replicated):
    arn = f"arn:aws:cognito-idp:{SECONDARY}:123456789012:userpool/{pool_id}"
    assert replicated == {
        "RegionName": SECONDARY, "Status": "INACTIVE", "Role": "SECONDARY", "UserPoolArn": arn
    }  # fmt: skip
    expected = [
        {"RegionName": "us-east-1", "Status": "ACTIVE", "Role": "PRIMARY",
         "UserPoolArn": f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool_id}"},
        replicated,
    ]  # fmt: skip
    for any_client in (client, remote):
        assert (
            any_client.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"] == expected
        )


def test_the_secondary_serves_the_same_pool(client, remote, pool_id, replicated):
    assert remote.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "global"
    assert remote.admin_get_user(UserPoolId=pool_id, Username="alice")["Username"] == "alice"
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "name", "Value": "Al"}]
    )  # a write in the primary is read in the secondary
    attributes = remote.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"]
    assert {"Name": "name", "Value": "Al"} in attributes
    listed = [p["Id"] for p in remote.list_user_pools(MaxResults=10)["UserPools"]]
    assert listed == [pool_id]


def test_inactive_refuses_end_users_active_serves_them(client, remote, pool_id, app, replicated,
                                                       fails):  # fmt: skip
    fails(sign_in, "OperationNotEnabledException",
          replicas.INACTIVE.format(pool_id, SECONDARY), any_client=remote, app=app)  # fmt: skip
    updated = remote.update_user_pool_replica(
        UserPoolId=pool_id, RegionName=SECONDARY, Status="ACTIVE"
    )  # callable from the secondary
    assert updated["UserPoolReplica"]["Status"] == "ACTIVE"
    tokens = sign_in(remote, app)
    assert remote.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
    assert client.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"


def test_tokens_verify_against_the_pools_keys_in_either_region(client, remote, mock, pool_id, app,
                                                               replicated):  # fmt: skip
    client.update_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY, Status="ACTIVE")
    jwks = mock.jwks(pool_id)
    assert mock.jwks(pool_id, region=SECONDARY) == jwks
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    for tokens in (sign_in(client, app), sign_in(remote, app)):
        key = pyjwt.PyJWKSet.from_dict(jwks)[pyjwt.get_unverified_header(tokens["IdToken"])["kid"]]
        claims = pyjwt.decode(tokens["IdToken"], key.key, algorithms=["RS256"], audience=app,
                              issuer=issuer, leeway=10**10)  # fmt: skip
        assert claims["cognito:username"] == "alice"


def test_the_updated_issuer_names_the_primary_region(client, remote, mock, pool_id, app,
                                                     replicated):  # fmt: skip
    client.update_user_pool(UserPoolId=pool_id, KeyConfiguration=KEY,
                            IssuerConfiguration={"Type": "UPDATED"})  # fmt: skip
    client.update_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY, Status="ACTIVE")
    token = sign_in(remote, app)["AccessToken"]
    claims = pyjwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == f"https://issuer-cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    assert mock.issuer(pool_id, region=SECONDARY) == claims["iss"]


def test_the_secondary_refuses_writes(client, remote, pool_id, app, replicated, fails):
    client.update_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY, Status="ACTIVE")
    for operation, call, members in (
        ("AdminCreateUser", remote.admin_create_user, {"UserPoolId": pool_id, "Username": "bob"}),
        ("DeleteUserPool", remote.delete_user_pool, {"UserPoolId": pool_id}),
        ("CreateUserPoolReplica", remote.create_user_pool_replica,
         {"UserPoolId": pool_id, "RegionName": "ap-south-1"}),
        ("DeleteUserPoolReplica", remote.delete_user_pool_replica,
         {"UserPoolId": pool_id, "RegionName": SECONDARY}),
        ("SignUp", remote.sign_up, {"ClientId": app, "Username": "bob", "Password": PASSWORD}),
    ):  # fmt: skip
        fails(call, "OperationNotEnabledException",
              replicas.SECONDARY.format(operation, SECONDARY, pool_id, "us-east-1"), **members)  # fmt: skip
    token = sign_in(remote, app)["AccessToken"]
    fails(remote.update_user_attributes, "OperationNotEnabledException",
          replicas.SECONDARY.format("UpdateUserAttributes", SECONDARY, pool_id, "us-east-1"),
          AccessToken=token, UserAttributes=[{"Name": "name", "Value": "x"}])  # fmt: skip
    remote.tag_resource(ResourceArn=replicated["UserPoolArn"], Tags={"team": "eu"})
    assert remote.list_tags_for_resource(ResourceArn=replicated["UserPoolArn"])["Tags"] == {
        "team": "eu"
    }  # a replica keeps its own tags
    primary = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    assert client.list_tags_for_resource(ResourceArn=primary)["Tags"] == {}


def test_delete_only_inactive_and_only_from_the_primary(client, remote, mock, pool_id, replicated,
                                                        fails):  # fmt: skip
    client.update_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY, Status="ACTIVE")
    fails(client.delete_user_pool_replica, "InvalidParameterException",
          replicas.DELETE_ACTIVE.format(SECONDARY, pool_id, "ACTIVE"),
          UserPoolId=pool_id, RegionName=SECONDARY)  # fmt: skip
    fails(client.delete_user_pool, "InvalidParameterException",
          "User pool cannot be deleted. It has replicas in other Regions that should be deleted "
          "first.", UserPoolId=pool_id)  # fmt: skip
    client.update_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY, Status="INACTIVE")
    deleted = client.delete_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY)
    assert deleted["UserPoolReplica"]["Status"] == "DELETING"
    fails(remote.describe_user_pool, "ResourceNotFoundException",
          f"User pool {pool_id} does not exist.", UserPoolId=pool_id)  # fmt: skip
    assert len(client.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"]) == 1
    assert not mock.services.guarded  # nothing left to guard: unreplicated pools pay nothing
    client.delete_user_pool(UserPoolId=pool_id)


def test_create_refusals(client, mock, pool_id, replicated, fails):
    for region, code, message in (
        ("us-east-1", "InvalidParameterException", replicas.SAME_REGION.format("us-east-1")),
        ("mars-north-1x", "InvalidParameterException", replicas.BAD_REGION.format("mars-north-1x")),
        ("cn-north-1", "InvalidParameterException",
         replicas.OTHER_PARTITION.format("cn-north-1", "us-east-1")),
        (SECONDARY, "InvalidParameterException", replicas.EXISTS.format(pool_id, SECONDARY)),
        ("ap-south-1", "LimitExceededException", replicas.TOO_MANY.format(pool_id)),
    ):  # fmt: skip
        fails(client.create_user_pool_replica, code, message, UserPoolId=pool_id, RegionName=region)
    plain = client.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    fails(client.create_user_pool_replica, "InvalidParameterException", replicas.NEEDS_KEY,
          UserPoolId=plain, RegionName=SECONDARY)  # fmt: skip
    lite = client.create_user_pool(PoolName="lite", UserPoolTier="LITE", KeyConfiguration=KEY)
    fails(client.create_user_pool_replica, "FeatureUnavailableInTierException", replicas.TIER,
          UserPoolId=lite["UserPool"]["Id"], RegionName=SECONDARY)  # fmt: skip
    fails(client.create_user_pool_replica, "ResourceNotFoundException",
          "User pool us-east-1_nothere does not exist.", UserPoolId="us-east-1_nothere",
          RegionName=SECONDARY)  # fmt: skip


def test_update_refusals(client, pool_id, replicated, fails):
    fails(client.update_user_pool_replica, "InvalidParameterException",
          replicas.PRIMARY_STATUS.format("us-east-1"), UserPoolId=pool_id, RegionName="us-east-1",
          Status="INACTIVE")  # fmt: skip
    fails(client.update_user_pool_replica, "ResourceNotFoundException",
          replicas.NO_REPLICA.format(pool_id, "ap-south-1"), UserPoolId=pool_id,
          RegionName="ap-south-1", Status="ACTIVE")  # fmt: skip
    fails(client.delete_user_pool_replica, "InvalidParameterException",
          replicas.DELETE_PRIMARY.format("us-east-1"),
          UserPoolId=pool_id, RegionName="us-east-1")  # fmt: skip


def test_an_unreplicated_pool_lists_its_primary(client):
    pool = client.create_user_pool(PoolName="solo")["UserPool"]
    listed = client.list_user_pool_replicas(UserPoolId=pool["Id"])["UserPoolReplicas"]
    assert listed == [{"RegionName": "us-east-1", "Status": "ACTIVE", "Role": "PRIMARY",
                       "UserPoolArn": pool["Arn"]}]  # fmt: skip
