"""`Passkey`, the software authenticator: it registers through the mock over boto3, and both its
registrations and its assertions are accepted by fido2's own `Fido2Server` (an independent relying
party); it refuses options it cannot serve, and its knobs produce the bad answers tests need."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fido2.attestation import Attestation
from fido2.server import Fido2Server
from fido2.utils import websafe_decode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
)

from cognito_mock.passkey import Passkey, PasskeyError

PASSWORD = "Correct-Horse-9"
RP_ID = "example.com"


# ----------------------------------------------------------------------------- through the mock


@pytest.fixture
def token(client: Any, pool_id: str) -> str:
    """Alice's access token in a pool that allows passkeys, relying party example.com."""
    client.update_user_pool(
        UserPoolId=pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
    )
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OFF", WebAuthnConfiguration={"RelyingPartyId": RP_ID}
    )
    client.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True
    )
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    result = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    return str(result["AuthenticationResult"]["AccessToken"])


def listed(client: Any, token: str) -> list[dict[str, Any]]:
    return list(client.list_web_authn_credentials(AccessToken=token)["Credentials"])


@pytest.mark.parametrize("attestation", ["none", "packed"])
def test_registers_through_the_mock(client: Any, token: str, attestation: str) -> None:
    passkey = Passkey()
    started = client.start_web_authn_registration(AccessToken=token)
    credential = passkey.create(started["CredentialCreationOptions"], attestation=attestation)
    answer = client.complete_web_authn_registration(AccessToken=token, Credential=credential)
    answer.pop("ResponseMetadata")
    assert answer == {}
    [held] = passkey.credentials
    [stored] = listed(client, token)
    assert stored["CredentialId"] == held.id == credential["id"] == credential["rawId"]
    assert stored["RelyingPartyId"] == held.rp_id == RP_ID
    assert stored["AuthenticatorAttachment"] == "platform"
    assert stored["AuthenticatorTransports"] == ["internal", "hybrid"]
    # The user handle it keeps is the user.id of the options: what a sign-in answer carries.
    options = started["CredentialCreationOptions"]
    assert held.user_handle == websafe_decode(options["user"]["id"])
    assert held.sign_count == 0
    attested = AttestationObject(websafe_decode(credential["response"]["attestationObject"]))
    assert attested.fmt == attestation


def test_accepts_every_form_of_the_options(client: Any, token: str) -> None:
    """The whole Start answer, the options, `{"publicKey": …}` and JSON text all register."""
    forms = [
        lambda answer: answer,
        lambda answer: answer["CredentialCreationOptions"],
        lambda answer: {"publicKey": answer["CredentialCreationOptions"]},
        lambda answer: json.dumps(answer["CredentialCreationOptions"]),
    ]
    for number, form in enumerate(forms, start=1):
        answer = client.start_web_authn_registration(AccessToken=token)
        answer.pop("ResponseMetadata")
        credential = Passkey().create(form(answer))
        client.complete_web_authn_registration(AccessToken=token, Credential=credential)
        assert len(listed(client, token)) == number


def test_the_mock_refuses_what_a_knob_spoils(client: Any, token: str) -> None:
    """A passkey on another origin is refused by the service, so the knob reaches the wire."""
    passkey = Passkey("https://evil.example.net")
    credential = passkey.create(client.start_web_authn_registration(AccessToken=token))
    with pytest.raises(client.exceptions.WebAuthnOriginNotAllowedException):
        client.complete_web_authn_registration(AccessToken=token, Credential=credential)
    assert listed(client, token) == []


# ----------------------------------------------------------------------------- against fido2


def server(**kwargs: Any) -> Fido2Server:
    return Fido2Server(PublicKeyCredentialRpEntity(id=RP_ID, name="Example"), **kwargs)


def verify_statement(attestation: AttestationObject, client_data_hash: bytes) -> None:
    Attestation.for_type(attestation.fmt)().verify(
        attestation.att_stmt, attestation.auth_data, client_data_hash
    )


USER = PublicKeyCredentialUserEntity(id=b"user-handle-1", name="alice", display_name="Alice")


def register(passkey: Passkey, rp: Fido2Server, **create: Any) -> AttestedCredentialData:
    options, state = rp.register_begin(USER, user_verification="required")
    auth_data = rp.register_complete(state, passkey.create(dict(options), **create))
    assert auth_data.credential_data is not None
    return auth_data.credential_data


@pytest.mark.parametrize("attestation", ["none", "packed"])
def test_fido2_server_accepts_registration_and_sign_ins(attestation: str) -> None:
    rp = server(attestation="direct", verify_attestation=verify_statement)
    passkey = Passkey()
    credential = register(passkey, rp, attestation=attestation)
    assert credential.credential_id == passkey.credentials[0].credential_id
    assert credential.public_key == passkey.credentials[0].public_key
    for count in (1, 2, 3):
        options, state = rp.authenticate_begin([credential], user_verification="required")
        answer = passkey.get(dict(options))
        assert rp.authenticate_complete(state, [credential], answer) == credential
        auth_data = AuthenticatorData(websafe_decode(answer["response"]["authenticatorData"]))
        assert auth_data.counter == count == passkey.credentials[0].sign_count
        assert auth_data.is_user_present() and auth_data.is_user_verified()
        assert websafe_decode(answer["response"]["userHandle"]) == USER.id
    # The answer is JSON as the WEB_AUTHN challenge's CREDENTIAL carries it.
    assert json.loads(json.dumps(answer)) == answer
    assert set(answer) == {
        "id", "rawId", "type", "response", "clientExtensionResults", "authenticatorAttachment"
    }  # fmt: skip
    assert set(answer["response"]) == {
        "clientDataJSON", "authenticatorData", "signature", "userHandle"
    }  # fmt: skip


