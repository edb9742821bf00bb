"""MFA operations through boto3: pool MFA configuration, TOTP association and verification (codes
from pyotp at the mock clock's time), user preferences, legacy MFAOptions, AdminDeleteSoftwareToken."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest

from cognito_mock.backend.crypto import totp
from cognito_mock.backend.factors import mfa, software_tokens
from cognito_mock.backend.pool_config import mfa_config
from tests.helpers import PASSWORD, fails

SMS_ROLE = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "ext"}
SES = {
    "EmailSendingAccount": "DEVELOPER",
    "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
}


@pytest.fixture
def totp_pool(client: Any, pool_id: str) -> str:
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    return pool_id


def make_user(client: Any, pool_id: str, username: str = "alice", **attributes: str) -> str:
    attributes = attributes or {"email": f"{username}@example.com"}
    client.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )
    return username


def access_token(client: Any, pool_id: str, username: str = "alice") -> str:
    """Signs in before any MFA factor is on (the pool's MFA is OPTIONAL or OFF)."""
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    result = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )  # fmt: skip
    return str(result["AuthenticationResult"]["AccessToken"])


def mfa_view(client: Any, pool_id: str, username: str = "alice") -> dict[str, Any]:
    user = client.admin_get_user(UserPoolId=pool_id, Username=username)
    keys = ("UserMFASettingList", "PreferredMfaSetting", "MFAOptions")
    return {key: user[key] for key in keys if key in user}


def setup_totp(client: Any, clock: Any, token: str) -> str:
    secret = str(client.associate_software_token(AccessToken=token)["SecretCode"])
    code = pyotp.TOTP(secret).at(clock.now())
    assert client.verify_software_token(AccessToken=token, UserCode=code)["Status"] == "SUCCESS"
    return secret


# ----------------------------------------------------------------------------- TOTP math


