"""SignUp, ConfirmSignUp and ResendConfirmationCode through boto3, both ways."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.accounts.signup import RESEND_LIMIT
from tests.helpers import PASSWORD, add_client, fails, record, secret_hash, secret_of, status

EMAIL = "someone@gmail.com"
PHONE = "+447700904114"
MISMATCH = "Invalid verification code provided, please try again."
EXPIRED = "Invalid code provided, please request a code again."
NOT_FOUND = "Username/client id combination not found."
LIMIT = "Attempt limit exceeded, please try after some time."


def new_pool(client: Any, **settings: Any) -> str:
    return str(client.create_user_pool(PoolName="p", **settings)["UserPool"]["Id"])


def attrs(client: Any, pool_id: str, name: str) -> dict[str, str]:
    got = client.admin_get_user(UserPoolId=pool_id, Username=name)
    return {a["Name"]: a["Value"] for a in got["UserAttributes"]}


@pytest.fixture
def email_pool(client: Any) -> str:
    return new_pool(client, AutoVerifiedAttributes=["email"])


@pytest.fixture
def app(client: Any, email_pool: str) -> str:
    return add_client(client, email_pool)


def sign_up(client: Any, app: str, name: str = "alice", email: str = EMAIL, **kw: Any) -> Any:
    return client.sign_up(
        ClientId=app, Username=name, Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}], **kw,
    )  # fmt: skip


# -- SignUp ---------------------------------------------------------------------------------------


def test_sign_up_sends_a_code_to_the_email(
    client: Any, mock: CognitoMock, email_pool: str, app: str
) -> None:
    result = sign_up(client, app)
    assert result["UserConfirmed"] is False
    assert result["CodeDeliveryDetails"] == {
        "Destination": "s***@g***", "DeliveryMedium": "EMAIL", "AttributeName": "email",
    }  # fmt: skip
    user = record(mock, email_pool, "alice")
    assert result["UserSub"] == user.sub
    assert user.password == PASSWORD
    assert status(client, email_pool, "alice") == "UNCONFIRMED"
    assert "email_verified" not in attrs(client, email_pool, "alice")
    message = mock.outbox.last(EMAIL)
    assert (message.purpose, message.operation, message.medium) == (
        "confirm_sign_up",
        "SignUp",
        "EMAIL",
    )
    assert message.code is not None and len(message.code) == 6 and message.code.isdigit()
    assert message.code in message.body


def test_phone_wins_when_both_are_auto_verified(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, AutoVerifiedAttributes=["email", "phone_number"])
    app = add_client(client, pool_id)
    result = client.sign_up(
        ClientId=app, Username="bob", Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "phone_number", "Value": PHONE}],
    )  # fmt: skip
    assert result["CodeDeliveryDetails"] == {
        "Destination": "+********4114", "DeliveryMedium": "SMS", "AttributeName": "phone_number",
    }  # fmt: skip
    assert mock.outbox.last(PHONE).medium == "SMS"
    assert mock.outbox.to(EMAIL) == []


def test_no_auto_verified_attribute_means_no_code(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    app = add_client(client, pool_id)
    result = sign_up(client, app)
    assert "CodeDeliveryDetails" not in result
    assert result["UserConfirmed"] is False
    assert len(mock.outbox) == 0


def test_unknown_client(client: Any) -> None:
    fails(client.sign_up, "ResourceNotFoundException", "User pool client nosuchclient does not exist.",
          ClientId="nosuchclient", Username="x", Password=PASSWORD)  # fmt: skip


def test_secret_hash_is_required_and_checked(
    client: Any, mock: CognitoMock, email_pool: str
) -> None:
    app = add_client(client, email_pool, secret=True)
    secret = secret_of(client, email_pool, app)
    fails(sign_up, "NotAuthorizedException", f"Unable to verify secret hash for client {app}",
          client=client, app=app)  # fmt: skip
    wrong = secret_hash(secret, "someone-else", app)
    fails(sign_up, "NotAuthorizedException", f"SecretHash does not match for the client: {app}",
          client=client, app=app, SecretHash=wrong)  # fmt: skip
    assert len(mock.backend().pools[email_pool].users) == 0
    assert len(mock.outbox) == 0
    sign_up(client, app, SecretHash=secret_hash(secret, "alice", app))
    assert status(client, email_pool, "alice") == "UNCONFIRMED"


def test_admin_only_pool_refuses_sign_up(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    app = add_client(client, pool_id)
    fails(sign_up, "NotAuthorizedException", "SignUp is not permitted for this user pool",
          client=client, app=app)  # fmt: skip
    assert len(mock.backend().pools[pool_id].users) == 0


@pytest.mark.parametrize(
    ("password", "rule"),
    [("Sh0rt!", "Password not long enough"), ("password1!", "Password must have uppercase characters"),
     ("Password!", "Password must have numeric characters")],
)  # fmt: skip
def test_password_policy(
    client: Any, mock: CognitoMock, email_pool: str, app: str, password: str, rule: str
) -> None:
    fails(client.sign_up, "InvalidPasswordException", f"Password did not conform with policy: {rule}",
          ClientId=app, Username="alice", Password=password)  # fmt: skip
    assert len(mock.backend().pools[email_pool].users) == 0


def test_password_is_required_without_passwordless_factors(
    client: Any, mock: CognitoMock, email_pool: str, app: str
) -> None:
    fails(client.sign_up, "InvalidParameterException",
          "Password is required for sign-up in this user pool.", ClientId=app, Username="alice")  # fmt: skip
    pool_id = new_pool(
        client, Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    )
    app2 = add_client(client, pool_id)
    client.sign_up(
        ClientId=app2, Username="alice", UserAttributes=[{"Name": "email", "Value": EMAIL}]
    )
    assert record(mock, pool_id, "alice").password is None


def test_write_attributes_are_respected(client: Any, mock: CognitoMock, email_pool: str) -> None:
    app = add_client(client, email_pool, WriteAttributes=["email"])
    fails(client.sign_up, "NotAuthorizedException", "A client attempted to write unauthorized attribute",
          ClientId=app, Username="alice", Password=PASSWORD,
          UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "name", "Value": "Al"}])  # fmt: skip
    assert len(mock.backend().pools[email_pool].users) == 0
    sign_up(client, app)
    assert attrs(client, email_pool, "alice")["email"] == EMAIL


def test_attribute_rules(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(
        client, Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True},
                        {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}],
    )  # fmt: skip
    app = add_client(client, pool_id)
    fails(client.sign_up, "InvalidParameterException",
          "Attributes did not conform to the schema: email: The attribute is required\n",
          ClientId=app, Username="alice", Password=PASSWORD)  # fmt: skip
    fails(sign_up, "InvalidParameterException", "Invalid email address format.",
          client=client, app=app, email="not-an-email")  # fmt: skip
    dev = {"Name": "dev:custom:secret", "Value": "x"}
    fails(client.sign_up, "InvalidParameterException",
          "Attributes did not conform to the schema: dev:custom:secret: "
          "Attribute does not exist in the schema.\n",
          ClientId=app, Username="alice", Password=PASSWORD,
          UserAttributes=[{"Name": "email", "Value": EMAIL}, dev])  # fmt: skip
    assert len(mock.backend().pools[pool_id].users) == 0
    sign_up(client, app)


def test_username_taken(client: Any, mock: CognitoMock, email_pool: str, app: str) -> None:
    sign_up(client, app)
    sent = len(mock.outbox)
    fails(sign_up, "UsernameExistsException", "User already exists", client=client, app=app)
    assert len(mock.outbox) == sent
    # Case-sensitive by default: another case is another user.
    sign_up(client, app, name="ALICE")


def test_case_insensitive_pool(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(
        client, AutoVerifiedAttributes=["email"], UsernameConfiguration={"CaseSensitive": False}
    )
    app = add_client(client, pool_id)
    sign_up(client, app, name="Alice")
    fails(
        sign_up,
        "UsernameExistsException",
        "User already exists",
        client=client,
        app=app,
        name="aLICE",
    )
    code = mock.outbox.last_code(EMAIL)
    client.confirm_sign_up(ClientId=app, Username="ALICE", ConfirmationCode=code)
    assert status(client, pool_id, "alice") == "CONFIRMED"


def test_email_username_pool(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    app = add_client(client, pool_id)
    result = client.sign_up(ClientId=app, Username=EMAIL, Password=PASSWORD)
    assert result["CodeDeliveryDetails"]["Destination"] == "s***@g***"
    got = client.admin_get_user(UserPoolId=pool_id, Username=EMAIL)
    assert got["Username"] == result["UserSub"]
    fails(client.sign_up, "UsernameExistsException", "An account with the given email already exists.",
          ClientId=app, Username=EMAIL, Password=PASSWORD)  # fmt: skip
    fails(client.sign_up, "InvalidParameterException", "Username should be an email.",
          ClientId=app, Username="plainname", Password=PASSWORD)  # fmt: skip
    assert len(mock.backend().pools[pool_id].users) == 1
    client.confirm_sign_up(
        ClientId=app, Username=EMAIL, ConfirmationCode=mock.outbox.last_code(EMAIL)
    )
    assert attrs(client, pool_id, EMAIL)["email_verified"] == "true"


def test_email_alias_pool_username_rule(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    app = add_client(client, pool_id)
    fails(client.sign_up, "InvalidParameterException",
          "Username cannot be of email format, since user pool is configured for email alias.",
          ClientId=app, Username=EMAIL, Password=PASSWORD)  # fmt: skip


# -- ConfirmSignUp --------------------------------------------------------------------------------


def test_confirm_sign_up(client: Any, mock: CognitoMock, email_pool: str, app: str) -> None:
    sign_up(client, app)
    code = mock.outbox.last_code(EMAIL, purpose="confirm_sign_up")
    # ConfirmSignUp answers an empty body (any dict is truthy): its effect is what's checked.
    confirmed = client.confirm_sign_up(ClientId=app, Username="alice", ConfirmationCode=code)
    assert set(confirmed) <= {"ResponseMetadata", "Session"}
    assert status(client, email_pool, "alice") == "CONFIRMED"
    assert attrs(client, email_pool, "alice")["email_verified"] == "true"
    # Single use: the user is now confirmed.
    fails(client.confirm_sign_up, "NotAuthorizedException",
          "User cannot be confirmed. Current status is CONFIRMED",
          ClientId=app, Username="alice", ConfirmationCode=code)  # fmt: skip


def test_confirm_marks_the_phone_it_went_to(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, AutoVerifiedAttributes=["email", "phone_number"])
    app = add_client(client, pool_id)
    client.sign_up(
        ClientId=app, Username="bob", Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "phone_number", "Value": PHONE}],
    )  # fmt: skip
    client.confirm_sign_up(
        ClientId=app, Username="bob", ConfirmationCode=mock.outbox.last_code(PHONE)
    )
    got = attrs(client, pool_id, "bob")
    assert got["phone_number_verified"] == "true"
    assert "email_verified" not in got


def test_wrong_codes_fail_and_five_lock_the_code(
    client: Any, mock: CognitoMock, email_pool: str, app: str
) -> None:
    sign_up(client, app)
    code = mock.outbox.last_code(EMAIL)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        fails(client.confirm_sign_up, "CodeMismatchException",
              MISMATCH,
              ClientId=app, Username="alice", ConfirmationCode=wrong)  # fmt: skip
        assert status(client, email_pool, "alice") == "UNCONFIRMED"
    fails(client.confirm_sign_up, "LimitExceededException",
          LIMIT,
          ClientId=app, Username="alice", ConfirmationCode=code)  # fmt: skip
    assert status(client, email_pool, "alice") == "UNCONFIRMED"
    # A resent code is fresh.
    client.resend_confirmation_code(ClientId=app, Username="alice")
    client.confirm_sign_up(
        ClientId=app, Username="alice", ConfirmationCode=mock.outbox.last_code(EMAIL)
    )
    assert status(client, email_pool, "alice") == "CONFIRMED"


def test_code_expires_after_24_hours(
    client: Any, mock: CognitoMock, clock: ManualClock, email_pool: str, app: str
) -> None:
    sign_up(client, app)
    code = mock.outbox.last_code(EMAIL)
    clock.set(clock.now() + 86400 - 1)
    sign_up(client, app, name="bob", email="bob@example.com")
    client.confirm_sign_up(
        ClientId=app, Username="bob", ConfirmationCode=mock.outbox.last_code("bob@example.com")
    )
    clock.set(clock.now() + 2)
    fails(client.confirm_sign_up, "ExpiredCodeException", EXPIRED,
          ClientId=app, Username="alice", ConfirmationCode=code)  # fmt: skip
    assert status(client, email_pool, "alice") == "UNCONFIRMED"


def test_confirm_unknown_user(client: Any, mock: CognitoMock, email_pool: str, app: str) -> None:
    fails(client.confirm_sign_up, "UserNotFoundException", NOT_FOUND,
          ClientId=app, Username="ghost", ConfirmationCode="123456")  # fmt: skip
    hidden = add_client(client, email_pool, PreventUserExistenceErrors="ENABLED")
    fails(client.confirm_sign_up, "CodeMismatchException",
          MISMATCH,
          ClientId=hidden, Username="ghost", ConfirmationCode="123456")  # fmt: skip


def test_confirm_without_a_code_sent(client: Any, mock: CognitoMock, pool_id: str) -> None:
    app = add_client(client, pool_id)
    sign_up(client, app)
    fails(client.confirm_sign_up, "ExpiredCodeException", EXPIRED,
          ClientId=app, Username="alice", ConfirmationCode="123456")  # fmt: skip


def test_confirm_checks_the_secret_hash(client: Any, mock: CognitoMock, email_pool: str) -> None:
    app = add_client(client, email_pool, secret=True)
    secret = secret_of(client, email_pool, app)
    sign_up(client, app, SecretHash=secret_hash(secret, "alice", app))
    code = mock.outbox.last_code(EMAIL)
    fails(client.confirm_sign_up, "NotAuthorizedException", f"Unable to verify secret hash for client {app}",
          ClientId=app, Username="alice", ConfirmationCode=code)  # fmt: skip
    fails(client.confirm_sign_up, "NotAuthorizedException",
          f"SecretHash does not match for the client: {app}", ClientId=app, Username="alice",
          ConfirmationCode=code, SecretHash=secret_hash(secret, "bob", app))  # fmt: skip
    assert status(client, email_pool, "alice") == "UNCONFIRMED"
    client.confirm_sign_up(ClientId=app, Username="alice", ConfirmationCode=code,
                           SecretHash=secret_hash(secret, "alice", app))  # fmt: skip
    assert status(client, email_pool, "alice") == "CONFIRMED"


def test_alias_conflict_at_confirmation(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    app = add_client(client, pool_id)
    sign_up(client, app, name="first")
    client.confirm_sign_up(
        ClientId=app, Username="first", ConfirmationCode=mock.outbox.last_code(EMAIL)
    )
    assert client.admin_get_user(UserPoolId=pool_id, Username=EMAIL)["Username"] == "first"
    # Signing up with an email another user verified succeeds; confirming fails.
    sign_up(client, app, name="second")
    code = mock.outbox.last_code(EMAIL)
    fails(client.confirm_sign_up, "AliasExistsException", "An account with the email already exists.",
          ClientId=app, Username="second", ConfirmationCode=code)  # fmt: skip
    assert status(client, pool_id, "second") == "UNCONFIRMED"
    assert "email_verified" not in attrs(client, pool_id, "second")
    assert client.admin_get_user(UserPoolId=pool_id, Username=EMAIL)["Username"] == "first"
    # The code survived; forcing moves the alias.
    client.confirm_sign_up(
        ClientId=app, Username="second", ConfirmationCode=code, ForceAliasCreation=True
    )
    assert status(client, pool_id, "second") == "CONFIRMED"
    assert client.admin_get_user(UserPoolId=pool_id, Username=EMAIL)["Username"] == "second"
    assert attrs(client, pool_id, "first")["email_verified"] == "false"


# -- ResendConfirmationCode -----------------------------------------------------------------------


def test_resend_voids_the_old_code(
    client: Any, mock: CognitoMock, email_pool: str, app: str
) -> None:
    sign_up(client, app)
    old = mock.outbox.last_code(EMAIL)
    result = client.resend_confirmation_code(ClientId=app, Username="alice")
    assert result["CodeDeliveryDetails"] == {
        "Destination": "s***@g***", "DeliveryMedium": "EMAIL", "AttributeName": "email",
    }  # fmt: skip
    message = mock.outbox.last(EMAIL)
    assert (message.purpose, message.operation) == ("confirm_sign_up", "ResendConfirmationCode")
    new = message.code
    assert new is not None
    if new != old:
        fails(client.confirm_sign_up, "CodeMismatchException",
              MISMATCH,
              ClientId=app, Username="alice", ConfirmationCode=old)  # fmt: skip
    client.confirm_sign_up(ClientId=app, Username="alice", ConfirmationCode=new)
    assert status(client, email_pool, "alice") == "CONFIRMED"
    fails(client.resend_confirmation_code, "InvalidParameterException", "User is already confirmed.",
          ClientId=app, Username="alice")  # fmt: skip


def test_resend_unknown_user(client: Any, mock: CognitoMock, email_pool: str, app: str) -> None:
    fails(client.resend_confirmation_code, "UserNotFoundException", NOT_FOUND,
          ClientId=app, Username="ghost")  # fmt: skip
    hidden = add_client(client, email_pool, PreventUserExistenceErrors="ENABLED")
    result = client.resend_confirmation_code(ClientId=hidden, Username="ghost@example.com")
    assert result["CodeDeliveryDetails"] == {
        "Destination": "g***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email",
    }  # fmt: skip
    plain = client.resend_confirmation_code(ClientId=hidden, Username="ghost")[
        "CodeDeliveryDetails"
    ]
    assert plain["DeliveryMedium"] == "EMAIL"
    assert (
        plain
        == client.resend_confirmation_code(ClientId=hidden, Username="ghost")["CodeDeliveryDetails"]
    )
    assert len(mock.outbox) == 0


def test_resend_hourly_limit(
    client: Any, mock: CognitoMock, clock: ManualClock, email_pool: str, app: str
) -> None:
    sign_up(client, app)
    for _ in range(RESEND_LIMIT):
        clock.set(clock.now() + 60)
        client.resend_confirmation_code(ClientId=app, Username="alice")
    sent = len(mock.outbox)
    fails(client.resend_confirmation_code, "LimitExceededException",
          LIMIT, ClientId=app, Username="alice")  # fmt: skip
    assert len(mock.outbox) == sent
    clock.set(clock.now() + 3600 - 4 * 60)  # the first resend is now an hour old
    client.resend_confirmation_code(ClientId=app, Username="alice")
    assert len(mock.outbox) == sent + 1
    fails(client.resend_confirmation_code, "LimitExceededException",
          LIMIT, ClientId=app, Username="alice")  # fmt: skip
    assert len(mock.outbox) == sent + 1
    client.confirm_sign_up(
        ClientId=app, Username="alice", ConfirmationCode=mock.outbox.last_code(EMAIL)
    )
    assert status(client, email_pool, "alice") == "CONFIRMED"


def test_resend_checks_the_secret_hash(client: Any, mock: CognitoMock, email_pool: str) -> None:
    app = add_client(client, email_pool, secret=True)
    secret = secret_of(client, email_pool, app)
    sign_up(client, app, SecretHash=secret_hash(secret, "alice", app))
    sent = len(mock.outbox)
    fails(client.resend_confirmation_code, "NotAuthorizedException",
          f"Unable to verify secret hash for client {app}", ClientId=app, Username="alice")  # fmt: skip
    fails(client.resend_confirmation_code, "NotAuthorizedException",
          f"SecretHash does not match for the client: {app}", ClientId=app, Username="alice",
          SecretHash=secret_hash(secret, "bob", app))  # fmt: skip
    assert len(mock.outbox) == sent
    client.resend_confirmation_code(
        ClientId=app, Username="alice", SecretHash=secret_hash(secret, "alice", app)
    )
    assert len(mock.outbox) == sent + 1


def test_resend_without_auto_verification(client: Any, mock: CognitoMock, pool_id: str) -> None:
    app = add_client(client, pool_id)
    sign_up(client, app)
    fails(client.resend_confirmation_code, "InvalidParameterException", "Auto verification not turned on.",
          ClientId=app, Username="alice")  # fmt: skip


def test_resend_in_email_username_pool(client: Any, mock: CognitoMock) -> None:
    pool_id = new_pool(client, UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    app = add_client(client, pool_id)
    client.sign_up(ClientId=app, Username=EMAIL, Password=PASSWORD)
    client.resend_confirmation_code(ClientId=app, Username=EMAIL)
    client.confirm_sign_up(
        ClientId=app, Username=EMAIL, ConfirmationCode=mock.outbox.last_code(EMAIL)
    )
    assert status(client, pool_id, EMAIL) == "CONFIRMED"


def test_sign_up_with_a_verified_alias_another_user_holds(client: Any, mock: CognitoMock) -> None:
    # Regression (issue 11, item 8): SignUp raised AliasExistsException, which it does not
    # declare (ContractViolation). The service takes the alias at confirmation, where a conflict
    # is ConfirmSignUp's AliasExistsException (unless ForceAliasCreation).
    pool_id = new_pool(client, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    app = add_client(client, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    client.admin_create_user(
        UserPoolId=pool_id, Username="owner", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="owner", Password=PASSWORD, Permanent=True
    )
    made = client.sign_up(
        ClientId=app, Username="newcomer", Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    assert made["UserConfirmed"] is False
    signed_in = client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    assert client.get_user(AccessToken=signed_in["AccessToken"])["Username"] == "owner"
    code = mock.outbox.last_code(EMAIL)
    fails(client.confirm_sign_up, "AliasExistsException", "An account with the email already exists.",
          ClientId=app, Username="newcomer", ConfirmationCode=code)  # fmt: skip
    client.confirm_sign_up(
        ClientId=app, Username="newcomer", ConfirmationCode=code, ForceAliasCreation=True
    )
    assert attrs(client, pool_id, "owner")["email_verified"] == "false"
    again = client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    assert client.get_user(AccessToken=again["AccessToken"])["Username"] == "newcomer"
