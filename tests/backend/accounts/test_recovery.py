"""ForgotPassword and ConfirmForgotPassword through boto3, both ways."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock
from tests.helpers import PASSWORD, add_client, fails, record, secret_hash, secret_of, status

NEW = "N3w-passw0rd"
EMAIL = "someone@gmail.com"
PHONE = "+447700904114"
MISMATCH = "Invalid verification code provided, please try again."
EXPIRED = "Invalid code provided, please request a code again."
NOT_FOUND = "Username/client id combination not found."
LIMIT = "Attempt limit exceeded, please try after some time."
NO_CHANNEL = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
EMAIL_DELIVERY = {"Destination": "s***@g***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
SMS_DELIVERY = {
    "Destination": "+********4114", "DeliveryMedium": "SMS", "AttributeName": "phone_number",
}  # fmt: skip


def new_pool(client: Any, **settings: Any) -> str:
    settings.setdefault("AutoVerifiedAttributes", ["email"])
    return str(client.create_user_pool(PoolName="p", **settings)["UserPool"]["Id"])


def confirmed_user(
    client: Any, mock: CognitoMock, app: str, name: str = "alice", **attributes: str
) -> None:
    """Sign up and confirm (the code verifies the auto-verified attribute)."""
    attributes = attributes or {"email": EMAIL}
    client.sign_up(
        ClientId=app, Username=name, Password=PASSWORD,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )  # fmt: skip
    code = mock.outbox.last_code(purpose="confirm_sign_up")
    client.confirm_sign_up(ClientId=app, Username=name, ConfirmationCode=code)


@pytest.fixture
def pool(client: Any) -> str:
    return new_pool(client)


@pytest.fixture
def app(client: Any, pool: str) -> str:
    return add_client(client, pool)


@pytest.fixture
def hidden(client: Any, pool: str) -> str:
    return add_client(client, pool, PreventUserExistenceErrors="ENABLED")


def reset_code(mock: CognitoMock, to: str = EMAIL) -> str:
    return mock.outbox.last_code(to, purpose="forgot_password")


# -- the round trip -------------------------------------------------------------------------------


def test_forgot_then_confirm(client: Any, mock: CognitoMock, pool: str, app: str) -> None:
    confirmed_user(client, mock, app)
    result = client.forgot_password(ClientId=app, Username="alice")
    assert result["CodeDeliveryDetails"] == EMAIL_DELIVERY
    message = mock.outbox.last(EMAIL)
    assert (message.purpose, message.operation, message.medium) == (
        "forgot_password", "ForgotPassword", "EMAIL",
    )  # fmt: skip
    assert message.code is not None and len(message.code) == 6 and message.code in message.body
    assert status(client, pool, "alice") == "CONFIRMED"  # unchanged until confirmation
    assert record(mock, pool, "alice").password == PASSWORD
    client.confirm_forgot_password(
        ClientId=app, Username="alice", ConfirmationCode=message.code, Password=NEW
    )
    assert record(mock, pool, "alice").password == NEW
    assert status(client, pool, "alice") == "CONFIRMED"
    # Single use.
    fails(client.confirm_forgot_password, "ExpiredCodeException", EXPIRED,
          ClientId=app, Username="alice", ConfirmationCode=message.code, Password=PASSWORD)  # fmt: skip
    assert record(mock, pool, "alice").password == NEW


def test_confirm_without_forgot(client: Any, mock: CognitoMock, pool: str, app: str) -> None:
    confirmed_user(client, mock, app)
    fails(client.confirm_forgot_password, "ExpiredCodeException", EXPIRED,
          ClientId=app, Username="alice", ConfirmationCode="123456", Password=NEW)  # fmt: skip
    assert record(mock, pool, "alice").password == PASSWORD


def test_reset_code_expires_after_an_hour(
    client: Any, mock: CognitoMock, clock: ManualClock, pool: str, app: str
) -> None:
    confirmed_user(client, mock, app)
    confirmed_user(client, mock, app, name="bob", email="bob@example.com")
    client.forgot_password(ClientId=app, Username="alice")
    client.forgot_password(ClientId=app, Username="bob")
    clock.set(clock.now() + 3600)
    client.confirm_forgot_password(
        ClientId=app, Username="bob", ConfirmationCode=reset_code(mock, "bob@example.com"),
        Password=NEW,
    )  # fmt: skip
    clock.set(clock.now() + 1)
    fails(client.confirm_forgot_password, "ExpiredCodeException", EXPIRED,
          ClientId=app, Username="alice", ConfirmationCode=reset_code(mock), Password=NEW)  # fmt: skip
    assert record(mock, pool, "alice").password == PASSWORD


def test_wrong_codes_and_the_attempt_limit(
    client: Any, mock: CognitoMock, pool: str, app: str
) -> None:
    confirmed_user(client, mock, app)
    client.forgot_password(ClientId=app, Username="alice")
    code = reset_code(mock)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        fails(client.confirm_forgot_password, "CodeMismatchException", MISMATCH,
              ClientId=app, Username="alice", ConfirmationCode=wrong, Password=NEW)  # fmt: skip
    fails(client.confirm_forgot_password, "LimitExceededException", LIMIT,
          ClientId=app, Username="alice", ConfirmationCode=code, Password=NEW)  # fmt: skip
    assert record(mock, pool, "alice").password == PASSWORD
    # A new ForgotPassword replaces the locked code.
    client.forgot_password(ClientId=app, Username="alice")
    client.confirm_forgot_password(
        ClientId=app, Username="alice", ConfirmationCode=reset_code(mock), Password=NEW
    )
    assert record(mock, pool, "alice").password == NEW


def test_a_new_request_voids_the_old_code(
    client: Any, mock: CognitoMock, pool: str, app: str
) -> None:
    confirmed_user(client, mock, app)
    client.forgot_password(ClientId=app, Username="alice")
    old = reset_code(mock)
    client.forgot_password(ClientId=app, Username="alice")
    new = reset_code(mock)
    if old != new:
        fails(client.confirm_forgot_password, "CodeMismatchException", MISMATCH,
              ClientId=app, Username="alice", ConfirmationCode=old, Password=NEW)  # fmt: skip
    client.confirm_forgot_password(
        ClientId=app, Username="alice", ConfirmationCode=new, Password=NEW
    )


def test_password_policy_and_history_keep_the_code(client: Any, mock: CognitoMock) -> None:
    pool = new_pool(
        client, Policies={"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": 2}}
    )
    app = add_client(client, pool)
    confirmed_user(client, mock, app)
    client.forgot_password(ClientId=app, Username="alice")
    code = reset_code(mock)
    fails(client.confirm_forgot_password, "InvalidPasswordException",
          "Password did not conform with policy: Password not long enough",
          ClientId=app, Username="alice", ConfirmationCode=code, Password="Ab1!")  # fmt: skip
    fails(client.confirm_forgot_password, "PasswordHistoryPolicyViolationException",
          "Password has previously been used",
          ClientId=app, Username="alice", ConfirmationCode=code, Password=PASSWORD)  # fmt: skip
    assert record(mock, pool, "alice").password == PASSWORD
    client.confirm_forgot_password(
        ClientId=app, Username="alice", ConfirmationCode=code, Password=NEW
    )
    assert record(mock, pool, "alice").password == NEW


@pytest.mark.parametrize("before", ["RESET_REQUIRED", "UNCONFIRMED"])
def test_confirmation_ends_confirmed(
    client: Any, mock: CognitoMock, pool: str, app: str, before: str
) -> None:
    confirmed_user(client, mock, app)
    record(mock, pool, "alice").status = before
    client.forgot_password(ClientId=app, Username="alice")
    assert status(client, pool, "alice") == before
    client.confirm_forgot_password(
        ClientId=app, Username="alice", ConfirmationCode=reset_code(mock), Password=NEW
    )
    assert status(client, pool, "alice") == "CONFIRMED"


# -- who can reset ---------------------------------------------------------------------------------


def test_unverified_user_cannot_reset(
    client: Any, mock: CognitoMock, pool: str, app: str, hidden: str
) -> None:
    client.sign_up(ClientId=app, Username="alice", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": EMAIL}])  # fmt: skip
    sent = len(mock.outbox)
    fails(client.forgot_password, "InvalidParameterException", NO_CHANNEL,
          ClientId=app, Username="alice")  # fmt: skip
    # ENABLED: the same answer as for a user that does not exist, and nothing is sent.
    result = client.forgot_password(ClientId=hidden, Username="alice")
    assert result["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert len(mock.outbox) == sent
    assert status(client, pool, "alice") == "UNCONFIRMED"


def test_force_change_password_user(client: Any, mock: CognitoMock, pool: str, app: str) -> None:
    client.admin_create_user(
        UserPoolId=pool, Username="alice", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "email_verified", "Value": "true"}],
    )  # fmt: skip
    fails(client.forgot_password, "NotAuthorizedException",
          "User password cannot be reset in the current state.", ClientId=app, Username="alice")  # fmt: skip
    assert len(mock.outbox) == 0
    assert status(client, pool, "alice") == "FORCE_CHANGE_PASSWORD"


def test_disabled_user(client: Any, mock: CognitoMock, pool: str, app: str, hidden: str) -> None:
    confirmed_user(client, mock, app)
    client.forgot_password(ClientId=app, Username="alice")
    code = reset_code(mock)
    client.admin_disable_user(UserPoolId=pool, Username="alice")
    sent = len(mock.outbox)
    fails(client.forgot_password, "NotAuthorizedException", "User is disabled.",
          ClientId=app, Username="alice")  # fmt: skip
    assert client.forgot_password(ClientId=hidden, Username="alice")["CodeDeliveryDetails"]
    assert len(mock.outbox) == sent
    fails(client.confirm_forgot_password, "NotAuthorizedException", "User is disabled.",
          ClientId=app, Username="alice", ConfirmationCode=code, Password=NEW)  # fmt: skip
    fails(client.confirm_forgot_password, "CodeMismatchException", MISMATCH,
          ClientId=hidden, Username="alice", ConfirmationCode=code, Password=NEW)  # fmt: skip
    assert record(mock, pool, "alice").password == PASSWORD
    client.admin_enable_user(UserPoolId=pool, Username="alice")
    client.confirm_forgot_password(
        ClientId=app, Username="alice", ConfirmationCode=code, Password=NEW
    )


def test_unknown_user(client: Any, mock: CognitoMock, app: str, hidden: str) -> None:
    fails(
        client.forgot_password, "UserNotFoundException", NOT_FOUND, ClientId=app, Username="ghost"
    )
    fails(client.confirm_forgot_password, "UserNotFoundException", NOT_FOUND,
          ClientId=app, Username="ghost", ConfirmationCode="123456", Password=NEW)  # fmt: skip
    result = client.forgot_password(ClientId=hidden, Username="ghost@example.com")
    assert result["CodeDeliveryDetails"] == {
        "Destination": "g***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email",
    }  # fmt: skip
    sms = client.forgot_password(ClientId=hidden, Username=PHONE)["CodeDeliveryDetails"]
    assert sms == SMS_DELIVERY
    fails(client.confirm_forgot_password, "CodeMismatchException", MISMATCH,
          ClientId=hidden, Username="ghost", ConfirmationCode="123456", Password=NEW)  # fmt: skip
    assert len(mock.outbox) == 0


def test_unknown_client(client: Any) -> None:
    fails(client.forgot_password, "ResourceNotFoundException",
          "User pool client nosuchclient does not exist.", ClientId="nosuchclient", Username="x")  # fmt: skip


# -- where the code goes ---------------------------------------------------------------------------


def _both_verified(client: Any, mock: CognitoMock, **settings: Any) -> tuple[str, str]:
    pool = new_pool(client, AutoVerifiedAttributes=["email", "phone_number"], **settings)
    app = add_client(client, pool)
    confirmed_user(client, mock, app, email=EMAIL, phone_number=PHONE)  # verifies the phone
    record(mock, pool, "alice").attributes["email_verified"] = "true"
    return pool, app


def test_legacy_recovery_prefers_the_phone(client: Any, mock: CognitoMock) -> None:
    _, app = _both_verified(client, mock)
    assert (
        client.forgot_password(ClientId=app, Username="alice")["CodeDeliveryDetails"]
        == SMS_DELIVERY
    )
    message = mock.outbox.last(PHONE)
    assert (message.purpose, message.medium) == ("forgot_password", "SMS")


def test_recovery_setting_priority(client: Any, mock: CognitoMock) -> None:
    setting = {"RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 2},
                                      {"Name": "verified_email", "Priority": 1}]}  # fmt: skip
    pool, app = _both_verified(client, mock, AccountRecoverySetting=setting)
    assert (
        client.forgot_password(ClientId=app, Username="alice")["CodeDeliveryDetails"]
        == EMAIL_DELIVERY
    )
    # Without a verified email it falls back to the phone.
    record(mock, pool, "alice").attributes["email_verified"] = "false"
    assert (
        client.forgot_password(ClientId=app, Username="alice")["CodeDeliveryDetails"]
        == SMS_DELIVERY
    )


def test_sms_mfa_disqualifies_the_phone_when_configured(client: Any, mock: CognitoMock) -> None:
    setting = {"RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}]}
    pool, app = _both_verified(client, mock, AccountRecoverySetting=setting)
    assert (
        client.forgot_password(ClientId=app, Username="alice")["CodeDeliveryDetails"]
        == SMS_DELIVERY
    )
    record(mock, pool, "alice").mfa.enabled = ["SMS_MFA"]
    fails(
        client.forgot_password,
        "InvalidParameterException",
        NO_CHANNEL,
        ClientId=app,
        Username="alice",
    )


def test_only_listed_mechanisms_count(client: Any, mock: CognitoMock) -> None:
    setting = {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}
    pool = new_pool(client, AutoVerifiedAttributes=["phone_number"], AccountRecoverySetting=setting)
    app = add_client(client, pool)
    confirmed_user(client, mock, app, phone_number=PHONE)
    fails(
        client.forgot_password,
        "InvalidParameterException",
        NO_CHANNEL,
        ClientId=app,
        Username="alice",
    )


def test_admin_only_recovery(client: Any, mock: CognitoMock) -> None:
    setting = {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}
    pool = new_pool(client, AccountRecoverySetting=setting)
    app = add_client(client, pool)
    confirmed_user(client, mock, app)
    sent = len(mock.outbox)
    fails(client.forgot_password, "NotAuthorizedException",
          "Self-service password recovery is disabled for this user pool.",
          ClientId=app, Username="alice")  # fmt: skip
    assert len(mock.outbox) == sent


# -- secret hash, aliases, case -------------------------------------------------------------------


def test_secret_hash(client: Any, mock: CognitoMock, pool: str) -> None:
    app = add_client(client, pool, secret=True)
    secret = secret_of(client, pool, app)
    right = secret_hash(secret, "alice", app)
    wrong = secret_hash(secret, "bob", app)
    client.sign_up(ClientId=app, Username="alice", Password=PASSWORD, SecretHash=right,
                   UserAttributes=[{"Name": "email", "Value": EMAIL}])  # fmt: skip
    client.confirm_sign_up(ClientId=app, Username="alice", SecretHash=right,
                           ConfirmationCode=mock.outbox.last_code(EMAIL))  # fmt: skip
    sent = len(mock.outbox)
    fails(client.forgot_password, "NotAuthorizedException",
          f"Unable to verify secret hash for client {app}", ClientId=app, Username="alice")  # fmt: skip
    fails(client.forgot_password, "NotAuthorizedException",
          f"SecretHash does not match for the client: {app}", ClientId=app, Username="alice",
          SecretHash=wrong)  # fmt: skip
    assert len(mock.outbox) == sent
    client.forgot_password(ClientId=app, Username="alice", SecretHash=right)
    code = reset_code(mock)
    fails(client.confirm_forgot_password, "NotAuthorizedException",
          f"Unable to verify secret hash for client {app}",
          ClientId=app, Username="alice", ConfirmationCode=code, Password=NEW)  # fmt: skip
    fails(client.confirm_forgot_password, "NotAuthorizedException",
          f"SecretHash does not match for the client: {app}",
          ClientId=app, Username="alice", ConfirmationCode=code, Password=NEW, SecretHash=wrong)  # fmt: skip
    assert record(mock, pool, "alice").password == PASSWORD
    client.confirm_forgot_password(ClientId=app, Username="alice", ConfirmationCode=code,
                                   Password=NEW, SecretHash=right)  # fmt: skip
    assert record(mock, pool, "alice").password == NEW


def test_email_alias_and_case_insensitive_pool(client: Any, mock: CognitoMock) -> None:
    pool = new_pool(
        client, AliasAttributes=["email"], UsernameConfiguration={"CaseSensitive": False}
    )
    app = add_client(client, pool)
    confirmed_user(client, mock, app, name="Alice")
    result = client.forgot_password(ClientId=app, Username="SOMEONE@gmail.com")
    assert result["CodeDeliveryDetails"] == EMAIL_DELIVERY
    assert mock.outbox.last(EMAIL).username == "Alice"
    client.confirm_forgot_password(
        ClientId=app, Username="aLiCe", ConfirmationCode=reset_code(mock), Password=NEW
    )
    assert record(mock, pool, "alice").password == NEW


def test_unverified_alias_does_not_find_the_user(client: Any, mock: CognitoMock) -> None:
    pool = new_pool(client, AliasAttributes=["email"])
    app = add_client(client, pool)
    client.sign_up(ClientId=app, Username="alice", Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": EMAIL}])  # fmt: skip
    fails(client.forgot_password, "UserNotFoundException", NOT_FOUND, ClientId=app, Username=EMAIL)


def test_email_username_pool(client: Any, mock: CognitoMock) -> None:
    pool = new_pool(client, UsernameAttributes=["email"])
    app = add_client(client, pool)
    client.sign_up(ClientId=app, Username=EMAIL, Password=PASSWORD)
    client.confirm_sign_up(
        ClientId=app, Username=EMAIL, ConfirmationCode=mock.outbox.last_code(EMAIL)
    )
    assert (
        client.forgot_password(ClientId=app, Username=EMAIL)["CodeDeliveryDetails"]
        == EMAIL_DELIVERY
    )
    client.confirm_forgot_password(
        ClientId=app, Username=EMAIL, ConfirmationCode=reset_code(mock), Password=NEW
    )
    sub = client.admin_get_user(UserPoolId=pool, Username=EMAIL)["Username"]
    assert record(mock, pool, sub).password == NEW
