"""Self-service user operations with access tokens from a real sign-in, through boto3, both ways:
token checks, attribute read/write permissions, verification, password changes, deletion."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.crypto import jwt
from cognito_mock.backend.tokens.store import pool_keys, token_store
from tests.helpers import PASSWORD, fails

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
UNAUTHORIZED_WRITE = (
    "NotAuthorizedException",
    "A client attempted to write unauthorized attribute",
)
NOT_VERIFIABLE = (
    "InvalidParameterException",
    "Invalid attribute name. Only phone_number and email can be verified.",
)
LIMIT = ("LimitExceededException", "Attempt limit exceeded, please try after some time.")


class Env:
    """A pool with an app client and signed-in users."""

    def __init__(self, client: Any, mock: CognitoMock, **pool: Any) -> None:
        self.client, self.mock = client, mock
        self.pool_id = client.create_user_pool(PoolName="self", **pool)["UserPool"]["Id"]
        self.app = self.make_client()

    def make_client(self, **settings: Any) -> str:
        made = self.client.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="app", ExplicitAuthFlows=FLOWS, **settings
        )
        return str(made["UserPoolClient"]["ClientId"])

    def user(self, username: str = "alice", **attrs: str) -> str:
        self.client.admin_create_user(
            UserPoolId=self.pool_id,
            Username=username,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
        )
        self.client.admin_set_user_password(
            UserPoolId=self.pool_id, Username=username, Password=PASSWORD, Permanent=True
        )
        return username

    def sign_in(self, name: str = "alice", password: str = PASSWORD, app: str | None = None) -> Any:
        return self.client.initiate_auth(
            ClientId=app or self.app,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": password},
        )["AuthenticationResult"]

    def refresh(self, token: str) -> Any:
        return self.client.initiate_auth(
            ClientId=self.app,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": token},
        )["AuthenticationResult"]

    def attrs(self, name: str = "alice") -> dict[str, str]:
        found = self.client.admin_get_user(UserPoolId=self.pool_id, Username=name)
        return {a["Name"]: a["Value"] for a in found["UserAttributes"]}


@pytest.fixture
def env(client: Any, mock: CognitoMock) -> Env:
    return Env(client, mock)


def _pairs(*items: tuple[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in items]


def _mint_without_admin_scope(mock: CognitoMock, pool_id: str, token: str) -> str:
    """An access token signed by the pool's key and known to the mock, but scoped `openid` only
    (as a hosted-UI sign-in without the admin scope would issue)."""
    backend = mock.backend()
    pool = backend.pool(pool_id)
    claims = pyjwt.decode(token, options={"verify_signature": False})
    store = token_store(pool)
    store.access["minted-jti"] = store.access[claims["jti"]]
    claims.update({"scope": "openid", "jti": "minted-jti"})
    return jwt.encode(claims, pool_keys(backend, pool)[1])


# Each operation with the arguments it needs besides the token.
OPERATIONS: dict[str, dict[str, Any]] = {
    "get_user": {},
    "update_user_attributes": {"UserAttributes": _pairs(("name", "Al"))},
    "delete_user_attributes": {"UserAttributeNames": ["name"]},
    "delete_user": {},
    "change_password": {"PreviousPassword": PASSWORD, "ProposedPassword": "New-Horse-10"},
    "get_user_attribute_verification_code": {"AttributeName": "email"},
    "verify_user_attribute": {"AttributeName": "email", "Code": "123456"},
}


# --- access-token checks, for every operation --------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_checks_its_token(
    env: Env, mock: CognitoMock, clock: ManualClock, name: str
) -> None:
    env.user(email="a@example.com", name="Al")
    call = getattr(env.client, name)
    args = OPERATIONS[name]
    before = env.attrs()
    for garbage in ("garbage", "a.b.c", env.sign_in()["IdToken"]):
        fails(call, "NotAuthorizedException", "Invalid Access Token", AccessToken=garbage, **args)
    unscoped = _mint_without_admin_scope(mock, env.pool_id, env.sign_in()["AccessToken"])
    fails(call, "NotAuthorizedException", "Access Token does not have required scopes",
          AccessToken=unscoped, **args)  # fmt: skip
    expiring = env.sign_in()["AccessToken"]
    clock.advance(3600)
    fails(call, "NotAuthorizedException", "Access Token has expired", AccessToken=expiring, **args)
    revoked = env.sign_in()["AccessToken"]
    env.client.global_sign_out(AccessToken=env.sign_in()["AccessToken"])
    fails(call, "NotAuthorizedException", "Access Token has been revoked", AccessToken=revoked,
          **args)  # fmt: skip
    assert env.attrs() == before
    orphan = env.sign_in()["AccessToken"]
    env.client.admin_delete_user(UserPoolId=env.pool_id, Username="alice")
    fails(call, "UserNotFoundException", "User does not exist.", AccessToken=orphan, **args)


# --- GetUser ------------------------------------------------------------------------------------


def test_get_user_returns_what_the_client_may_read(env: Env, mock: CognitoMock) -> None:
    env.client.add_custom_attributes(
        UserPoolId=env.pool_id,
        CustomAttributes=[
            {"Name": "team", "AttributeDataType": "String"},
            {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        ],
    )
    env.user(email="a@example.com", name="Al", **{"custom:team": "red", "dev:custom:tier": "9"})
    found = env.client.get_user(AccessToken=env.sign_in()["AccessToken"])
    assert found["Username"] == "alice"
    everything = {a["Name"]: a["Value"] for a in found["UserAttributes"]}
    assert everything == env.attrs()  # a client without ReadAttributes reads all of them
    assert everything["dev:custom:tier"] == "9" and everything["custom:team"] == "red"
    assert not {"MFAOptions", "PreferredMfaSetting", "UserMFASettingList"} & set(found)

    narrow = env.make_client(ReadAttributes=["email", "custom:team"])
    limited = env.client.get_user(AccessToken=env.sign_in(app=narrow)["AccessToken"])
    names = {a["Name"] for a in limited["UserAttributes"]}
    assert names == {"sub", "email", "custom:team"}


def test_get_user_reports_mfa_settings_as_admin_get_user(env: Env, mock: CognitoMock) -> None:
    env.user(email="a@example.com")
    user = mock.backend().pool(env.pool_id).users.get("alice")
    assert user is not None
    user.mfa.enabled = ["SOFTWARE_TOKEN_MFA"]
    user.mfa.preferred = "SOFTWARE_TOKEN_MFA"
    found = env.client.get_user(AccessToken=env.sign_in()["AccessToken"])
    admin = env.client.admin_get_user(UserPoolId=env.pool_id, Username="alice")
    assert found["UserMFASettingList"] == admin["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert found["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"


# --- UpdateUserAttributes -----------------------------------------------------------------------


def test_update_attributes_and_verification_codes(client: Any, mock: CognitoMock) -> None:
    env = Env(client, mock, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    env.user(email="a@example.com", email_verified="true")
    token = env.sign_in()["AccessToken"]
    assert (
        env.client.update_user_attributes(
            AccessToken=token, UserAttributes=_pairs(("name", "Al"))
        ).get("CodeDeliveryDetailsList")
        is None
    )
    answer = env.client.update_user_attributes(
        AccessToken=token, UserAttributes=_pairs(("email", "new@example.com"))
    )
    assert answer["CodeDeliveryDetailsList"] == [
        {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    attrs = env.attrs()
    assert attrs["name"] == "Al" and attrs["email"] == "new@example.com"
    assert attrs["email_verified"] == "false"
    message = mock.outbox.last("new@example.com")
    assert (message.purpose, message.operation) == ("verify_attribute", "UpdateUserAttributes")
    # Verifying the new address makes it the sign-in alias.
    env.client.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message.code)
    assert env.attrs("new@example.com")["email_verified"] == "true"
    assert env.sign_in("new@example.com")["AccessToken"]


def test_update_attribute_refusals_change_nothing(env: Env, mock: CognitoMock) -> None:
    env.client.add_custom_attributes(
        UserPoolId=env.pool_id,
        CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
            {"Name": "badge", "AttributeDataType": "String", "Mutable": False},
        ],
    )
    env.user(email="a@example.com", name="Al")
    token = env.sign_in()["AccessToken"]
    narrow = env.sign_in(app=env.make_client(WriteAttributes=["name"]))["AccessToken"]
    before, sent = env.attrs(), len(mock.outbox)
    # Updates name the attribute as `user.<name>`, one problem per line (issue 11, item 19).
    cases: list[tuple[str, list[dict[str, str]], tuple[str, str]]] = [
        (token, _pairs(("email_verified", "true")), UNAUTHORIZED_WRITE),
        (token, _pairs(("phone_number_verified", "true")), UNAUTHORIZED_WRITE),
        (token, _pairs(("dev:custom:tier", "9")), UNAUTHORIZED_WRITE),
        (token, _pairs(("name", "Bo"), ("email_verified", "true")), UNAUTHORIZED_WRITE),
        (narrow, _pairs(("email", "b@example.com")), UNAUTHORIZED_WRITE),
        (token, _pairs(("custom:nope", "x")), ("InvalidParameterException",
         "user.custom:nope: Attribute does not exist in the schema.\n")),
        (token, _pairs(("sub", "x")), ("InvalidParameterException",
         "user.sub: Attribute does not exist in the schema.\n")),
        (token, _pairs(("custom:badge", "x")), ("InvalidParameterException",
         "user.custom:badge: Attribute cannot be updated.\n")),
        (token, _pairs(("custom:badge", "x"), ("custom:nope", "y")), ("InvalidParameterException",
         "user.custom:badge: Attribute cannot be updated.\n"
         "user.custom:nope: Attribute does not exist in the schema.\n")),
        (token, _pairs(("email", "nope")), ("InvalidParameterException",
         "Invalid email address format.")),
    ]  # fmt: skip
    for access, attributes, expected in cases:
        fails(env.client.update_user_attributes, *expected, AccessToken=access,
              UserAttributes=attributes)  # fmt: skip
    assert env.attrs() == before and len(mock.outbox) == sent
    # What the narrow client may write, it writes.
    env.client.update_user_attributes(AccessToken=narrow, UserAttributes=_pairs(("name", "Bo")))
    assert env.attrs()["name"] == "Bo"


def test_update_to_a_taken_identifier_is_refused(client: Any, mock: CognitoMock) -> None:
    # Email as username: unique whether verified or not.
    env = Env(client, mock, UsernameAttributes=["email"])
    env.user("a@example.com")
    env.user("b@example.com")
    token = env.sign_in("b@example.com")["AccessToken"]
    fails(env.client.update_user_attributes, "AliasExistsException",
          "An account with the email already exists.",
          AccessToken=token, UserAttributes=_pairs(("email", "a@example.com")))  # fmt: skip
    assert env.attrs("b@example.com")["email"] == "b@example.com"
    assert env.attrs("a@example.com")["email"] == "a@example.com"  # still finds its owner
    # Email alias: a verified value held by someone else.
    other = Env(client, mock, AliasAttributes=["email"])
    other.user("ann", email="x@example.com", email_verified="true")
    other.user("bob", email="bob@example.com", email_verified="true")
    bob = other.sign_in("bob")["AccessToken"]
    other.client.update_user_attributes(
        AccessToken=bob, UserAttributes=_pairs(("email", "x@example.com"))
    )
    code = other.client.get_user_attribute_verification_code(AccessToken=bob, AttributeName="email")
    assert code["CodeDeliveryDetails"]["Destination"] == "x***@e***"
    value = mock.outbox.last("x@example.com").code
    fails(other.client.verify_user_attribute, "AliasExistsException",
          "An account with the email already exists.",
          AccessToken=bob, AttributeName="email", Code=value)  # fmt: skip
    assert other.attrs("bob")["email_verified"] == "false"
    assert (
        other.client.admin_get_user(UserPoolId=other.pool_id, Username="x@example.com")["Username"]
        == "ann"
    )
    # The refused verification left the code usable once the alias is free.
    other.client.admin_delete_user(UserPoolId=other.pool_id, Username="ann")
    other.client.verify_user_attribute(AccessToken=bob, AttributeName="email", Code=value)
    assert (
        other.client.admin_get_user(UserPoolId=other.pool_id, Username="x@example.com")["Username"]
        == "bob"
    )


def test_pending_value_until_verified(client: Any, mock: CognitoMock, clock: ManualClock) -> None:
    env = Env(
        client, mock,
        AliasAttributes=["email"], AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )  # fmt: skip
    env.user(email="old@example.com", email_verified="true")
    token = env.sign_in()["AccessToken"]
    env.client.update_user_attributes(
        AccessToken=token, UserAttributes=_pairs(("email", "new@example.com"))
    )
    attrs = env.attrs()
    assert attrs["email"] == "old@example.com" and attrs["email_verified"] == "true"
    assert env.sign_in("old@example.com")  # the old value stays in force
    # A fresh code goes to the pending value too.
    answer = env.client.get_user_attribute_verification_code(
        AccessToken=token, AttributeName="email"
    )
    assert answer["CodeDeliveryDetails"]["Destination"] == "n***@e***"
    code = mock.outbox.last("new@example.com").code
    assert code and mock.outbox.last(purpose="verify_attribute").to == "new@example.com"
    wrong = "000000" if code != "000000" else "111111"
    fails(env.client.verify_user_attribute, "CodeMismatchException",
          "Invalid verification code provided, please try again.",
          AccessToken=token, AttributeName="email", Code=wrong)  # fmt: skip
    assert env.attrs()["email"] == "old@example.com"
    env.client.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    attrs = env.attrs("new@example.com")
    assert attrs["email"] == "new@example.com" and attrs["email_verified"] == "true"
    user = mock.backend().pool(env.pool_id).users.get("alice")
    assert user is not None and user.pending == {}  # nothing left to apply later
    with pytest.raises(env.client.exceptions.UserNotFoundException) as caught:
        env.client.admin_get_user(UserPoolId=env.pool_id, Username="old@example.com")
    assert caught.value.response["Error"]["Message"] == "User does not exist."
    # Single use.
    fails(env.client.verify_user_attribute, "ExpiredCodeException",
          "Invalid code provided, please request a code again.",
          AccessToken=token, AttributeName="email", Code=code)  # fmt: skip
    # ListUsers sees the change.
    listed = env.client.list_users(UserPoolId=env.pool_id, Filter='email = "new@example.com"')
    assert [u["Username"] for u in listed["Users"]] == ["alice"]


# --- DeleteUserAttributes -----------------------------------------------------------------------


def test_delete_attributes(client: Any, mock: CognitoMock) -> None:
    env = Env(
        client, mock,
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}],
    )  # fmt: skip
    env.client.add_custom_attributes(
        UserPoolId=env.pool_id,
        CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}
        ],
    )
    env.user(email="a@example.com", name="Al", phone_number="+15550001111",
             phone_number_verified="true", **{"dev:custom:tier": "1"})  # fmt: skip
    token = env.sign_in()["AccessToken"]
    narrow = env.sign_in(app=env.make_client(WriteAttributes=["email", "name"]))["AccessToken"]
    before = env.attrs()
    cases: list[tuple[str, list[str], tuple[str, str]]] = [
        (token, ["email"], ("InvalidParameterException",
         "Invalid user attributes: email: Required attribute cannot be deleted.")),
        (token, ["custom:nope"], ("InvalidParameterException",
         "Invalid user attributes: custom:nope: Attribute does not exist in the schema.")),
        (token, ["name", "sub"], ("InvalidParameterException",
         "Invalid user attributes: sub: Attribute does not exist in the schema.")),
        (token, ["phone_number_verified"], UNAUTHORIZED_WRITE),
        (token, ["dev:custom:tier"], UNAUTHORIZED_WRITE),
        (narrow, ["phone_number"], UNAUTHORIZED_WRITE),
    ]  # fmt: skip
    for access, names, expected in cases:
        fails(env.client.delete_user_attributes, *expected, AccessToken=access,
              UserAttributeNames=names)  # fmt: skip
    assert env.attrs() == before
    env.client.delete_user_attributes(
        AccessToken=token, UserAttributeNames=["name", "phone_number"]
    )
    after = env.attrs()
    assert "name" not in after and "phone_number" not in after
    assert "phone_number_verified" not in after and after["email"] == "a@example.com"


# --- DeleteUser ---------------------------------------------------------------------------------


def test_delete_user_ends_every_token(env: Env) -> None:
    env.user(email="a@example.com")
    env.client.create_group(UserPoolId=env.pool_id, GroupName="g")
    env.client.admin_add_user_to_group(UserPoolId=env.pool_id, Username="alice", GroupName="g")
    first, second = env.sign_in(), env.sign_in()
    env.client.delete_user(AccessToken=first["AccessToken"])
    with pytest.raises(env.client.exceptions.UserNotFoundException) as caught:
        env.client.admin_get_user(UserPoolId=env.pool_id, Username="alice")
    assert caught.value.response["Error"]["Message"] == "User does not exist."
    assert env.client.list_users_in_group(UserPoolId=env.pool_id, GroupName="g")["Users"] == []
    missing = ("UserNotFoundException", "User does not exist.")
    fails(env.client.get_user, *missing, AccessToken=second["AccessToken"])
    fails(env.refresh, *missing, token=second["RefreshToken"])
    fails(env.sign_in, *missing)
    # The name is free again, and the old tokens do not belong to the new user.
    env.user(email="b@example.com")
    fails(env.client.get_user, *missing, AccessToken=first["AccessToken"])
    fails(env.refresh, *missing, token=first["RefreshToken"])


# --- ChangePassword -----------------------------------------------------------------------------


def test_change_password(client: Any, mock: CognitoMock) -> None:
    env = Env(client, mock, Policies={"PasswordPolicy": {"MinimumLength": 10,
                                                          "PasswordHistorySize": 2}})  # fmt: skip
    env.user(email="a@example.com")
    session, other = env.sign_in(), env.sign_in()
    token = session["AccessToken"]
    change = env.client.change_password
    fails(change, "NotAuthorizedException", "Incorrect username or password.",
          AccessToken=token, PreviousPassword="Wrong-Horse-9", ProposedPassword="New-Horse-10")  # fmt: skip
    fails(change, "NotAuthorizedException", "Incorrect username or password.",
          AccessToken=token, ProposedPassword="New-Horse-10")  # fmt: skip
    fails(change, "InvalidPasswordException",
          "Password did not conform with policy: Password not long enough",
          AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="Sh0rt-pw")  # fmt: skip
    fails(change, "PasswordHistoryPolicyViolationException", "Password has previously been used",
          AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=PASSWORD)  # fmt: skip
    assert env.sign_in()  # the password is unchanged after every refusal
    change(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="New-Horse-10")
    fails(env.sign_in, "NotAuthorizedException", "Incorrect username or password.")
    assert env.sign_in(password="New-Horse-10")
    # The service revokes no session on a password change: both sessions keep working.
    assert env.client.get_user(AccessToken=token)["Username"] == "alice"
    assert env.refresh(other["RefreshToken"])["AccessToken"]
    assert env.refresh(session["RefreshToken"])["AccessToken"]


def test_change_password_hourly_limit(env: Env, clock: ManualClock) -> None:
    env.user(email="a@example.com")
    token = env.sign_in()["AccessToken"]
    for _ in range(5):  # wrong guesses count toward the limit
        with pytest.raises(env.client.exceptions.NotAuthorizedException) as caught:
            env.client.change_password(
                AccessToken=token, PreviousPassword="Wrong-Horse-9", ProposedPassword="New-Horse-10"
            )
        assert caught.value.response["Error"]["Message"] == "Incorrect username or password."
    fails(env.client.change_password, *LIMIT, AccessToken=token, PreviousPassword=PASSWORD,
          ProposedPassword="New-Horse-10")  # fmt: skip
    assert env.sign_in()  # refused: still the old password
    clock.advance(3599)
    fails(env.client.change_password, *LIMIT, AccessToken=token, PreviousPassword=PASSWORD,
          ProposedPassword="New-Horse-10")  # fmt: skip
    clock.advance(1)
    token = env.sign_in()["AccessToken"]
    env.client.change_password(
        AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="New-Horse-10"
    )
    assert env.sign_in(password="New-Horse-10")


# --- GetUserAttributeVerificationCode and VerifyUserAttribute ---------------------------------


def test_attribute_verification_codes(env: Env, mock: CognitoMock, clock: ManualClock) -> None:
    env.user(email="a@example.com")
    token = env.sign_in()["AccessToken"]
    get_code = env.client.get_user_attribute_verification_code
    verify = env.client.verify_user_attribute
    fails(get_code, *NOT_VERIFIABLE, AccessToken=token, AttributeName="name")
    fails(verify, *NOT_VERIFIABLE, AccessToken=token, AttributeName="name", Code="123456")
    fails(get_code, "InvalidParameterException", "User does not have a valid registered phone number",
          AccessToken=token, AttributeName="phone_number")  # fmt: skip
    fails(verify, "ExpiredCodeException", "Invalid code provided, please request a code again.",
          AccessToken=token, AttributeName="email", Code="123456")  # fmt: skip
    assert len(mock.outbox) == 0
    answer = get_code(AccessToken=token, AttributeName="email")
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    message = mock.outbox.last("a@example.com")
    assert (message.purpose, message.operation, message.attribute) == (
        "verify_attribute", "GetUserAttributeVerificationCode", "email")  # fmt: skip
    assert env.attrs().get("email_verified") != "true"
    verify(AccessToken=token, AttributeName="email", Code=message.code)
    assert env.attrs()["email_verified"] == "true"

    # Codes expire after 24 hours.
    get_code(AccessToken=token, AttributeName="email")
    stale = mock.outbox.last_code("a@example.com")
    clock.advance(86401)
    token = env.sign_in()["AccessToken"]
    fails(verify, "ExpiredCodeException", "Invalid code provided, please request a code again.",
          AccessToken=token, AttributeName="email", Code=stale)  # fmt: skip


def test_verification_code_hourly_limit(env: Env, mock: CognitoMock, clock: ManualClock) -> None:
    env.user(email="a@example.com", phone_number="+15550001111")
    token = env.sign_in()["AccessToken"]
    get_code = env.client.get_user_attribute_verification_code
    for attribute in ("email", "phone_number", "email", "phone_number", "email"):
        get_code(AccessToken=token, AttributeName=attribute)
    assert mock.outbox.last("+15550001111").medium == "SMS"
    sent = len(mock.outbox)
    fails(get_code, *LIMIT, AccessToken=token, AttributeName="phone_number")
    assert len(mock.outbox) == sent
    clock.advance(3600)
    answer = get_code(AccessToken=env.sign_in()["AccessToken"], AttributeName="phone_number")
    assert answer["CodeDeliveryDetails"]["Destination"] == "+*******1111"


def test_wrong_codes_run_out(env: Env, mock: CognitoMock) -> None:
    env.user(email="a@example.com")
    token = env.sign_in()["AccessToken"]
    env.client.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    code = mock.outbox.last_code("a@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        fails(env.client.verify_user_attribute, "CodeMismatchException",
              "Invalid verification code provided, please try again.",
              AccessToken=token, AttributeName="email", Code=wrong)  # fmt: skip
    fails(env.client.verify_user_attribute, *LIMIT, AccessToken=token, AttributeName="email",
          Code=code)  # fmt: skip
    assert env.attrs().get("email_verified") != "true"
