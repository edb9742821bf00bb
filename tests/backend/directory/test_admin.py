"""Admin changes to users: attributes and their verification rules, custom attributes, passwords,
reset and confirmation — each through boto3, both ways."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock


def _error(caught: Any) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def alias_pool(client: Any) -> str:
    return str(
        client.create_user_pool(
            PoolName="alias", AliasAttributes=["email"], AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
    )


def _user(client: Any, pool_id: str, name: str, *attrs: tuple[str, str]) -> None:
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=name,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attrs],
    )


def _attrs(client: Any, pool_id: str, name: str) -> dict[str, str]:
    found = client.admin_get_user(UserPoolId=pool_id, Username=name)["UserAttributes"]
    return {a["Name"]: a["Value"] for a in found}


def test_changing_an_email_unverifies_it_and_sends_a_code(
    client: Any, mock: CognitoMock, alias_pool: str
) -> None:
    _user(client, alias_pool, "ann", ("email", "ann@example.com"), ("email_verified", "true"))
    by_alias = client.admin_get_user(UserPoolId=alias_pool, Username="ann@example.com")
    assert by_alias["Username"] == "ann"
    client.admin_update_user_attributes(
        UserPoolId=alias_pool, Username="ann", UserAttributes=[{"Name": "email", "Value": "a@b.io"}]
    )
    attrs = _attrs(client, alias_pool, "ann")
    assert attrs["email"] == "a@b.io" and attrs["email_verified"] == "false"
    message = mock.outbox.last("a@b.io")
    assert message.purpose == "verify_attribute" and message.code and len(message.code) == 6
    # An unverified email is no alias: neither the old nor the new address finds her.
    for alias in ("ann@example.com", "a@b.io"):
        with pytest.raises(client.exceptions.UserNotFoundException) as caught:
            client.admin_get_user(UserPoolId=alias_pool, Username=alias)
        assert caught.value.response["Error"]["Message"] == "User does not exist."


def test_verified_alias_taken_by_another_user(client: Any, alias_pool: str) -> None:
    _user(client, alias_pool, "ann", ("email", "x@example.com"), ("email_verified", "true"))
    _user(client, alias_pool, "bob", ("email", "bob@example.com"))
    with pytest.raises(client.exceptions.AliasExistsException) as caught:
        client.admin_update_user_attributes(
            UserPoolId=alias_pool,
            Username="bob",
            UserAttributes=[
                {"Name": "email", "Value": "x@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
    assert _error(caught)[1] == "An account with the email already exists."
    assert _attrs(client, alias_pool, "bob")["email"] == "bob@example.com"  # unchanged


def test_reverifying_your_own_alias_is_no_conflict(client: Any, alias_pool: str) -> None:
    """Regression (stateful test): the owner of a verified alias setting email_verified=true again
    (or re-sending the same email) conflicted with itself."""
    _user(client, alias_pool, "ann", ("email", "x@example.com"), ("email_verified", "true"))
    for attrs in (
        [{"Name": "email_verified", "Value": "true"}],
        [{"Name": "email", "Value": "x@example.com"}, {"Name": "given_name", "Value": "Ann"}],
    ):
        client.admin_update_user_attributes(
            UserPoolId=alias_pool, Username="ann", UserAttributes=attrs
        )
    assert _attrs(client, alias_pool, "x@example.com")["given_name"] == "Ann"
    _user(client, alias_pool, "bob", ("email", "x@example.com"))
    with pytest.raises(
        client.exceptions.AliasExistsException
    ) as caught:  # another user still conflicts
        client.admin_update_user_attributes(
            UserPoolId=alias_pool,
            Username="bob",
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
    assert caught.value.response["Error"]["Message"] == "An account with the email already exists."


def test_require_verification_before_update_keeps_the_old_value(
    client: Any, mock: CognitoMock
) -> None:
    pool_id = client.create_user_pool(
        PoolName="p",
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )["UserPool"]["Id"]
    _user(client, pool_id, "ann", ("email", "old@example.com"), ("email_verified", "true"))
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ann", UserAttributes=[{"Name": "email", "Value": "new@x.io"}]
    )
    attrs = _attrs(client, pool_id, "ann")
    assert attrs["email"] == "old@example.com" and attrs["email_verified"] == "true"
    assert mock.outbox.last("new@x.io").purpose == "verify_attribute"


def test_attribute_rules(client: Any, pool_id: str) -> None:
    _user(client, pool_id, "ann")
    cases = [
        ([{"Name": "custom:nope", "Value": "x"}],
         "user.custom:nope: Attribute does not exist in the schema.\n"),
        ([{"Name": "email", "Value": "not-an-email"}], "Invalid email address format."),
        ([{"Name": "phone_number", "Value": "555-1234"}], "Invalid phone number format."),
        ([{"Name": "email_verified", "Value": "true"}],
         "email_verified cannot be set to true without a value for email."),
        ([{"Name": "birthdate", "Value": "1999"}],
         "user.birthdate: String must be no shorter than 10 characters\n"),
    ]  # fmt: skip
    for attributes, message in cases:
        with pytest.raises(client.exceptions.InvalidParameterException) as caught:
            client.admin_update_user_attributes(
                UserPoolId=pool_id, Username="ann", UserAttributes=attributes
            )
        assert _error(caught) == ("InvalidParameterException", message)
    assert set(_attrs(client, pool_id, "ann")) == {"sub"}


def test_custom_attributes_added_then_used_and_limits(client: Any, pool_id: str) -> None:
    client.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "team", "AttributeDataType": "String",
             "StringAttributeConstraints": {"MaxLength": "5"}},
            {"Name": "level", "AttributeDataType": "Number",
             "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "3"}},
        ],
    )  # fmt: skip
    _user(client, pool_id, "ann", ("custom:team", "blue"), ("custom:level", "2"))
    assert _attrs(client, pool_id, "ann")["custom:team"] == "blue"
    refused = (
        ("custom:team", "purple", "custom:team: String must be no longer than 5 characters"),
        ("custom:level", "4", "custom:level: Number must be less than or equal to 3"),
        ("custom:level", "x", "custom:level: Number must be a valid integer"),
    )
    for name, value, why in refused:
        with pytest.raises(client.exceptions.InvalidParameterException) as caught:
            client.admin_update_user_attributes(
                UserPoolId=pool_id, Username="ann", UserAttributes=[{"Name": name, "Value": value}]
            )
        assert caught.value.response["Error"]["Message"] == f"user.{why}\n"
    with pytest.raises(client.exceptions.InvalidParameterException, match="already has name"):
        client.add_custom_attributes(
            UserPoolId=pool_id, CustomAttributes=[{"Name": "team", "AttributeDataType": "String"}]
        )


def test_delete_attributes(client: Any) -> None:
    pool_id = client.create_user_pool(
        PoolName="p", Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}]
    )["UserPool"]["Id"]
    _user(client, pool_id, "ann", ("email", "a@b.io"), ("name", "Ann"), ("email_verified", "true"))
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.admin_delete_user_attributes(
            UserPoolId=pool_id, Username="ann", UserAttributeNames=["name", "email"]
        )
    assert (
        _error(caught)[1] == "Invalid user attributes: email: Required attribute cannot be deleted."
    )
    assert _attrs(client, pool_id, "ann")["name"] == "Ann"  # nothing deleted
    client.admin_delete_user_attributes(
        UserPoolId=pool_id, Username="ann", UserAttributeNames=["name"]
    )
    assert "name" not in _attrs(client, pool_id, "ann")


def test_set_password_permanent_and_temporary(client: Any, pool_id: str) -> None:
    _user(client, pool_id, "ann")
    with pytest.raises(client.exceptions.InvalidPasswordException) as caught:
        client.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password="short")
    # The admin operations' wording (issue 11, item 14).
    assert _error(caught)[1] == (
        "Password did not conform with password policy: Password not long enough"
    )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password="Passw0rd!", Permanent=True
    )
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] == "CONFIRMED"
    client.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password="Passw0rd!2")
    status = client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"]
    assert status == "FORCE_CHANGE_PASSWORD"


def test_password_history(client: Any) -> None:
    pool_id = client.create_user_pool(
        PoolName="p", Policies={"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": 2}}
    )["UserPool"]["Id"]
    _user(client, pool_id, "ann")
    for password in ("Passw0rd!1", "Passw0rd!2"):
        client.admin_set_user_password(
            UserPoolId=pool_id, Username="ann", Password=password, Permanent=True
        )
    with pytest.raises(client.exceptions.PasswordHistoryPolicyViolationException) as caught:
        client.admin_set_user_password(
            UserPoolId=pool_id, Username="ann", Password="Passw0rd!1", Permanent=True
        )
    assert caught.value.response["Error"]["Message"] == "Password has previously been used"


def test_reset_password_sends_a_code_and_requires_reset(
    client: Any, mock: CognitoMock, pool_id: str, clock: ManualClock
) -> None:
    _user(client, pool_id, "ann", ("email", "ann@example.com"), ("email_verified", "true"))
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password="Passw0rd!", Permanent=True
    )
    client.admin_reset_user_password(UserPoolId=pool_id, Username="ann")
    assert (
        client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] == "RESET_REQUIRED"
    )
    message = mock.outbox.last("ann@example.com")
    assert (message.purpose, message.operation) == ("forgot_password", "AdminResetUserPassword")


def test_reset_password_refusals(client: Any, pool_id: str) -> None:
    _user(client, pool_id, "temp", ("email", "t@example.com"), ("email_verified", "true"))
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        client.admin_reset_user_password(UserPoolId=pool_id, Username="temp")
    assert _error(caught)[1] == "User password cannot be reset in the current state."
    _user(client, pool_id, "nochannel", ("email", "n@example.com"))
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="nochannel", Password="Passw0rd!", Permanent=True
    )
    with pytest.raises(client.exceptions.InvalidParameterException, match="no registered/verified"):
        client.admin_reset_user_password(UserPoolId=pool_id, Username="nochannel")
    status = client.admin_get_user(UserPoolId=pool_id, Username="nochannel")["UserStatus"]
    assert status == "CONFIRMED"


def test_admin_confirm_sign_up(client: Any, pool_id: str, mock: CognitoMock) -> None:
    _user(client, pool_id, "ann")
    mock.backend().pools[pool_id].users.get("ann").status = "UNCONFIRMED"  # as after SignUp
    client.admin_confirm_sign_up(UserPoolId=pool_id, Username="ann")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] == "CONFIRMED"
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        client.admin_confirm_sign_up(UserPoolId=pool_id, Username="ann")
    assert _error(caught)[1] == "User cannot be confirmed. Current status is CONFIRMED"


def test_disable_blocks_and_enable_restores(client: Any, pool_id: str) -> None:
    _user(client, pool_id, "ann")
    client.admin_disable_user(UserPoolId=pool_id, Username="ann")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["Enabled"] is False
    client.admin_enable_user(UserPoolId=pool_id, Username="ann")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["Enabled"] is True
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.admin_disable_user(UserPoolId=pool_id, Username="nobody")
    assert _error(caught)[1] == "User does not exist."


def test_a_blank_value_deletes_the_attribute(client: Any) -> None:
    pool_id = client.create_user_pool(
        PoolName="p", Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True}]
    )["UserPool"]["Id"]
    _user(client, pool_id, "ann", ("name", "Ann"), ("email", "a@b.io"), ("email_verified", "true"))
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ann", UserAttributes=[{"Name": "email", "Value": ""}]
    )
    assert set(_attrs(client, pool_id, "ann")) == {"sub", "name"}
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.admin_update_user_attributes(
            UserPoolId=pool_id, Username="ann", UserAttributes=[{"Name": "name", "Value": ""}]
        )
    assert (
        _error(caught)[1] == "Invalid user attributes: name: Required attribute cannot be deleted."
    )
    assert _attrs(client, pool_id, "ann")["name"] == "Ann"


def test_reset_password_of_a_disabled_user_is_refused(client: Any, pool_id: str) -> None:
    # Regression (issue 11, item 18): the service answers `User is disabled.`.
    _user(client, pool_id, "ann", ("email", "a@example.com"), ("email_verified", "true"))
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password="Correct-Horse-9", Permanent=True
    )
    client.admin_disable_user(UserPoolId=pool_id, Username="ann")
    with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
        client.admin_reset_user_password(UserPoolId=pool_id, Username="ann")
    assert _error(caught) == ("NotAuthorizedException", "User is disabled.")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] != (
        "RESET_REQUIRED"
    )


@pytest.mark.parametrize("given", ["True", "TRUE", "tRuE"])
def test_verified_flags_compare_case_insensitively(
    client: Any, alias_pool: str, given: str
) -> None:
    # Regression (issue 11, item 15): `True` was refused; it is the same value as `true`.
    client.admin_create_user(
        UserPoolId=alias_pool, Username="ann", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"},
                        {"Name": "email_verified", "Value": given}],
    )  # fmt: skip
    assert _attrs(client, alias_pool, "ann")["email_verified"] == "true"
    found = client.list_users(UserPoolId=alias_pool, Filter='email = "ann@example.com"')
    assert [u["Username"] for u in found["Users"]] == ["ann"]
    with pytest.raises(client.exceptions.AliasExistsException):  # the alias is taken, verified
        client.admin_create_user(
            UserPoolId=alias_pool, Username="bob", MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": "ann@example.com"},
                            {"Name": "email_verified", "Value": "TRUE"}],
        )  # fmt: skip
    client.admin_update_user_attributes(
        UserPoolId=alias_pool, Username="ann",
        UserAttributes=[{"Name": "email_verified", "Value": "False"}],
    )  # fmt: skip
    assert _attrs(client, alias_pool, "ann")["email_verified"] == "false"