def test_totp_math_matches_pyotp() -> None:
    secret = pyotp.random_base32(length=52)
    for when in (0.0, 59.0, 1_790_000_000.0, 1_790_000_029.9, 4_102_444_800.0):
        assert totp.totp_code(secret, int(when // 30)) == pyotp.TOTP(secret).at(when)
    now = 1_790_000_000.0
    assert totp.totp_match(secret, pyotp.TOTP(secret).at(now - 30), now) == [int(now // 30) - 1]
    assert totp.totp_match(secret, pyotp.TOTP(secret).at(now + 30), now) == [int(now // 30) + 1]
    assert totp.totp_match(secret, pyotp.TOTP(secret).at(now - 60), now) == []


def test_documented_texts_are_the_services() -> None:
    # The tests below compare with these constants; pin the ones whose wording is documented
    # (fact sheet section 5) so a changed constant cannot pass unnoticed.
    assert software_tokens.CODE_MISMATCH == "Code mismatch and fail enable Software Token MFA"
    assert (
        software_tokens.TOTP_NOT_ENABLED
        == "Software Token MFA has not been enabled by the userPool"
    )
    assert mfa.TOTP_NOT_SET_UP == "User has not set up software token mfa"


# ----------------------------------------------------------------------------- pool configuration


def test_pool_config_defaults_and_round_trip(client: Any, pool_id: str) -> None:
    assert_config = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert "SoftwareTokenMfaConfiguration" not in assert_config
    assert assert_config["MfaConfiguration"] == "OFF"
    answer = client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={
            "SmsAuthenticationMessage": "Code: {####}",
            "SmsConfiguration": SMS_ROLE,
        },
    )
    got = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    for view in (answer, got):
        assert view["MfaConfiguration"] == "ON"
        assert view["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
        assert view["SmsMfaConfiguration"] == {
            "SmsAuthenticationMessage": "Code: {####}",
            "SmsConfiguration": SMS_ROLE,
        }
        assert "EmailMfaConfiguration" not in view
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["MfaConfiguration"] == "ON"
    assert pool["SmsAuthenticationMessage"] == "Code: {####}"
    assert pool["SmsConfiguration"] == SMS_ROLE
    # Factors the request leaves out are turned off (the call replaces the configuration).
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    got = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert got["MfaConfiguration"] == "ON"  # omitted: kept
    assert "SmsMfaConfiguration" not in got
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")
    got = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert got["MfaConfiguration"] == "OFF"
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": False}


def test_pool_config_rules_leave_the_pool_unchanged(client: Any, pool_id: str) -> None:
    call = client.set_user_pool_mfa_config
    before = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    before.pop("ResponseMetadata")
    fails(call, "InvalidParameterException", mfa_config.ON_WITHOUT_FACTOR,
          UserPoolId=pool_id, MfaConfiguration="ON")  # fmt: skip
    fails(call, "InvalidParameterException", mfa_config.ON_WITHOUT_FACTOR, UserPoolId=pool_id,
          MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": False})  # fmt: skip
    fails(call, "InvalidParameterException", mfa_config.OFF_WITH_FACTOR, UserPoolId=pool_id,
          MfaConfiguration="OFF", SoftwareTokenMfaConfiguration={"Enabled": True})  # fmt: skip
    fails(call, "InvalidParameterException", mfa_config.SMS_ROLE, UserPoolId=pool_id,
          MfaConfiguration="ON", SmsMfaConfiguration={"SmsAuthenticationMessage": "c {####}"})  # fmt: skip
    fails(call, "InvalidParameterException", mfa_config.EMAIL_SES, UserPoolId=pool_id,
          MfaConfiguration="ON", EmailMfaConfiguration={})  # fmt: skip
    fails(call, "InvalidParameterException",
          "1 validation error detected: Value 'MAYBE' at 'mfaConfiguration' failed to satisfy "
          "constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
          UserPoolId=pool_id, MfaConfiguration="MAYBE")  # fmt: skip
    after = client.get_user_pool_mfa_config(UserPoolId=pool_id)
    after.pop("ResponseMetadata")
    assert after == before == {"MfaConfiguration": "OFF"}
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["MfaConfiguration"] == "OFF" and "SmsConfiguration" not in pool
    fails(client.get_user_pool_mfa_config, "ResourceNotFoundException",
          "User pool us-east-1_nothere does not exist.", UserPoolId="us-east-1_nothere")  # fmt: skip


def test_email_mfa_needs_ses_and_a_paid_tier(client: Any) -> None:
    lite = client.create_user_pool(PoolName="lite", UserPoolTier="LITE", EmailConfiguration=SES)
    fails(client.set_user_pool_mfa_config, "FeatureUnavailableInTierException", mfa_config.EMAIL_TIER,
          UserPoolId=lite["UserPool"]["Id"], MfaConfiguration="OPTIONAL",
          EmailMfaConfiguration={"Message": "Code {####}", "Subject": "Sign in"})  # fmt: skip
    pool = client.create_user_pool(PoolName="ses", EmailConfiguration=SES)["UserPool"]["Id"]
    email = {"Message": "Code {####}", "Subject": "Sign in"}
    answer = client.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OPTIONAL", EmailMfaConfiguration=email
    )
    assert answer["EmailMfaConfiguration"] == email
    assert client.get_user_pool_mfa_config(UserPoolId=pool)["EmailMfaConfiguration"] == email


def test_sms_mfa_from_create_user_pool(client: Any) -> None:
    pool = client.create_user_pool(
        PoolName="sms", MfaConfiguration="OPTIONAL", SmsConfiguration=SMS_ROLE
    )["UserPool"]["Id"]
    got = client.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["SmsMfaConfiguration"] == {"SmsConfiguration": SMS_ROLE}
    # An SMS factor may reuse the pool's SmsConfiguration.
    client.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="ON",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Sign in with {####}"},
    )  # fmt: skip
    got = client.get_user_pool_mfa_config(UserPoolId=pool)["SmsMfaConfiguration"]
    assert got == {"SmsAuthenticationMessage": "Sign in with {####}", "SmsConfiguration": SMS_ROLE}


def test_webauthn_configuration_is_kept(client: Any, pool_id: str) -> None:
    webauthn = {"RelyingPartyId": "example.com", "UserVerification": "required"}
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OFF", WebAuthnConfiguration=webauthn
    )
    assert client.get_user_pool_mfa_config(UserPoolId=pool_id)["WebAuthnConfiguration"] == webauthn
    client.describe_user_pool(UserPoolId=pool_id)  # still model-valid


# ----------------------------------------------------------------------------- software tokens


def test_totp_needs_the_pool_to_enable_it(client: Any, clock: Any, pool_id: str) -> None:
    make_user(client, pool_id)
    token = access_token(client, pool_id)
    fails(client.associate_software_token, "SoftwareTokenMFANotFoundException",
          software_tokens.TOTP_NOT_ENABLED, AccessToken=token)  # fmt: skip
    fails(client.verify_software_token, "SoftwareTokenMFANotFoundException",
          software_tokens.TOTP_NOT_ENABLED, AccessToken=token, UserCode="123456")  # fmt: skip


def test_associate_and_verify_with_an_access_token(client: Any, clock: Any, totp_pool: str) -> None:
    make_user(client, totp_pool)
    token = access_token(client, totp_pool)
    fails(client.verify_software_token, "SoftwareTokenMFANotFoundException", software_tokens.NOT_ASSOCIATED,
          AccessToken=token, UserCode="123456")  # fmt: skip
    answer = client.associate_software_token(AccessToken=token)
    secret = answer["SecretCode"]
    assert re.fullmatch(r"[A-Z2-7]{52}", secret)
    assert "Session" not in answer
    totp = pyotp.TOTP(secret)
    wrong = f"{(int(totp.at(clock.now())) + 1) % 1_000_000:06d}"
    fails(client.verify_software_token, "EnableSoftwareTokenMFAException", software_tokens.CODE_MISMATCH,
          AccessToken=token, UserCode=wrong)  # fmt: skip
    fails(client.set_user_mfa_preference, "InvalidParameterException", mfa.TOTP_NOT_SET_UP,
          AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})  # fmt: skip
    assert mfa_view(client, totp_pool) == {}
    verified = client.verify_software_token(
        AccessToken=token, UserCode=totp.at(clock.now()), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS" and "Session" not in verified
    assert mfa_view(client, totp_pool) == {}  # verified, not yet turned on
    client.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    expected = {
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
    }
    assert mfa_view(client, totp_pool) == expected
    mine = client.get_user(AccessToken=token)
    assert mine["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert mine["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"


def test_a_new_association_keeps_the_old_token_until_verified(
    client: Any, clock: Any, totp_pool: str
) -> None:
    make_user(client, totp_pool)
    token = access_token(client, totp_pool)
    old = setup_totp(client, clock, token)
    client.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})
    new = client.associate_software_token(AccessToken=token)["SecretCode"]
    assert new != old
    assert mfa_view(client, totp_pool)["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    clock.advance(30)
    assert (
        client.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(new).at(clock.now()))[
            "Status"
        ]
        == "SUCCESS"
    )


def test_associate_takes_a_token_or_a_session_not_both(client: Any, totp_pool: str) -> None:
    make_user(client, totp_pool)
    token = access_token(client, totp_pool)
    fails(
        client.associate_software_token, "InvalidParameterException", software_tokens.NO_AUTHORITY
    )
    fails(client.associate_software_token, "InvalidParameterException", software_tokens.BOTH_AUTHORITIES,
          AccessToken=token, Session="s" * 40)  # fmt: skip
    fails(client.associate_software_token, "NotAuthorizedException",
          "Invalid session for the user.", Session="s" * 40)  # fmt: skip
    fails(client.associate_software_token, "NotAuthorizedException", "Invalid Access Token",
          AccessToken="not.a.token")  # fmt: skip


# ----------------------------------------------------------------------------- preferences


def test_preferences_rules(client: Any, clock: Any, totp_pool: str) -> None:
    make_user(client, totp_pool, email="a@example.com")
    admin = client.admin_set_user_mfa_preference
    where = {"UserPoolId": totp_pool, "Username": "alice"}
    fails(admin, "InvalidParameterException", mfa.NO_DELIVERY.format("SMS_MFA"),
          SMSMfaSettings={"Enabled": True}, **where)  # fmt: skip
    fails(admin, "InvalidParameterException", mfa.TOTP_NOT_SET_UP,
          SoftwareTokenMfaSettings={"Enabled": True}, **where)  # fmt: skip
    fails(admin, "UserNotFoundException", "User does not exist.",
          UserPoolId=totp_pool, Username="nobody", EmailMfaSettings={"Enabled": True})  # fmt: skip
    assert mfa_view(client, totp_pool) == {}
    client.admin_update_user_attributes(
        UserPoolId=totp_pool, Username="alice",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )  # fmt: skip
    fails(admin, "InvalidParameterException", mfa.ONE_PREFERRED,
          SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
          EmailMfaSettings={"Enabled": True, "PreferredMfa": True}, **where)  # fmt: skip
    fails(admin, "InvalidParameterException", mfa.PREFER_DISABLED,
          SMSMfaSettings={"Enabled": False, "PreferredMfa": True}, **where)  # fmt: skip
    assert mfa_view(client, totp_pool) == {}
    admin(SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
          **where)  # fmt: skip
    assert mfa_view(client, totp_pool) == {
        "UserMFASettingList": ["SMS_MFA", "EMAIL_OTP"], "PreferredMfaSetting": "EMAIL_OTP",
    }  # fmt: skip
    # Omitted settings stay; turning the preferred factor off clears the preference.
    admin(EmailMfaSettings={"Enabled": False}, **where)
    assert mfa_view(client, totp_pool) == {"UserMFASettingList": ["SMS_MFA"]}
    admin(SMSMfaSettings={"Enabled": True, "PreferredMfa": True}, **where)
    admin(SMSMfaSettings={"Enabled": True, "PreferredMfa": False}, **where)
    assert mfa_view(client, totp_pool) == {"UserMFASettingList": ["SMS_MFA"]}
    admin(SMSMfaSettings={"Enabled": False}, **where)
    assert mfa_view(client, totp_pool) == {}


def test_email_preference_needs_a_paid_tier(client: Any) -> None:
    pool = client.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    make_user(client, pool)
    fails(client.admin_set_user_mfa_preference, "InvalidParameterException", mfa_config.EMAIL_TIER,
          UserPoolId=pool, Username="alice", EmailMfaSettings={"Enabled": True})  # fmt: skip


def test_passkey_mfa_needs_multi_factor_passkeys(client: Any, pool_id: str) -> None:
    make_user(client, pool_id)
    where = {"UserPoolId": pool_id, "Username": "alice"}
    fails(client.admin_set_user_mfa_preference, "InvalidParameterException", mfa.WEBAUTHN_MFA,
          WebAuthnMfaSettings={"Enabled": True}, **where)  # fmt: skip
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OFF",
        WebAuthnConfiguration={"FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"},
    )  # fmt: skip
    client.admin_set_user_mfa_preference(WebAuthnMfaSettings={"Enabled": True}, **where)
    assert mfa_view(client, pool_id) == {}  # passkeys are not listed among MFA settings


# ----------------------------------------------------------------------------- legacy settings


def test_mfa_options_sms_only(client: Any, pool_id: str) -> None:
    make_user(client, pool_id, phone_number="+15555550100")
    make_user(client, pool_id, "bob")
    sms = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    where = {"UserPoolId": pool_id, "Username": "alice"}
    fails(client.admin_set_user_settings, "InvalidParameterException", mfa.SMS_ONLY,
          MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}], **where)  # fmt: skip
    fails(client.admin_set_user_settings, "InvalidParameterException", mfa.SMS_ONLY,
          MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "email"}], **where)  # fmt: skip
    fails(client.admin_set_user_settings, "InvalidParameterException",
          mfa.NO_DELIVERY.format("SMS_MFA"), UserPoolId=pool_id, Username="bob",
          MFAOptions=sms)  # fmt: skip
    assert mfa_view(client, pool_id) == {}
    client.admin_set_user_settings(MFAOptions=sms, **where)
    assert mfa_view(client, pool_id) == {"MFAOptions": sms}
    listed = client.list_users(UserPoolId=pool_id, Filter='username = "alice"')["Users"][0]
    assert listed["MFAOptions"] == sms
    token = access_token(client, pool_id)
    assert client.get_user(AccessToken=token)["MFAOptions"] == sms
    client.set_user_settings(AccessToken=token, MFAOptions=[])
    assert mfa_view(client, pool_id) == {}
    client.set_user_settings(AccessToken=token, MFAOptions=sms)
    assert mfa_view(client, pool_id) == {"MFAOptions": sms}


# ----------------------------------------------------------------------------- deleting a token


def test_admin_delete_software_token(client: Any, clock: Any, totp_pool: str) -> None:
    make_user(client, totp_pool, email="a@example.com")
    token = access_token(client, totp_pool)
    setup_totp(client, clock, token)
    client.set_user_mfa_preference(
        AccessToken=token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        EmailMfaSettings={"Enabled": True},
    )
    client.admin_delete_software_token(UserPoolId=totp_pool, Username="alice")
    assert mfa_view(client, totp_pool) == {"UserMFASettingList": ["EMAIL_OTP"]}
    fails(client.set_user_mfa_preference, "InvalidParameterException", mfa.TOTP_NOT_SET_UP,
          AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})  # fmt: skip
    client.admin_delete_software_token(UserPoolId=totp_pool, Username="alice")  # nothing left: fine
    fails(client.admin_delete_software_token, "UserNotFoundException", "User does not exist.",
          UserPoolId=totp_pool, Username="nobody")  # fmt: skip
    clock.advance(60)
    setup_totp(client, clock, token)  # a new token can be registered
    client.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})
    assert mfa_view(client, totp_pool)["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
