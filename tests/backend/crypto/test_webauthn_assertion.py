"""The WEB_AUTHN sign-in check: options and assertions, against credentials the mock stored at
registration. Every verdict is also put to fido2's own `Fido2Server`, an independent relying party,
so the `Passkey` answering and the verifier are never only tested against each other."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2 import cbor
from fido2.cose import CoseKey
from fido2.server import Fido2Server
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestedCredentialData,
    AuthenticatorData,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock import CognitoMock
from cognito_mock.backend.crypto import webauthn_assertion as wa
from cognito_mock.backend.crypto.webauthn_assertion import (
    Refusal,
    VerifiedAssertion,
    WebAuthnAssertionError,
    request_options,
    verify_assertion,
)
from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.factors import webauthn
from cognito_mock.passkey import Passkey

PASSWORD = "Correct-Horse-9"
RP_ID = "example.com"
CHALLENGE = hashlib.sha256(b"sign-in challenge").digest()
OTHER_CHALLENGE = hashlib.sha256(b"another challenge").digest()
EVIL = "https://evil.example.net"


# ----------------------------------------------------------------------------- registration


@dataclass
class Registered:
    """Alice's passkey registered through the mock, and the records the mock stored for her."""

    passkey: Passkey
    records: list[dict[str, Any]]
    user_handle: bytes

    @property
    def ids(self) -> list[bytes]:
        return [websafe_decode(r["CredentialId"]) for r in self.records]

    def options(self, challenge: bytes = CHALLENGE, uv: str = "preferred") -> dict[str, Any]:
        return request_options(challenge, self.records[0]["RelyingPartyId"], self.ids, uv)

    def answer(self, challenge: bytes = CHALLENGE, **get: Any) -> dict[str, Any]:
        return self.passkey.get(self.options(challenge), **get)


def register(mock: CognitoMock, passkey: Passkey, rp_id: str = RP_ID) -> Registered:
    """A pool with relying party `rp_id`, Alice, and `passkey` registered for her over boto3."""
    client = mock.client()
    pool_id = client.create_user_pool(PoolName="passkeys")["UserPool"]["Id"]
    client.update_user_pool(
        UserPoolId=pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
    )
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OFF", WebAuthnConfiguration={"RelyingPartyId": rp_id}
    )
    client.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True
    )
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    token = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]  # fmt: skip
    credential = passkey.create(client.start_web_authn_registration(AccessToken=token))
    client.complete_web_authn_registration(AccessToken=token, Credential=credential)
    user = require_user(mock.backend().pool(pool_id), "alice")
    # A copy: the verifier must not need the live records, and must not change them.
    return Registered(passkey, copy.deepcopy(webauthn.user_credentials(user)), user.sub.encode())


@pytest.fixture
def alice(mock: CognitoMock) -> Registered:
    return register(mock, Passkey())


# ----------------------------------------------------------------------------- fido2 as referee


def attested(records: list[dict[str, Any]]) -> list[AttestedCredentialData]:
    """The stored records as fido2's server keeps credentials."""
    return [
        AttestedCredentialData.create(
            Aaguid.parse(r["aaguid"]),
            websafe_decode(r["CredentialId"]),
            CoseKey.parse(cbor.decode(websafe_decode(r["public_key"]))),
        )
        for r in records
    ]


def referee(
    answer: dict[str, Any],
    records: list[dict[str, Any]],
    *,
    challenge: bytes = CHALLENGE,
    rp_id: str = RP_ID,
    uv: str = "preferred",
) -> AttestedCredentialData:
    """fido2's Fido2Server verdict on the answer (raises ValueError when it refuses)."""
    server = Fido2Server(PublicKeyCredentialRpEntity(id=rp_id, name=rp_id))
    credentials = attested(records)
    _, state = server.authenticate_begin(credentials, user_verification=uv, challenge=challenge)
    return server.authenticate_complete(state, credentials, answer)


def verify(registered: Registered, answer: Any, **kwargs: Any) -> VerifiedAssertion:
    arguments: dict[str, Any] = {
        "challenge": CHALLENGE,
        "rp_id": RP_ID,
        "credentials": registered.records,
        "user_handle": registered.user_handle,
        **kwargs,
    }
    return verify_assertion(answer, **arguments)


def refused(registered: Registered, answer: Any, reason: Refusal, message: str, **kw: Any) -> None:
    with pytest.raises(WebAuthnAssertionError) as caught:
        verify(registered, answer, **kw)
    assert (caught.value.reason, caught.value.message) == (reason, message)


