"""AdminCreateUser and lookups: username and alias rules, invitations, required attributes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cognito_mock import CognitoMock
from cognito_mock.clock import Clock
from tests.helpers import PASSWORD


def _message(caught: Any) -> str:
    return str(caught.value.response["Error"]["Message"])


def test_admin_create_user_sends_the_invitation(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    user = client.admin_create_user(
        UserPoolId=pool_id,
        Username="ann",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD" and user["Enabled"] is True
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", sub)
    message = mock.outbox.last("ann@example.com")
    assert message.subject == "Your temporary password"
    assert message.body == f"Your username is ann and temporary password is {message.code}. "
    assert message.operation == "AdminCreateUser"


def test_the_generated_temporary_password_satisfies_the_policy(
    client: Any, mock: CognitoMock
) -> None:
    pool_id = client.create_user_pool(
        PoolName="strict", Policies={"PasswordPolicy": {"MinimumLength": 20}}
    )["UserPool"]["Id"]
    client.admin_create_user(
        UserPoolId=pool_id, Username="ann", DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
    )  # fmt: skip
    password = mock.outbox.last("ann@example.com").code or ""
    assert len(password) >= 20
    assert re.search("[A-Z]", password) and re.search("[a-z]", password)
    assert re.search("[0-9]", password) and re.search(r"[^A-Za-z0-9]", password)


def test_suppress_and_resend(client: Any, mock: CognitoMock, pool_id: str) -> None:
    attrs = [{"Name": "email", "Value": "ann@example.com"}]
    client.admin_create_user(
        UserPoolId=pool_id, Username="ann", UserAttributes=attrs, MessageAction="SUPPRESS"
    )
    assert len(mock.outbox) == 0
    with pytest.raises(client.exceptions.UsernameExistsException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="ann")
    assert _message(caught) == "User account already exists"
    client.admin_create_user(
        UserPoolId=pool_id, Username="ann", MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"]
    )
    assert mock.outbox.last("ann@example.com").purpose == "invitation"
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="RESEND")
    assert caught.value.response["Error"]["Message"] == "User does not exist."


def test_temporary_password_is_checked(client: Any, pool_id: str) -> None:
    with pytest.raises(client.exceptions.InvalidPasswordException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="ann", TemporaryPassword="alllower1!")
    # Regression (issue 11, item 14): the admin operations' wording, not SignUp's.
    assert _message(caught) == (
        "Password did not conform with password policy: Password must have uppercase characters"
    )
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.admin_get_user(UserPoolId=pool_id, Username="ann")
    assert caught.value.response["Error"]["Message"] == "User does not exist."


def test_email_as_username(client: Any) -> None:
    pool_id = client.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    assert _message(caught) == "Username should be an email."
    user = client.admin_create_user(
        UserPoolId=pool_id, Username="Ann@Example.com", MessageAction="SUPPRESS"
    )["User"]
    attrs = {a["Name"]: a["Value"] for a in user["Attributes"]}
    assert user["Username"] == attrs["sub"]  # the internal username is the sub
    assert attrs["email"] == "Ann@Example.com"
    by_email = client.admin_get_user(UserPoolId=pool_id, Username="Ann@Example.com")
    by_sub = client.admin_get_user(UserPoolId=pool_id, Username=attrs["sub"])
    assert by_email["Username"] == by_sub["Username"] == attrs["sub"]
    with pytest.raises(client.exceptions.UsernameExistsException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="Ann@Example.com")
    assert caught.value.response["Error"]["Message"] == "User account already exists"


def test_alias_pool_refuses_email_shaped_usernames(client: Any) -> None:
    pool_id = client.create_user_pool(PoolName="p", AliasAttributes=["email"])["UserPool"]["Id"]
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="a@b.io")
    assert _message(caught) == (
        "Username cannot be of email format, since user pool is configured for email alias."
    )


def test_force_alias_creation_moves_a_verified_alias(client: Any) -> None:
    pool_id = client.create_user_pool(PoolName="p", AliasAttributes=["email"])["UserPool"]["Id"]
    verified = [
        {"Name": "email", "Value": "shared@example.com"},
        {"Name": "email_verified", "Value": "true"},
    ]
    client.admin_create_user(
        UserPoolId=pool_id, Username="ann", UserAttributes=verified, MessageAction="SUPPRESS"
    )
    with pytest.raises(client.exceptions.AliasExistsException) as caught:
        client.admin_create_user(
            UserPoolId=pool_id, Username="bob", UserAttributes=verified, MessageAction="SUPPRESS"
        )
    assert caught.value.response["Error"]["Message"] == "An account with the email already exists."
    client.admin_create_user(
        UserPoolId=pool_id, Username="bob", UserAttributes=verified,
        MessageAction="SUPPRESS", ForceAliasCreation=True,
    )  # fmt: skip
    owner = client.admin_get_user(UserPoolId=pool_id, Username="shared@example.com")
    assert owner["Username"] == "bob"
    ann = client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserAttributes"]
    assert {"Name": "email_verified", "Value": "false"} in ann


def test_case_insensitive_pool_finds_and_refuses_by_any_case(client: Any) -> None:
    pool_id = client.create_user_pool(PoolName="p", UsernameConfiguration={"CaseSensitive": False})[
        "UserPool"
    ]["Id"]
    client.admin_create_user(UserPoolId=pool_id, Username="MixedCase", MessageAction="SUPPRESS")
    found = client.admin_get_user(UserPoolId=pool_id, Username="mixedcase")
    assert found["Username"] == "MixedCase"  # stored case preserved
    with pytest.raises(client.exceptions.UsernameExistsException) as caught:
        client.admin_create_user(UserPoolId=pool_id, Username="MIXEDCASE")
    assert caught.value.response["Error"]["Message"] == "User account already exists"


def test_case_sensitive_pool_keeps_cases_apart(client: Any, pool_id: str) -> None:
    client.admin_create_user(UserPoolId=pool_id, Username="Ann", MessageAction="SUPPRESS")
    client.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.admin_get_user(UserPoolId=pool_id, Username="ANN")
    assert caught.value.response["Error"]["Message"] == "User does not exist."


def test_required_attributes_come_at_the_first_sign_in(client: Any) -> None:
    # Regression (issue 11, item 12): AdminCreateUser refused a user without the required
    # attributes; the guide says administrators may create one, who supplies them at the first
    # sign-in (NEW_PASSWORD_REQUIRED lists them in requiredAttributes).
    pool_id = client.create_user_pool(
        PoolName="p",
        Schema=[
            {"Name": "name", "AttributeDataType": "String", "Required": True},
            {"Name": "family_name", "AttributeDataType": "String", "Required": True},
        ],
    )["UserPool"]["Id"]
    client.admin_create_user(
        UserPoolId=pool_id, Username="ann", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="a", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    started = client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert started["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    required = json.loads(started["ChallengeParameters"]["requiredAttributes"])
    assert required == ["userAttributes.name", "userAttributes.family_name"]
    respond = {"ClientId": app, "ChallengeName": "NEW_PASSWORD_REQUIRED",
               "Session": started["Session"]}  # fmt: skip
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.respond_to_auth_challenge(
            **respond, ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": PASSWORD + "x",
                                           "userAttributes.name": "Ann"},
        )  # fmt: skip
    assert _message(caught) == "Invalid attributes given, family_name is missing"
    done = client.respond_to_auth_challenge(
        **respond, ChallengeResponses={"USERNAME": "ann", "NEW_PASSWORD": PASSWORD + "x",
                                       "userAttributes.name": "Ann",
                                       "userAttributes.family_name": "Lee"},
    )  # fmt: skip
    assert "AccessToken" in done["AuthenticationResult"]
    # Self-service sign-up still needs them, one problem per line (item 19).
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.sign_up(ClientId=app, Username="bob", Password=PASSWORD)
    assert _message(caught) == (
        "Attributes did not conform to the schema: name: The attribute is required\n"
        "family_name: The attribute is required\n"
    )


def test_delete_user_removes_aliases_and_memberships(client: Any) -> None:
    pool_id = client.create_user_pool(PoolName="p", AliasAttributes=["email"])["UserPool"]["Id"]
    client.create_group(UserPoolId=pool_id, GroupName="g")
    client.admin_create_user(
        UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "a@b.io"}, {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="g")
    client.admin_delete_user(UserPoolId=pool_id, Username="a@b.io")
    assert client.list_users_in_group(UserPoolId=pool_id, GroupName="g")["Users"] == []
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.admin_get_user(UserPoolId=pool_id, Username="a@b.io")
    assert caught.value.response["Error"]["Message"] == "User does not exist."
    client.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    assert client.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann")["Groups"] == []


class _Ticking(Clock):
    """A clock that moves on every reading, as a real one does between two reads."""

    def __init__(self) -> None:
        self.value = 1_790_000_000.0

    def now(self) -> float:
        self.value += 0.001
        return self.value


def test_a_new_user_is_created_and_modified_in_one_instant() -> None:
    # Regression (issue 11, item 16): AdminCreateUser read the clock twice.
    mock = CognitoMock(clock=_Ticking())
    pool_id = mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    app = mock.call("CreateUserPoolClient", UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
        "ClientId"
    ]
    made = mock.call("AdminCreateUser", UserPoolId=pool_id, Username="ann")["User"]
    assert made["UserCreateDate"] == made["UserLastModifiedDate"]
    mock.call("SignUp", ClientId=app, Username="bob", Password=PASSWORD)
    for name in ("ann", "bob"):
        user = mock.call("AdminGetUser", UserPoolId=pool_id, Username=name)
        assert user["UserCreateDate"] == user["UserLastModifiedDate"], name
