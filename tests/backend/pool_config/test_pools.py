"""User pools: real ids and ARNs, the defaults the service fills in, update-resets, deletion, paging."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock


def test_create_fills_in_the_service_defaults(client: Any) -> None:
    pool = client.create_user_pool(PoolName="defaults")["UserPool"]
    assert re.fullmatch(r"us-east-1_[0-9A-Za-z]{9}", pool["Id"])
    assert pool["Arn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool['Id']}"
    assert pool["Policies"]["PasswordPolicy"] == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    assert pool["DeletionProtection"] == "INACTIVE"
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["EstimatedNumberOfUsers"] == 0
    assert pool["VerificationMessageTemplate"] == {"DefaultEmailOption": "CONFIRM_WITH_CODE"}
    names = [a["Name"] for a in pool["SchemaAttributes"]]
    assert names[:3] == ["sub", "name", "given_name"]
    assert "phone_number_verified" in names and len(names) == 20
    assert pool["CreationDate"] == pool["LastModifiedDate"]


def test_custom_schema_attributes_are_prefixed(client: Any) -> None:
    pool = client.create_user_pool(
        PoolName="custom",
        Schema=[
            {"Name": "team", "AttributeDataType": "String", "Mutable": True},
            {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
            {"Name": "email", "AttributeDataType": "String", "Required": True},
        ],
    )["UserPool"]
    by_name = {a["Name"]: a for a in pool["SchemaAttributes"]}
    assert "custom:team" in by_name and "dev:custom:secret" in by_name
    assert by_name["email"]["Required"] is True


def test_required_custom_attributes_are_refused(client: Any) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException, match="Required custom"):
        client.create_user_pool(
            PoolName="x", Schema=[{"Name": "a", "AttributeDataType": "String", "Required": True}]
        )


def test_alias_and_username_attributes_are_exclusive(client: Any) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.create_user_pool(
            PoolName="x", AliasAttributes=["email"], UsernameAttributes=["email"]
        )
    assert caught.value.response["Error"]["Message"] == (
        "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
    )
    assert client.list_user_pools(MaxResults=10)["UserPools"] == []  # nothing was created


def test_update_resets_omitted_settings_and_keeps_immutable_ones(
    client: Any, clock: ManualClock
) -> None:
    pool_id = client.create_user_pool(
        PoolName="p",
        MfaConfiguration="OFF",
        AutoVerifiedAttributes=["email"],
        UsernameAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 12}},
    )["UserPool"]["Id"]
    clock.advance(60)
    client.update_user_pool(UserPoolId=pool_id, DeletionProtection="ACTIVE")
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 8  # reset to the default
    assert "AutoVerifiedAttributes" not in pool  # reset
    assert pool["UsernameAttributes"] == ["email"]  # fixed at creation
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["Name"] == "p"
    assert (pool["LastModifiedDate"] - pool["CreationDate"]).total_seconds() == 60


def test_deletion_protection_blocks_delete(client: Any) -> None:
    pool_id = client.create_user_pool(PoolName="p", DeletionProtection="ACTIVE")["UserPool"]["Id"]
    with pytest.raises(client.exceptions.InvalidParameterException, match="deletion protection"):
        client.delete_user_pool(UserPoolId=pool_id)
    client.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    client.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.describe_user_pool(UserPoolId=pool_id)
    assert caught.value.response["Error"]["Message"] == f"User pool {pool_id} does not exist."


def test_delete_removes_the_users_with_the_pool(mock: CognitoMock, pool_id: str) -> None:
    mock.call("AdminCreateUser", UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    mock.call("DeleteUserPool", UserPoolId=pool_id)
    with pytest.raises(mock_errors().ResourceNotFoundException) as caught:
        mock.call("AdminGetUser", UserPoolId=pool_id, Username="bob")
    assert caught.value.message == f"User pool {pool_id} does not exist."


def mock_errors() -> Any:
    from cognito_mock import errors

    return errors


def test_list_user_pools_pages_every_pool_exactly_once(client: Any, clock: ManualClock) -> None:
    created = []
    for i in range(23):
        created.append(client.create_user_pool(PoolName=f"pool-{i}")["UserPool"]["Id"])
        clock.advance(1)
    seen: list[str] = []
    token = None
    while True:
        kwargs: dict[str, Any] = {"MaxResults": 5}
        if token:
            kwargs["NextToken"] = token
        page = client.list_user_pools(**kwargs)
        assert len(page["UserPools"]) <= 5
        seen += [p["Id"] for p in page["UserPools"]]
        if len(seen) == 10:  # a pool deleted and one added mid-listing change nothing seen
            client.delete_user_pool(UserPoolId=created[15])
            created.remove(created[15])
            created.append(client.create_user_pool(PoolName="late")["UserPool"]["Id"])
        token = page.get("NextToken")
        if not token:
            break
    assert seen == created
    assert client.list_user_pools(MaxResults=60)["UserPools"][0]["LambdaConfig"] == {}


def test_a_bad_pagination_token_is_refused(client: Any) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.list_user_pools(MaxResults=5, NextToken="not-ours")
    assert caught.value.response["Error"]["Message"] == "Invalid pagination token."


def test_pools_are_separate_per_account_and_region(mock: CognitoMock) -> None:
    pool_id = mock.call("CreateUserPool", PoolName="a")["UserPool"]["Id"]
    assert mock.call("ListUserPools", MaxResults=10, region="eu-west-1")["UserPools"] == []
    assert mock.call("ListUserPools", MaxResults=10, account_id="999999999999")["UserPools"] == []
    assert mock.call("ListUserPools", MaxResults=10)["UserPools"][0]["Id"] == pool_id


def test_seeded_mocks_replay_the_same_ids() -> None:
    first = CognitoMock(seed=7).call("CreateUserPool", PoolName="a")["UserPool"]["Id"]
    second = CognitoMock(seed=7).call("CreateUserPool", PoolName="a")["UserPool"]["Id"]
    assert first == second


# --- schema entries the service refuses (issue 11, item 7) -----------------------------------

BAD_TYPE = "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"Name": "plain"}, BAD_TYPE),
        ({"Name": "email", "AttributeDataType": "Number"}, BAD_TYPE),
        ({"Name": "x", "AttributeDataType": "String",
          "StringAttributeConstraints": {"MinLength": "invalid_value"}},
         "Invalid StringAttributeConstraints for attribute custom:x: MinLength must be a whole "
         "number."),
        ({"Name": "x", "AttributeDataType": "String",
          "StringAttributeConstraints": {"MaxLength": "2049"}},
         "Invalid StringAttributeConstraints for attribute custom:x: MaxLength must be from 0 to "
         "2048."),
        ({"Name": "x", "AttributeDataType": "String",
          "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "4"}},
         "Invalid StringAttributeConstraints for attribute custom:x: MinLength must not be "
         "greater than MaxLength."),
        ({"Name": "n", "AttributeDataType": "Number",
          "NumberAttributeConstraints": {"MinValue": "9", "MaxValue": "1"}},
         "Invalid NumberAttributeConstraints for attribute custom:n: MinValue must not be "
         "greater than MaxValue."),
        ({"Name": "n", "AttributeDataType": "Number",
          "NumberAttributeConstraints": {"MaxValue": "1.5"}},
         "Invalid NumberAttributeConstraints for attribute custom:n: MaxValue must be a whole "
         "number."),
        ({"Name": "name", "StringAttributeConstraints": {"MaxLength": "99999"}},
         "Invalid StringAttributeConstraints for attribute name: MaxLength must be from 0 to "
         "2048."),
    ],
)  # fmt: skip
def test_schema_entries_the_service_refuses(
    client: Any, mock: CognitoMock, entry: dict[str, Any], message: str
) -> None:
    # Regression: these were accepted, and AdminCreateUser on the pool raised a bare ValueError.
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.create_user_pool(PoolName="p", Schema=[entry])
    assert caught.value.response["Error"]["Message"] == message
    assert mock.call("ListUserPools", MaxResults=10)["UserPools"] == []
    if entry["Name"] in ("email", "name"):  # standard attributes: AddCustomAttributes is n/a
        return
    pool = client.create_user_pool(PoolName="q")["UserPool"]["Id"]
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.add_custom_attributes(
            UserPoolId=pool, CustomAttributes=[{**entry, "Name": "y" + entry["Name"]}]
        )
    assert caught.value.response["Error"]["Message"] == message.replace(
        f"custom:{entry['Name']}", f"custom:y{entry['Name']}"
    )


def test_good_schema_entries_are_kept_and_enforced(client: Any) -> None:
    pool = client.create_user_pool(
        PoolName="p",
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True,
             "StringAttributeConstraints": {"MaxLength": "64"}},
            {"Name": "code", "AttributeDataType": "String",
             "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "4"}},
        ],
    )["UserPool"]  # fmt: skip
    by_name = {a["Name"]: a for a in pool["SchemaAttributes"]}
    assert by_name["email"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "64"}
    assert by_name["custom:code"]["StringAttributeConstraints"] == {
        "MinLength": "2",
        "MaxLength": "4",
    }
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.admin_create_user(
            UserPoolId=pool["Id"], Username="u",
            UserAttributes=[{"Name": "email", "Value": "a@b.co"}, {"Name": "custom:code", "Value": "x"}],
        )  # fmt: skip
    assert caught.value.response["Error"]["Message"] == (
        "Attributes did not conform to the schema: custom:code: String must be no shorter than 2 "
        "characters\n"
    )


# --- verification messages mirror their legacy members (issue 11, item 17) ----------------------


def test_verification_messages_mirror_their_legacy_members_both_ways(client: Any) -> None:
    # Regression: DescribeUserPool showed only the member the request set.
    legacy = client.create_user_pool(
        PoolName="legacy", EmailVerificationMessage="Code {####}", EmailVerificationSubject="Hi",
        SmsVerificationMessage="SMS {####}",
    )["UserPool"]  # fmt: skip
    assert legacy["VerificationMessageTemplate"] == {
        "DefaultEmailOption": "CONFIRM_WITH_CODE", "EmailMessage": "Code {####}",
        "EmailSubject": "Hi", "SmsMessage": "SMS {####}",
    }  # fmt: skip
    modern = client.create_user_pool(
        PoolName="modern",
        VerificationMessageTemplate={"EmailMessage": "Yours: {####}", "SmsMessage": "Text {####}",
                                     "EmailSubject": "Code"},
    )["UserPool"]  # fmt: skip
    assert (modern["EmailVerificationMessage"], modern["SmsVerificationMessage"]) == (
        "Yours: {####}", "Text {####}"
    )  # fmt: skip
    assert modern["EmailVerificationSubject"] == "Code"
    client.update_user_pool(UserPoolId=modern["Id"], SmsVerificationMessage="New {####}")
    updated = client.describe_user_pool(UserPoolId=modern["Id"])["UserPool"]
    assert updated["VerificationMessageTemplate"]["SmsMessage"] == "New {####}"
    assert "EmailVerificationMessage" not in updated  # UpdateUserPool reset what it omitted
    both = client.create_user_pool(
        PoolName="both", EmailVerificationMessage="Old {####}",
        VerificationMessageTemplate={"EmailMessage": "New {####}"},
    )["UserPool"]  # fmt: skip
    assert both["EmailVerificationMessage"] == both["VerificationMessageTemplate"]["EmailMessage"]
    assert both["EmailVerificationMessage"] == "New {####}"