def forged(
    passkey: Passkey,
    answer: dict[str, Any],
    *,
    client_data: dict[str, Any] | None = None,
    auth_data: bytes | None = None,
) -> dict[str, Any]:
    """The answer with other clientDataJSON / authenticatorData, validly signed by the passkey's
    key: only the changed member can be what a verifier refuses."""
    response = answer["response"]
    client_bytes = (
        json.dumps(client_data).encode()
        if client_data is not None
        else websafe_decode(response["clientDataJSON"])
    )
    data = auth_data if auth_data is not None else websafe_decode(response["authenticatorData"])
    key = passkey.credentials[-1].private_key
    signature = key.sign(data + hashlib.sha256(client_bytes).digest(), ec.ECDSA(hashes.SHA256()))
    return {
        **answer,
        "response": {
            **response,
            "clientDataJSON": websafe_encode(client_bytes),
            "authenticatorData": websafe_encode(data),
            "signature": websafe_encode(signature),
        },
    }


def client_data_of(answer: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(websafe_decode(answer["response"]["clientDataJSON"])))


def auth_data_of(answer: dict[str, Any]) -> AuthenticatorData:
    return AuthenticatorData(websafe_decode(answer["response"]["authenticatorData"]))


# ----------------------------------------------------------------------------- options


def test_request_options_shape_matches_fido2() -> None:
    ids = [b"\x01" * 16, b"\x02" * 20]
    options = request_options(
        CHALLENGE, RP_ID, ids, "required", transports={ids[0]: ["internal", "hybrid"]}
    )
    assert options == {
        "challenge": websafe_encode(CHALLENGE),
        "rpId": RP_ID,
        "timeout": 180_000,
        "allowCredentials": [
            {"type": "public-key", "id": websafe_encode(ids[0]),
             "transports": ["internal", "hybrid"]},
            {"type": "public-key", "id": websafe_encode(ids[1])},
        ],
        "userVerification": "required",
    }  # fmt: skip
    assert "=" not in options["challenge"]
    # fido2's server writes the same PublicKeyCredentialRequestOptionsJSON.
    server = Fido2Server(PublicKeyCredentialRpEntity(id=RP_ID, name=RP_ID))
    server.timeout = 180_000
    descriptors = [
        {"type": "public-key", "id": ids[0], "transports": ["internal", "hybrid"]},
        {"type": "public-key", "id": ids[1]},
    ]
    theirs, _ = server.authenticate_begin(
        descriptors, user_verification="required", challenge=CHALLENGE
    )
    assert json.loads(json.dumps(dict(theirs)))["publicKey"] == options
    assert json.loads(json.dumps(options)) == options  # ready for CREDENTIAL_REQUEST_OPTIONS
    assert request_options(CHALLENGE, RP_ID, [], "preferred", timeout=60_000)["timeout"] == 60_000


def test_request_options_refuse_bad_arguments() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        request_options(b"short", RP_ID, [], "preferred")
    with pytest.raises(ValueError, match="user_verification"):
        request_options(CHALLENGE, RP_ID, [], "always")
    with pytest.raises(ValueError, match="user_verification"):
        verify_assertion("{}", challenge=CHALLENGE, rp_id=RP_ID, credentials=[],
                         user_verification="always")  # fmt: skip


# ----------------------------------------------------------------------------- accepted


def test_a_good_assertion_verifies_and_counts(alice: Registered) -> None:
    before = copy.deepcopy(alice.records)
    for count in (1, 2, 3):
        answer = alice.answer()
        result = verify(alice, answer)
        assert result == VerifiedAssertion(
            credential_id=alice.records[0]["CredentialId"],
            sign_count=count,
            user_verified=True,
            backed_up=False,
        )
        assert referee(answer, alice.records) == attested(alice.records)[0]
        assert alice.records == before  # the verifier reports; the caller stores
        alice.records[0]["sign_count"] = result.sign_count
        before = copy.deepcopy(alice.records)
    # The CREDENTIAL as sent: JSON text.
    assert verify(alice, json.dumps(alice.answer())).sign_count == 4


def test_synced_passkeys_keep_a_zero_counter(alice: Registered) -> None:
    """Both counters 0 (platform passkeys never count) is not a replay."""
    for _ in range(2):
        assert verify(alice, alice.answer(sign_count=0)).sign_count == 0
    alice.records[0]["sign_count"] = 5
    refused(alice, alice.answer(sign_count=0), Refusal.SIGN_COUNT, wa.SIGN_COUNT.format(0, 5))


