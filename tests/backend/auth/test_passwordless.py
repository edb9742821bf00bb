"""Passwordless USER_AUTH through boto3: EMAIL_OTP and SMS_OTP (8-digit codes from the outbox, expiry
and attempts on the mock's clock) and WEB_AUTHN with the software `Passkey` (assertions also checked
by fido2's own Fido2Server), from PREFERRED_CHALLENGE and from SELECT_CHALLENGE; every refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fido2 import cbor
from fido2.cose import CoseKey
from fido2.server import Fido2Server
from fido2.utils import websafe_decode
from fido2.webauthn import Aaguid, AttestedCredentialData, PublicKeyCredentialRpEntity

from cognito_mock import CognitoMock
from cognito_mock.backend.auth import otp
from cognito_mock.backend.crypto import webauthn_assertion as assertion
from cognito_mock.testing import Passkey
from tests.helpers import PASSWORD, record

RP_ID = "example.com"
FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
PHONE = "+15555550123"
SMS_ROLE = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "ext"}
MISMATCH = "Invalid code or auth state for the user."


@pytest.fixture
def pool_id(mock: CognitoMock) -> str:
    """A pool allowing every first factor, passkeys for example.com."""
    pool = mock.call(
        "CreateUserPool", PoolName="passwordless", AutoVerifiedAttributes=["email"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": FACTORS}},
        SmsConfiguration=SMS_ROLE,
    )["UserPool"]["Id"]  # fmt: skip
    mock.call("SetUserPoolMfaConfig", UserPoolId=pool, MfaConfiguration="OFF",
              WebAuthnConfiguration={"RelyingPartyId": RP_ID})  # fmt: skip
    return str(pool)


@pytest.fixture
def outbox(mock: CognitoMock) -> Any:
    return mock.outbox


@pytest.fixture
def alice(make_user: Any) -> str:
    return make_user(attributes={"email": "alice@example.com", "email_verified": "true",
                                 "phone_number": PHONE, "phone_number_verified": "true"})  # fmt: skip


def start(client: Any, app: str, username: str = "alice", **params: str) -> dict[str, Any]:
    return dict(client.initiate_auth(
        ClientId=app, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username, **params}
    ))  # fmt: skip


def respond(client: Any, app: str, name: str, session: str, **responses: str) -> dict[str, Any]:
    responses.setdefault("USERNAME", "alice")
    return dict(client.respond_to_auth_challenge(
        ClientId=app, ChallengeName=name, Session=session, ChallengeResponses=responses
    ))  # fmt: skip


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


# --- which factors are offered ------------------------------------------------------------------


def test_available_challenges_follow_policy_and_user(client, app, alice, make_user):
    assert start(client, app)["AvailableChallenges"] == [
        "PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"
    ]  # no passkey yet  # fmt: skip
    make_user("bob", attributes={"email": "bob@example.com"})  # unverified email, no phone
    assert start(client, app, "bob")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


def test_unavailable_preference_falls_back_to_select(client, app, make_user):
    make_user("bob", attributes={"email": "bob@example.com"})
    answer = start(client, app, "bob", PREFERRED_CHALLENGE="EMAIL_OTP")
    assert answer["ChallengeName"] == "SELECT_CHALLENGE"


# --- EMAIL_OTP and SMS_OTP ----------------------------------------------------------------------


def test_email_otp_by_preference(client, app, alice, outbox, clock):
    challenge = start(client, app, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***",
        "USER_ID_FOR_SRP": "alice",
    }  # fmt: skip
    message = outbox.last("alice@example.com")
    assert message.purpose == "sign_in" and message.operation == "InitiateAuth"
    assert len(message.code) == 8 and message.code.isdigit() and message.code in message.body
    tokens = respond(client, app, "EMAIL_OTP", challenge["Session"], EMAIL_OTP_CODE=message.code)
    assert set(tokens["AuthenticationResult"]) >= {"AccessToken", "IdToken", "RefreshToken"}


def test_sms_otp_by_selection(client, app, alice, outbox):
    select = start(client, app)
    challenge = respond(client, app, "SELECT_CHALLENGE", select["Session"], ANSWER="SMS_OTP")
    assert challenge["ChallengeName"] == "SMS_OTP"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0123"
    code = outbox.last(PHONE).code
    done = respond(client, app, "SMS_OTP", challenge["Session"], SMS_OTP_CODE=code)
    assert "AccessToken" in done["AuthenticationResult"]


def test_challenge_name_picks_the_factor_too(client, app, alice, outbox):
    select = start(client, app)
    challenge = respond(client, app, "EMAIL_OTP", select["Session"])
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    code = outbox.last("alice@example.com").code
    assert respond(client, app, "EMAIL_OTP", challenge["Session"], EMAIL_OTP_CODE=code)


def test_admin_initiate_auth(client, pool_id, app, alice, outbox):
    challenge = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )  # fmt: skip
    assert outbox.last("alice@example.com").operation == "AdminInitiateAuth"
    done = client.admin_respond_to_auth_challenge(
        UserPoolId=pool_id, ClientId=app, ChallengeName="EMAIL_OTP", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice",
                            "EMAIL_OTP_CODE": outbox.last("alice@example.com").code},
    )  # fmt: skip
    assert "AccessToken" in done["AuthenticationResult"]


def test_wrong_code_then_right_code(client, app, alice, outbox, fails):
    challenge = start(client, app, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = outbox.last("alice@example.com").code
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app, name="EMAIL_OTP",
          session=challenge["Session"], EMAIL_OTP_CODE=wrong(code))  # fmt: skip
    assert respond(client, app, "EMAIL_OTP", challenge["Session"], EMAIL_OTP_CODE=code)
    fails(respond, "NotAuthorizedException",
          "Invalid session for the user, session can only be used once.", client=client, app=app,
          name="EMAIL_OTP", session=challenge["Session"], EMAIL_OTP_CODE=code)  # fmt: skip


def test_expired_code(client, make_client, alice, outbox, clock, fails):
    app = make_client(AuthSessionValidity=15)["ClientId"]  # the session outlives the code
    challenge = start(client, app, PREFERRED_CHALLENGE="SMS_OTP")
    clock.advance(seconds=otp.CODE_TTL + 1)
    fails(respond, "ExpiredCodeException", "Invalid code provided, please request a code again.",
          client=client, app=app, name="SMS_OTP", session=challenge["Session"],
          SMS_OTP_CODE=outbox.last(PHONE).code)  # fmt: skip


def test_expired_session(client, app, alice, outbox, clock, fails):
    challenge = start(client, app, PREFERRED_CHALLENGE="EMAIL_OTP")
    clock.advance(minutes=4)
    fails(respond, "NotAuthorizedException", "Invalid session for the user, session is expired.",
          client=client, app=app, name="EMAIL_OTP", session=challenge["Session"],
          EMAIL_OTP_CODE=outbox.last("alice@example.com").code)  # fmt: skip


def test_attempt_limit(client, app, alice, outbox, fails):
    challenge = start(client, app, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = outbox.last("alice@example.com").code
    for _ in range(otp.MAX_WRONG_CODES):
        fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app,
              name="EMAIL_OTP", session=challenge["Session"], EMAIL_OTP_CODE=wrong(code))  # fmt: skip
    fails(respond, "NotAuthorizedException", otp.ATTEMPTS, client=client, app=app,
          name="EMAIL_OTP", session=challenge["Session"], EMAIL_OTP_CODE=code)  # fmt: skip


def test_choosing_an_unavailable_factor(client, app, make_user, fails):
    make_user("bob", attributes={"email": "bob@example.com"})
    select = start(client, app, "bob")
    fails(respond, "InvalidParameterException",
          "The challenge EMAIL_OTP is not available for this user.", client=client, app=app,
          name="SELECT_CHALLENGE", session=select["Session"], USERNAME="bob", ANSWER="EMAIL_OTP")  # fmt: skip


def test_missing_code(client, app, alice, fails):
    challenge = start(client, app, PREFERRED_CHALLENGE="EMAIL_OTP")
    fails(respond, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE",
          client=client, app=app, name="EMAIL_OTP", session=challenge["Session"])  # fmt: skip


def test_unknown_user_when_existence_is_hidden(client, make_client, outbox, fails):
    app = make_client(PreventUserExistenceErrors="ENABLED")["ClientId"]
    before = len(outbox)
    challenge = start(client, app, "ghost@example.com", PREFERRED_CHALLENGE="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP" and len(outbox) == before  # nothing sent
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "g***@e***"
    fails(respond, "CodeMismatchException", MISMATCH, client=client, app=app, name="EMAIL_OTP",
          session=challenge["Session"], USERNAME="ghost@example.com", EMAIL_OTP_CODE="12345678")  # fmt: skip


def test_unknown_user_by_default(client, app, fails):
    fails(start, "UserNotFoundException", "User does not exist.", client=client, app=app,
          username="ghost", PREFERRED_CHALLENGE="EMAIL_OTP")  # fmt: skip


def test_a_passwordless_factor_meets_mfa(client, pool_id, app, alice, outbox):
    """An OPTIONAL-MFA pool whose user has SMS MFA on: after an email code, tokens come at once."""
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                    SmsMfaConfiguration={"SmsConfiguration": SMS_ROLE},
                                    WebAuthnConfiguration={"RelyingPartyId": RP_ID})  # fmt: skip
    client.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice",
                                         SMSMfaSettings={"Enabled": True, "PreferredMfa": True})  # fmt: skip
    challenge = start(client, app, PREFERRED_CHALLENGE="EMAIL_OTP")
    code = outbox.last("alice@example.com").code
    done = respond(client, app, "EMAIL_OTP", challenge["Session"], EMAIL_OTP_CODE=code)
    assert "AuthenticationResult" in done
    password = start(client, app, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert password["ChallengeName"] == "SMS_MFA"  # a password still needs the second factor


def test_email_mfa_after_a_password_still_works(client, pool_id, app, mock, alice, outbox):
    mock.call("UpdateUserPool", UserPoolId=pool_id, AutoVerifiedAttributes=["email"],
              EmailConfiguration={"EmailSendingAccount": "DEVELOPER",
                                  "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/x@example.com"},
              Policies={"SignInPolicy": {"AllowedFirstAuthFactors": FACTORS}})  # fmt: skip
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                    EmailMfaConfiguration={})  # fmt: skip
    email_mfa = {"Enabled": True, "PreferredMfa": True}
    client.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", EmailMfaSettings=email_mfa
    )
    challenge = start(client, app, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    message = outbox.last("alice@example.com")
    assert message.purpose == "mfa" and len(message.code) == 6
    done = respond(client, app, "EMAIL_OTP", challenge["Session"], EMAIL_OTP_CODE=message.code)
    assert "AuthenticationResult" in done


# --- WEB_AUTHN ----------------------------------------------------------------------------------


@pytest.fixture
def passkey(client: Any, app: str, alice: str) -> Passkey:
    """Alice's passkey, registered with an access token from a password sign-in."""
    tokens = start(client, app, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    token = tokens["AuthenticationResult"]["AccessToken"]
    key = Passkey()
    options = client.start_web_authn_registration(AccessToken=token)
    client.complete_web_authn_registration(AccessToken=token, Credential=key.create(options))
    return key


def passkey_challenge(client: Any, app: str, username: str = "alice") -> dict[str, Any]:
    return start(client, app, username, PREFERRED_CHALLENGE="WEB_AUTHN")


def answer(client: Any, app: str, challenge: dict[str, Any], credential: Any) -> dict[str, Any]:
    text = credential if isinstance(credential, str) else json.dumps(credential)
    return respond(client, app, "WEB_AUTHN", challenge["Session"], CREDENTIAL=text)


def test_passkey_sign_in(client, mock, pool_id, app, passkey):
    assert "WEB_AUTHN" in start(client, app)["AvailableChallenges"]
    challenge = passkey_challenge(client, app)
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert options["rpId"] == RP_ID and options["userVerification"] == "preferred"
    assert len(websafe_decode(options["challenge"])) == 32
    [held] = passkey.credentials
    assert options["allowCredentials"] == [
        {"type": "public-key", "id": held.id, "transports": ["internal", "hybrid"]}
    ]
    response = passkey.get(options)
    done = answer(client, app, challenge, response)
    assert set(done["AuthenticationResult"]) >= {"AccessToken", "IdToken", "RefreshToken"}
    [stored] = record(mock, pool_id, "alice").passkeys.credentials
    assert stored["sign_count"] == held.sign_count == 1
    # fido2's own relying party accepts the same answer to the same challenge.
    rp = Fido2Server(PublicKeyCredentialRpEntity(id=RP_ID, name="Example"))
    key = CoseKey.parse(cbor.decode(websafe_decode(stored["public_key"])))
    credential = AttestedCredentialData.create(Aaguid.NONE, held.credential_id, key)
    state = {"challenge": options["challenge"], "user_verification": "preferred"}
    assert rp.authenticate_complete(state, [credential], response) == credential


def test_passkey_by_selection(client, app, passkey):
    select = start(client, app)
    challenge = respond(client, app, "SELECT_CHALLENGE", select["Session"], ANSWER="WEB_AUTHN")
    assert challenge["ChallengeName"] == "WEB_AUTHN"
    options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    assert "AuthenticationResult" in answer(client, app, challenge, passkey.get(options))


def test_wrong_origin(client, app, passkey, fails):
    challenge = passkey_challenge(client, app)
    options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    bad = passkey.get(options, origin="https://evil.example")
    fails(answer, "NotAuthorizedException",
          assertion.ORIGIN_NOT_ALLOWED.format("https://evil.example", RP_ID), client=client,
          app=app, challenge=challenge, credential=bad)  # fmt: skip
    # A subdomain of the relying party is one of its origins (WebAuthn's rule).
    assert "AuthenticationResult" in answer(
        client, app, challenge, passkey.get(options, origin="https://login.example.com")
    )


def test_replayed_assertion(client, app, passkey, fails):
    first = passkey_challenge(client, app)
    used = passkey.get(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    answer(client, app, first, used)
    second = passkey_challenge(client, app)
    fails(answer, "NotAuthorizedException", assertion.WRONG_CHALLENGE, client=client, app=app,
          challenge=second, credential=used)  # an old answer to a new challenge  # fmt: skip
    stale = passkey.get(second["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"], sign_count=1)
    fails(answer, "NotAuthorizedException", assertion.SIGN_COUNT.format(1, 1), client=client,
          app=app, challenge=second, credential=stale)  # a cloned authenticator's counter  # fmt: skip


def test_unknown_credential(client, app, passkey, make_user, fails):
    """Bob's passkey answering alice's challenge: not one of hers."""
    make_user("bob", attributes={"email": "bob@example.com"})
    bob_tokens = start(client, app, "bob", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    token = bob_tokens["AuthenticationResult"]["AccessToken"]
    other = Passkey()
    options = client.start_web_authn_registration(AccessToken=token)
    client.complete_web_authn_registration(AccessToken=token, Credential=other.create(options))
    challenge = passkey_challenge(client, app)
    request = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    request["allowCredentials"] = []
    bad = other.get(request)
    fails(answer, "NotAuthorizedException",
          assertion.UNKNOWN_CREDENTIAL.format(other.credentials[0].id), client=client, app=app,
          challenge=challenge, credential=bad)  # fmt: skip


def test_malformed_and_missing_credential(client, app, passkey, fails):
    challenge = passkey_challenge(client, app)
    for text in ("not json", json.dumps({"type": "public-key"}), "[1]"):
        fails(answer, "InvalidParameterException", "Credential data is not valid", client=client,
              app=app, challenge=challenge, credential=text)  # fmt: skip
    fails(respond, "InvalidParameterException", "Missing required parameter CREDENTIAL",
          client=client, app=app, name="WEB_AUTHN", session=challenge["Session"])  # fmt: skip


def test_user_verification_required_for_passkey_mfa(client, pool_id, app, passkey, fails):
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OFF",
        WebAuthnConfiguration={"RelyingPartyId": RP_ID,
                               "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"},
    )  # fmt: skip
    challenge = passkey_challenge(client, app)
    options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert options["userVerification"] == "required"
    passkey.user_verification = False
    fails(answer, "NotAuthorizedException", assertion.NO_VERIFICATION, client=client, app=app,
          challenge=challenge, credential=passkey.get(options))  # fmt: skip
    passkey.user_verification = True
    assert "AuthenticationResult" in answer(client, app, challenge, passkey.get(options))


def test_another_users_session(client, app, passkey, make_user, fails):
    make_user("bob", attributes={"email": "bob@example.com"})
    challenge = passkey_challenge(client, app)
    options = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
    fails(respond, "NotAuthorizedException", "Invalid session for the user.", client=client,
          app=app, name="WEB_AUTHN", session=challenge["Session"], USERNAME="bob",
          CREDENTIAL=json.dumps(passkey.get(options)))  # fmt: skip
