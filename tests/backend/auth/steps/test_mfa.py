"""Signing in with MFA through boto3: SOFTWARE_TOKEN_MFA (pyotp codes at the mock clock's time),
SMS_MFA and EMAIL_OTP (codes from the outbox), SELECT_MFA_TYPE, and MFA_SETUP by session."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pyotp
import pytest

from tests.helpers import PASSWORD

MISMATCH = "Invalid code or auth state for the user."
SMS_ROLE = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "ext"}
SES = {
    "EmailSendingAccount": "DEVELOPER",
    "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
}
PHONE = "+15555550123"


def start(client: Any, app: str, username: str = "alice", **extra: str) -> Any:
    return client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD, **extra},
    )  # fmt: skip


def respond(client: Any, app: str, name: str, session: str, **responses: str) -> Any:
    responses.setdefault("USERNAME", "alice")
    return client.respond_to_auth_challenge(
        ClientId=app, ChallengeName=name, Session=session, ChallengeResponses=responses
    )


def configure(client: Any, pool_id: str, mode: str = "OPTIONAL", **factors: Any) -> None:
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration=mode, **factors)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def totp_user(client: Any, clock: Any, pool_id: str, app: str, make_user: Any) -> str:
    """alice with a verified, enabled TOTP token in an OPTIONAL pool; returns the secret."""
    configure(client, pool_id, SoftwareTokenMfaConfiguration={"Enabled": True})
    make_user(attributes={"email": "alice@example.com", "phone_number": PHONE})
    token = start(client, app)["AuthenticationResult"]["AccessToken"]
    secret = str(client.associate_software_token(AccessToken=token)["SecretCode"])
    client.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).at(clock.now()))
    client.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})
    clock.advance(30)  # the code Verify used is spent
    return secret


def test_optional_mfa_without_factors_signs_in(client: Any, pool_id: str, app: str, make_user: Any):
    configure(client, pool_id, SoftwareTokenMfaConfiguration={"Enabled": True})
    make_user()
    assert start(client, app)["AuthenticationResult"]["IdToken"]


def test_totp_sign_in(client: Any, clock: Any, app: str, totp_user: str, fails: Callable) -> None:
    totp = pyotp.TOTP(totp_user)
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"] == {"USER_ID_FOR_SRP": "alice"}
    session = challenge["Session"]
    code = totp.at(clock.now())
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app,
          name="SOFTWARE_TOKEN_MFA", session=session,
          SOFTWARE_TOKEN_MFA_CODE=other_code(code))  # fmt: skip
    fails(respond, "InvalidParameterException",
          "Missing required parameter SOFTWARE_TOKEN_MFA_CODE", client=client, app=app,
          name="SOFTWARE_TOKEN_MFA", session=session)  # fmt: skip
    fails(respond, "NotAuthorizedException", "Invalid session for the user.", client=client,
          app=app, name="SOFTWARE_TOKEN_MFA", session=session, USERNAME="bob",
          SOFTWARE_TOKEN_MFA_CODE=code)  # fmt: skip
    # A wrong answer leaves the session usable.
    done = respond(client, app, "SOFTWARE_TOKEN_MFA", session, SOFTWARE_TOKEN_MFA_CODE=code)
    assert done["AuthenticationResult"]["AccessToken"]
    fails(respond, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.", client=client, app=app,
          name="SOFTWARE_TOKEN_MFA", session=session, SOFTWARE_TOKEN_MFA_CODE=code)  # fmt: skip
    # The same code again (same window) is refused as already used.
    again = start(client, app)["Session"]
    fails(respond, "ExpiredCodeException", "Your software token has already been used once.",
          client=client, app=app, name="SOFTWARE_TOKEN_MFA", session=again,
          SOFTWARE_TOKEN_MFA_CODE=code)  # fmt: skip
    # One step later the previous step's code is within the skew but spent; the new one works.
    clock.advance(30)
    fails(respond, "ExpiredCodeException", "Your software token has already been used once.",
          client=client, app=app, name="SOFTWARE_TOKEN_MFA", session=again,
          SOFTWARE_TOKEN_MFA_CODE=code)  # fmt: skip
    assert respond(client, app, "SOFTWARE_TOKEN_MFA", again,
                   SOFTWARE_TOKEN_MFA_CODE=totp.at(clock.now()))["AuthenticationResult"]  # fmt: skip


def test_totp_skew(client: Any, clock: Any, app: str, totp_user: str, fails: Callable) -> None:
    totp = pyotp.TOTP(totp_user)
    clock.advance(30)  # the step before now was never used
    session = start(client, app)["Session"]
    # Beyond one step either side: a mismatch.
    for when in (clock.now() - 60, clock.now() + 60):
        fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app,
              name="SOFTWARE_TOKEN_MFA", session=session,
              SOFTWARE_TOKEN_MFA_CODE=totp.at(when))  # fmt: skip
    old = totp.at(clock.now() - 30)  # one step back: accepted
    assert respond(client, app, "SOFTWARE_TOKEN_MFA", session, SOFTWARE_TOKEN_MFA_CODE=old)[
        "AuthenticationResult"
    ]["AccessToken"]
    clock.advance(40)
    session = start(client, app)["Session"]
    stale = totp.at(clock.now() - 60)  # an old code, out of the window now
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app,
          name="SOFTWARE_TOKEN_MFA", session=session, SOFTWARE_TOKEN_MFA_CODE=stale)  # fmt: skip
    ahead = totp.at(clock.now() + 30)  # the phone's clock a little fast: accepted
    assert respond(client, app, "SOFTWARE_TOKEN_MFA", session, SOFTWARE_TOKEN_MFA_CODE=ahead)[
        "AuthenticationResult"
    ]["AccessToken"]


def test_totp_session_expires(client: Any, clock: Any, app: str, totp_user: str, fails: Callable):
    session = start(client, app)["Session"]
    clock.advance(181)
    fails(respond, "NotAuthorizedException", "Invalid session for the user, session is expired.",
          client=client, app=app, name="SOFTWARE_TOKEN_MFA", session=session,
          SOFTWARE_TOKEN_MFA_CODE=pyotp.TOTP(totp_user).at(clock.now()))  # fmt: skip


def test_admin_flow_with_totp(client: Any, clock: Any, pool_id: str, app: str, totp_user: str):
    challenge = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    done = client.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=app, ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice",
                            "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(totp_user).at(clock.now())},
    )  # fmt: skip
    assert done["AuthenticationResult"]["IdToken"]


def test_secret_client_needs_secret_hash_on_the_answer(
    client: Any, clock: Any, make_client: Any, totp_user: str, secret_hash: Any, fails: Callable
) -> None:
    made = make_client(GenerateSecret=True)
    app, secret = made["ClientId"], made["ClientSecret"]
    hashed = secret_hash(secret, "alice", app)
    session = start(client, app, SECRET_HASH=hashed)["Session"]
    code = pyotp.TOTP(totp_user).at(clock.now())
    fails(respond, "NotAuthorizedException",
          f"Client {app} is configured with secret but SECRET_HASH was not received",
          client=client, app=app, name="SOFTWARE_TOKEN_MFA", session=session,
          SOFTWARE_TOKEN_MFA_CODE=code)  # fmt: skip
    fails(respond, "NotAuthorizedException", f"SecretHash does not match for the client: {app}",
          client=client, app=app, name="SOFTWARE_TOKEN_MFA", session=session,
          SOFTWARE_TOKEN_MFA_CODE=code, SECRET_HASH=secret_hash(secret, "bob", app))  # fmt: skip
    done = respond(client, app, "SOFTWARE_TOKEN_MFA", session,
                   SOFTWARE_TOKEN_MFA_CODE=code, SECRET_HASH=hashed)  # fmt: skip
    assert done["AuthenticationResult"]


def test_deleted_token_ends_totp(
    client: Any, clock: Any, pool_id: str, app: str, totp_user: str, fails: Callable
) -> None:
    session = start(client, app)["Session"]
    client.admin_delete_software_token(UserPoolId=pool_id, Username="alice")
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app,
          name="SOFTWARE_TOKEN_MFA", session=session,
          SOFTWARE_TOKEN_MFA_CODE=pyotp.TOTP(totp_user).at(clock.now()))  # fmt: skip
    assert start(client, app)["AuthenticationResult"]  # OPTIONAL pool, no factor left


# ----------------------------------------------------------------------------- MFA_SETUP


def test_mfa_setup_by_session(
    client: Any, clock: Any, mock: Any, pool_id: str, app: str, make_user: Any, fails: Callable
) -> None:
    configure(client, pool_id, "ON", SoftwareTokenMfaConfiguration={"Enabled": True})
    make_user()
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "MFA_SETUP"
    params = challenge["ChallengeParameters"]
    assert params["MFAS_CAN_SETUP"] == '["SOFTWARE_TOKEN_MFA"]'
    first = challenge["Session"]
    fails(respond, "NotAuthorizedException", "Invalid session for the user.", client=client,
          app=app, name="MFA_SETUP", session=first)  # fmt: skip
    associated = client.associate_software_token(Session=first)
    secret, second = associated["SecretCode"], associated["Session"]
    assert second != first
    fails(client.associate_software_token, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.", Session=first)  # fmt: skip
    totp = pyotp.TOTP(secret)
    fails(client.verify_software_token, "EnableSoftwareTokenMFAException",
          "Code mismatch and fail enable Software Token MFA", Session=second,
          UserCode=other_code(totp.at(clock.now())))  # fmt: skip
    assert "UserMFASettingList" not in client.admin_get_user(UserPoolId=pool_id, Username="alice")
    verified = client.verify_software_token(Session=second, UserCode=totp.at(clock.now()))
    assert verified["Status"] == "SUCCESS"
    third = verified["Session"]
    fails(respond, "NotAuthorizedException", "Invalid session for the user.", client=client,
          app=app, name="MFA_SETUP", session=second)  # fmt: skip
    done = respond(client, app, "MFA_SETUP", third)
    assert done["AuthenticationResult"]["AccessToken"]
    user = client.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    # Next time: the token is asked for.
    clock.advance(30)
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    answer = respond(client, app, "SOFTWARE_TOKEN_MFA", challenge["Session"],
                     SOFTWARE_TOKEN_MFA_CODE=totp.at(clock.now()))  # fmt: skip
    assert answer["AuthenticationResult"]


def test_required_mfa_uses_a_verified_token(
    client: Any, clock: Any, pool_id: str, app: str, make_user: Any
) -> None:
    """A token verified with an access token (never turned on) is asked for once MFA is ON."""
    configure(client, pool_id, SoftwareTokenMfaConfiguration={"Enabled": True})
    make_user()
    token = start(client, app)["AuthenticationResult"]["AccessToken"]
    secret = client.associate_software_token(AccessToken=token)["SecretCode"]
    client.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).at(clock.now()))
    assert start(client, app)["AuthenticationResult"]  # OPTIONAL: not turned on, not asked
    configure(client, pool_id, "ON", SoftwareTokenMfaConfiguration={"Enabled": True})
    assert start(client, app)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


# ----------------------------------------------------------------------------- SMS and email


def test_sms_mfa(
    client: Any, clock: Any, mock: Any, pool_id: str, make_client: Any, make_user: Any,
    fails: Callable,
) -> None:  # fmt: skip
    configure(client, pool_id, SmsMfaConfiguration={
        "SmsAuthenticationMessage": "Your sign-in code: {####}", "SmsConfiguration": SMS_ROLE})  # fmt: skip
    app = make_client(AuthSessionValidity=15)["ClientId"]
    make_user(attributes={"phone_number": PHONE})
    client.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", SMSMfaSettings={"Enabled": True}
    )
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0123",
        "USER_ID_FOR_SRP": "alice",
    }
    message = mock.outbox.last(PHONE, purpose="mfa")
    assert message.medium == "SMS" and message.body == f"Your sign-in code: {message.code}"
    session = challenge["Session"]
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app, name="SMS_MFA",
          session=session, SMS_MFA_CODE=other_code(message.code))  # fmt: skip
    fails(respond, "NotAuthorizedException", "Invalid session for the user.", client=client,
          app=app, name="SOFTWARE_TOKEN_MFA", session=session,
          SOFTWARE_TOKEN_MFA_CODE=message.code)  # fmt: skip
    assert respond(client, app, "SMS_MFA", session, SMS_MFA_CODE=message.code)[
        "AuthenticationResult"
    ]
    # A code older than three minutes has expired, though the session (15 minutes) has not.
    session = start(client, app)["Session"]
    code = mock.outbox.last_code(PHONE, purpose="mfa")
    clock.advance(181)
    fails(respond, "ExpiredCodeException", "Invalid code provided, please request a code again.",
          client=client, app=app, name="SMS_MFA", session=session, SMS_MFA_CODE=code)  # fmt: skip


def test_required_sms_mfa_for_a_user_with_a_phone(
    client: Any, mock: Any, pool_id: str, app: str, make_user: Any
) -> None:
    configure(client, pool_id, "ON", SmsMfaConfiguration={"SmsConfiguration": SMS_ROLE},
              SoftwareTokenMfaConfiguration={"Enabled": True})  # fmt: skip
    make_user(attributes={"phone_number": PHONE})
    make_user("bob", attributes={"email": "bob@example.com"})
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "SMS_MFA"
    code = mock.outbox.last_code(PHONE, purpose="mfa")
    assert mock.outbox.last(PHONE).body == f"Your authentication code is {code}. "
    assert respond(client, app, "SMS_MFA", challenge["Session"], SMS_MFA_CODE=code)[
        "AuthenticationResult"
    ]["AccessToken"]
    setup = start(client, app, username="bob")
    assert setup["ChallengeName"] == "MFA_SETUP"
    assert json.loads(setup["ChallengeParameters"]["MFAS_CAN_SETUP"]) == [
        "SMS_MFA", "SOFTWARE_TOKEN_MFA",
    ]  # fmt: skip


def test_email_otp(client: Any, mock: Any, app: str, make_user: Any, pool_id: str, fails: Callable):
    client.update_user_pool(UserPoolId=pool_id, EmailConfiguration=SES)
    configure(client, pool_id, EmailMfaConfiguration={
        "Message": "Sign in with {####}", "Subject": "Your code"})  # fmt: skip
    make_user(attributes={"email": "alice@example.com"})
    client.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", EmailMfaSettings={"Enabled": True}
    )
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    params = challenge["ChallengeParameters"]
    assert params["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert params["CODE_DELIVERY_DESTINATION"] == "a***@e***"
    message = mock.outbox.last("alice@example.com", purpose="mfa")
    assert (message.subject, message.body) == ("Your code", f"Sign in with {message.code}")
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app, name="EMAIL_OTP",
          session=challenge["Session"], EMAIL_OTP_CODE=other_code(message.code))  # fmt: skip
    done = respond(client, app, "EMAIL_OTP", challenge["Session"], EMAIL_OTP_CODE=message.code)
    assert done["AuthenticationResult"]


# ----------------------------------------------------------------------------- choosing


def test_select_mfa_type(
    client: Any, clock: Any, mock: Any, pool_id: str, app: str, totp_user: str, fails: Callable
) -> None:
    configure(client, pool_id, SoftwareTokenMfaConfiguration={"Enabled": True},
              SmsMfaConfiguration={"SmsConfiguration": SMS_ROLE})  # fmt: skip
    client.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", SMSMfaSettings={"Enabled": True}
    )
    challenge = start(client, app)
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == [
        "SMS_MFA", "SOFTWARE_TOKEN_MFA",
    ]  # fmt: skip
    session = challenge["Session"]
    fails(respond, "MFAMethodNotFoundException",
          "The MFA method EMAIL_OTP is not available for the user.", client=client, app=app,
          name="SELECT_MFA_TYPE", session=session, ANSWER="EMAIL_MFA")  # fmt: skip
    sent = len(mock.outbox)
    chosen = respond(client, app, "SELECT_MFA_TYPE", session, ANSWER="SMS_MFA")
    assert chosen["ChallengeName"] == "SMS_MFA" and len(mock.outbox) == sent + 1
    code = mock.outbox.last_code(PHONE, purpose="mfa")
    assert respond(client, app, "SMS_MFA", chosen["Session"], SMS_MFA_CODE=code)[
        "AuthenticationResult"
    ]["AccessToken"]
    # Choosing TOTP this time.
    chosen = respond(client, app, "SELECT_MFA_TYPE", start(client, app)["Session"],
                     ANSWER="SOFTWARE_TOKEN_MFA")  # fmt: skip
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    code = pyotp.TOTP(totp_user).at(clock.now())
    assert respond(client, app, "SOFTWARE_TOKEN_MFA", chosen["Session"],
                   SOFTWARE_TOKEN_MFA_CODE=code)["AuthenticationResult"]  # fmt: skip
    # With a preference there is no choice.
    client.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice",
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )  # fmt: skip
    assert start(client, app)["ChallengeName"] == "SMS_MFA"


def test_mfa_off_skips_every_factor(client: Any, pool_id: str, app: str, totp_user: str) -> None:
    configure(client, pool_id, "OFF")
    assert start(client, app)["AuthenticationResult"]