def test_user_verification_only_when_required(mock: CognitoMock) -> None:
    lax = register(mock, Passkey(user_verification=False))
    answer = lax.answer()
    assert not auth_data_of(answer).is_user_verified()
    result = verify(lax, answer, user_verification="preferred")
    assert (result.sign_count, result.user_verified) == (1, False)
    assert referee(answer, lax.records, uv="preferred")
    refused(lax, answer, Refusal.NO_VERIFICATION, wa.NO_VERIFICATION,
            user_verification="required")  # fmt: skip
    with pytest.raises(ValueError, match="User verification required"):
        referee(answer, lax.records, uv="required")


def test_origins_of_the_relying_party_and_the_extra_ones(alice: Registered) -> None:
    answer = alice.answer(origin="https://login.example.com")  # a subdomain of the RP ID
    assert verify(alice, answer).sign_count == 1
    assert referee(answer, alice.records)
    hosted = "https://passkeys.auth.us-east-1.amazoncognito.com"
    answer = alice.answer(origin=hosted)
    refused(alice, answer, Refusal.ORIGIN_NOT_ALLOWED, wa.ORIGIN_NOT_ALLOWED.format(hosted, RP_ID))
    assert verify(alice, answer, origins=[hosted]).sign_count == 2


# ----------------------------------------------------------------------------- refused


def test_wrong_challenge(alice: Registered) -> None:
    answer = alice.answer(OTHER_CHALLENGE)
    refused(alice, answer, Refusal.WRONG_CHALLENGE, wa.WRONG_CHALLENGE)
    with pytest.raises(ValueError, match="Wrong challenge"):
        referee(answer, alice.records)


def test_wrong_origin(alice: Registered) -> None:
    for origin in (EVIL, "http://example.com", "https://notexample.com"):
        answer = alice.answer(origin=origin)
        refused(alice, answer, Refusal.ORIGIN_NOT_ALLOWED,
                wa.ORIGIN_NOT_ALLOWED.format(origin, RP_ID))  # fmt: skip
        with pytest.raises(ValueError, match="Invalid origin"):
            referee(answer, alice.records)


def test_wrong_relying_party(mock: CognitoMock) -> None:
    """Registered for login.example.com; the pool's RP ID is now example.com. The page origin
    (the subdomain) suits the new RP ID, but the authenticator signed for the old one."""
    moved = register(mock, Passkey(), rp_id="login.example.com")
    answer = moved.answer()
    assert client_data_of(answer)["origin"] == "https://login.example.com"
    refused(moved, answer, Refusal.RP_MISMATCH, wa.RP_MISMATCH.format(RP_ID))
    with pytest.raises(ValueError, match="Wrong RP ID hash"):
        referee(answer, moved.records)
    assert verify(moved, answer, rp_id="login.example.com").sign_count == 1


def test_unknown_credential(alice: Registered) -> None:
    """A passkey registered elsewhere (with fido2's server) answers a discoverable request."""
    stranger = Passkey()
    server = Fido2Server(PublicKeyCredentialRpEntity(id=RP_ID, name=RP_ID))
    user = PublicKeyCredentialUserEntity(id=alice.user_handle, name="alice")
    options, state = server.register_begin(user)
    server.register_complete(state, stranger.create(dict(options)))
    answer = stranger.get(request_options(CHALLENGE, RP_ID, [], "preferred"))
    refused(alice, answer, Refusal.UNKNOWN_CREDENTIAL,
            wa.UNKNOWN_CREDENTIAL.format(answer["id"]))  # fmt: skip
    with pytest.raises(ValueError, match="Unknown credential ID"):
        referee(answer, alice.records)
    refused(alice, alice.answer(), Refusal.UNKNOWN_CREDENTIAL,
            wa.UNKNOWN_CREDENTIAL.format(alice.records[0]["CredentialId"]),
            credentials=[])  # fmt: skip


def test_replayed_assertion(alice: Registered) -> None:
    first = alice.answer()
    alice.records[0]["sign_count"] = verify(alice, first).sign_count
    second = alice.answer()
    alice.records[0]["sign_count"] = verify(alice, second).sign_count  # now 2
    # The same answer again, and a clone's answer with an old counter (fresh challenge, good
    # signature): both refused by the counter; fido2's server keeps no counter and accepts them.
    refused(alice, second, Refusal.SIGN_COUNT, wa.SIGN_COUNT.format(2, 2))
    clone = alice.answer(sign_count=1)
    refused(alice, clone, Refusal.SIGN_COUNT, wa.SIGN_COUNT.format(1, 2))
    assert referee(second, alice.records) and referee(clone, alice.records)
    assert verify(alice, alice.answer()).sign_count == 3