def test_discoverable_sign_in_uses_the_newest_credential() -> None:
    """With no allowCredentials (a discoverable sign-in) the newest credential for the rp answers."""
    rp = server()
    passkey = Passkey()
    first, second = register(passkey, rp), register(passkey, rp)
    options, state = rp.authenticate_begin(None)
    answer = passkey.get(json.dumps(dict(options)))
    assert websafe_decode(answer["rawId"]) == second.credential_id != first.credential_id
    assert rp.authenticate_complete(state, [first, second], answer) == second
    assert [c.sign_count for c in passkey.credentials] == [0, 1]


# ----------------------------------------------------------------------------- knobs


def test_knobs_spoil_the_answer_and_fido2_notices() -> None:
    rp = server()
    passkey = Passkey()
    credential = register(passkey, rp)

    options, state = rp.authenticate_begin([credential])
    answer = passkey.get(dict(options), origin="https://evil.example.net")
    client_data = CollectedClientData(websafe_decode(answer["response"]["clientDataJSON"]))
    assert client_data.origin == "https://evil.example.net"
    with pytest.raises(ValueError, match="Invalid origin"):
        rp.authenticate_complete(state, [credential], answer)

    # Each answer counts (the spoiled one too); sign_count presents an old counter instead and
    # leaves the passkey's own count alone.
    passkey.get(dict(rp.authenticate_begin([credential])[0]))
    assert passkey.credentials[0].sign_count == 2
    options, state = rp.authenticate_begin([credential])
    answer = passkey.get(dict(options), sign_count=1)
    auth_data = AuthenticatorData(websafe_decode(answer["response"]["authenticatorData"]))
    assert (auth_data.counter, passkey.credentials[0].sign_count) == (1, 2)
    # fido2's server keeps no counter: the replay is still a valid signature to it.
    assert rp.authenticate_complete(state, [credential], answer) == credential


def test_no_user_verification() -> None:
    """user_verification=False answers without UV even when the options require it."""
    rp = server()
    passkey = Passkey(user_verification=False)
    options, state = rp.register_begin(USER, user_verification="preferred")
    credential = rp.register_complete(state, passkey.create(dict(options))).credential_data
    assert credential is not None
    options, state = rp.authenticate_begin([credential], user_verification="required")
    answer = passkey.get(dict(options))
    auth_data = AuthenticatorData(websafe_decode(answer["response"]["authenticatorData"]))
    assert auth_data.is_user_present() and not auth_data.is_user_verified()
    with pytest.raises(ValueError, match="User verification required"):
        rp.authenticate_complete(state, [credential], answer)
    options, state = rp.authenticate_begin([credential], user_verification="preferred")
    assert rp.authenticate_complete(state, [credential], passkey.get(dict(options))) == credential


# ----------------------------------------------------------------------------- refusals


def test_refuses_another_relying_party_or_credential() -> None:
    rp = server()
    passkey = Passkey()
    credential = register(passkey, rp)
    options = dict(rp.authenticate_begin([credential])[0])["publicKey"]
    with pytest.raises(
        PasskeyError, match=re.escape("no credential for relying party 'other.example.org'")
    ):
        passkey.get({**options, "rpId": "other.example.org"})
    stranger = register(Passkey(), rp)
    only_stranger = dict(rp.authenticate_begin([stranger])[0])
    with pytest.raises(PasskeyError, match="allowCredentials"):
        passkey.get(only_stranger)
    with pytest.raises(PasskeyError, match="no credential"):
        Passkey().get(dict(rp.authenticate_begin(None)[0]))
    # Nothing was signed by the refusals.
    assert passkey.credentials[0].sign_count == 0


def test_refuses_unusable_creation_options() -> None:
    rp = server()
    passkey = Passkey()
    credential = register(passkey, rp)
    options, _ = rp.register_begin(USER, credentials=[credential])
    with pytest.raises(PasskeyError, match="already holds a credential"):
        passkey.create(dict(options))
    document = dict(rp.register_begin(USER)[0])["publicKey"]
    with pytest.raises(PasskeyError, match="ES256"):
        passkey.create({**document, "pubKeyCredParams": [{"type": "public-key", "alg": -257}]})
    for bad in ("not json", 42, {"rp": {"id": RP_ID}}):
        with pytest.raises(PasskeyError):
            passkey.create(bad)
    with pytest.raises(PasskeyError, match="attestation"):
        passkey.create(document, attestation="tpm")
    assert len(passkey.credentials) == 1