def test_tampered_signature_and_data(alice: Registered) -> None:
    answer = alice.answer()
    signature = bytearray(websafe_decode(answer["response"]["signature"]))
    signature[-1] ^= 0x01
    tampered = {**answer, "response": {**answer["response"],
                                       "signature": websafe_encode(bytes(signature))}}  # fmt: skip
    # A raised counter without a new signature.
    data = bytearray(websafe_decode(answer["response"]["authenticatorData"]))
    data[36] += 7
    bumped = {**answer, "response": {**answer["response"],
                                     "authenticatorData": websafe_encode(bytes(data))}}  # fmt: skip
    garbage = {**answer, "response": {**answer["response"], "signature": websafe_encode(b"\x30")}}
    for bad in (tampered, bumped, garbage):
        refused(alice, bad, Refusal.BAD_SIGNATURE, wa.BAD_SIGNATURE)
        with pytest.raises(ValueError, match="Invalid signature"):
            referee(bad, alice.records)
    assert verify(alice, answer).sign_count == 1  # the untouched answer still passes


def test_user_not_present(alice: Registered) -> None:
    answer = alice.answer()
    data = bytearray(websafe_decode(answer["response"]["authenticatorData"]))
    data[32] &= ~AuthenticatorData.FLAG.UP & 0xFF
    absent = forged(alice.passkey, answer, auth_data=bytes(data))
    refused(alice, absent, Refusal.NO_PRESENCE, wa.NO_PRESENCE)
    with pytest.raises(ValueError, match="User Present flag not set"):
        referee(absent, alice.records)


def test_not_a_get_ceremony(alice: Registered) -> None:
    answer = alice.answer()
    created = forged(alice.passkey, answer,
                     client_data={**client_data_of(answer), "type": "webauthn.create"})  # fmt: skip
    refused(alice, created, Refusal.NOT_GET, wa.NOT_GET)
    with pytest.raises(ValueError, match="Incorrect type"):
        referee(created, alice.records)
    # The forging itself is sound: the unchanged client data re-signed passes.
    assert verify(alice, forged(alice.passkey, answer, client_data=client_data_of(answer)))


def test_user_handle_of_another_user(alice: Registered) -> None:
    answer = alice.answer()
    other = {**answer, "response": {**answer["response"], "userHandle": websafe_encode(b"bob")}}
    refused(alice, other, Refusal.WRONG_USER, wa.WRONG_USER)
    # Without a userHandle (allowed for non-discoverable sign-ins) it is not asked for.
    bare = {**answer, "response": {**answer["response"], "userHandle": None}}
    assert verify(alice, bare).sign_count == 1


def test_malformed(alice: Registered) -> None:
    answer = alice.answer()
    cases: list[tuple[Any, str]] = [
        ("not json", "unreadable credential"),
        ("[1, 2]", "unreadable credential"),
        ({**answer, "id": websafe_encode(b"another")}, "unreadable credential"),
        ({**answer, "type": "password"}, "type must be public-key"),
        ({**answer, "response": {**answer["response"], "authenticatorData": "AAAA"}},
         "unreadable credential"),
        ({**answer, "response": {**answer["response"], "clientDataJSON": websafe_encode(b"{}")}},
         "unreadable credential"),
        ({**answer, "response": {**answer["response"], "signature": 7}}, "unreadable credential"),
        ({k: v for k, v in answer.items() if k != "response"}, "unreadable credential"),
    ]  # fmt: skip
    for bad, detail in cases:
        refused(alice, bad, Refusal.MALFORMED, wa.MALFORMED.format(detail))


def test_hostile_input_gives_only_refusals(alice: Registered) -> None:
    good = alice.answer()
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    values = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=8,
    )
    members = ["clientDataJSON", "authenticatorData", "signature", "userHandle"]

    @settings(max_examples=60, deadline=None)
    @given(
        member=st.sampled_from(members),
        raw=st.binary(max_size=120),
        value=values,
        as_text=st.booleans(),
    )
    def check(member: str, raw: bytes, value: Any, as_text: bool) -> None:
        for replacement in (websafe_encode(raw), value):
            if member == "userHandle" and replacement is None:
                continue  # an absent userHandle is allowed
            bad = {**good, "response": {**good["response"], member: replacement}}
            with pytest.raises(WebAuthnAssertionError):
                verify(alice, json.dumps(bad) if as_text else bad)

    check()
    assert verify(alice, good).sign_count == 1
