"""Passkey registration through boto3, answered by an independent software authenticator (keys from
`cryptography`, CBOR encoded here): `none` and `packed` self attestation, every refusal's error."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock import CognitoMock
from cognito_mock.backend.factors import webauthn
from cognito_mock.errors import ServiceError
from tests.helpers import PASSWORD, fails

RP_ID = "example.com"
ORIGIN = "https://example.com"
UP, UV, AT = 0x01, 0x04, 0x40

# ----------------------------------------------------------------------------- the authenticator


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cbor(value: Any) -> bytes:
    """A minimal CBOR encoder (RFC 8949): just what attestation objects and COSE keys use."""
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        items = b"".join(cbor(k) + cbor(v) for k, v in value.items())
        return _head(5, len(value)) + items
    raise TypeError(value)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Authenticator:
    """A software passkey: one key pair, one credential id, ES256 (or RS256 with `rsa_key`)."""

    def __init__(self, number: int = 1, rsa_key: bool = False) -> None:
        self.credential_id = hashlib.sha256(f"credential-{number}".encode()).digest()[:20]
        self.rsa = rsa_key
        if rsa_key:
            self.key: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            numbers = self.key.public_key().public_numbers()
            self.cose = {1: 3, 3: -257, -1: numbers.n.to_bytes(256, "big"), -2: b"\x01\x00\x01"}
        else:
            self.key = ec.generate_private_key(ec.SECP256R1())
            point = self.key.public_key().public_numbers()
            self.cose = {
                1: 2, 3: -7, -1: 1,
                -2: point.x.to_bytes(32, "big"), -3: point.y.to_bytes(32, "big"),
            }  # fmt: skip

    def sign(self, data: bytes) -> bytes:
        if self.rsa:
            return bytes(self.key.sign(data, padding.PKCS1v15(), hashes.SHA256()))
        return bytes(self.key.sign(data, ec.ECDSA(hashes.SHA256())))

    def auth_data(self, rp_id: str, flags: int = UP | UV | AT) -> bytes:
        """rpIdHash, flags, counter 0, then the attested credential (zero AAGUID, id, COSE key)."""
        attested = (
            bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
            + cbor(self.cose)
        )  # fmt: skip
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + bytes(4) + attested

    def register(
        self,
        options: dict[str, Any],
        *,
        fmt: str = "none",
        origin: str = ORIGIN,
        challenge: str | None = None,
        kind: str = "webauthn.create",
        rp_id: str | None = None,
        flags: int = UP | UV | AT,
        bad_signature: bool = False,
        alg: int | None = None,
    ) -> dict[str, Any]:
        """The RegistrationResponseJSON a browser would hand back for `options`."""
        client_data = json.dumps({
            "type": kind,
            "challenge": challenge if challenge is not None else options["challenge"],
            "origin": origin,
            "crossOrigin": False,
        }).encode()  # fmt: skip
        auth_data = self.auth_data(rp_id or options["rp"]["id"], flags)
        statement: dict[str, Any] = {}
        if fmt != "none":
            signature = self.sign(auth_data + hashlib.sha256(client_data).digest())
            if bad_signature:
                signature = self.sign(b"something else")
            statement = {"alg": alg if alg is not None else self.cose[3], "sig": signature}
        attestation = cbor({"fmt": fmt, "attStmt": statement, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
        }


# ----------------------------------------------------------------------------- fixtures


def passkey_pool(client: Any, pool_id: str, **config: str) -> str:
    client.update_user_pool(
        UserPoolId=pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
    )
    if config:
        client.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration="OFF", WebAuthnConfiguration=config
        )
    return pool_id


def sign_in(client: Any, pool_id: str, username: str = "alice", name: str = "app") -> str:
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName=name, ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    result = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )  # fmt: skip
    return str(result["AuthenticationResult"]["AccessToken"])


def make_user(client: Any, pool_id: str, username: str = "alice") -> None:
    client.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


@pytest.fixture
def token(client: Any, pool_id: str) -> str:
    passkey_pool(client, pool_id, RelyingPartyId=RP_ID)
    make_user(client, pool_id)
    return sign_in(client, pool_id)


def start(client: Any, token: str) -> dict[str, Any]:
    options: dict[str, Any] = client.start_web_authn_registration(AccessToken=token)[
        "CredentialCreationOptions"
    ]
    return options


def listed(client: Any, token: str) -> list[dict[str, Any]]:
    return list(client.list_web_authn_credentials(AccessToken=token)["Credentials"])


def factors(client: Any, token: str) -> list[str]:
    return list(client.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"])


# ----------------------------------------------------------------------------- options


def test_creation_options(client: Any, pool_id: str, token: str) -> None:
    options = start(client, token)
    sub = client.get_user(AccessToken=token)["UserAttributes"]
    sub = next(a["Value"] for a in sub if a["Name"] == "sub")
    assert options["rp"] == {"id": RP_ID, "name": RP_ID}
    assert options["user"] == {"id": b64url(sub.encode()), "name": "alice", "displayName": "alice"}
    assert len(unb64url(options["challenge"])) == 32
    assert options["pubKeyCredParams"] == [
        {"type": "public-key", "alg": -7},
        {"type": "public-key", "alg": -257},
    ]
    assert options["timeout"] == 300_000
    assert options["excludeCredentials"] == []
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert start(client, token)["challenge"] != options["challenge"]  # fresh each time

    client.complete_web_authn_registration(
        AccessToken=token, Credential=Authenticator().register(start(client, token))
    )
    excluded = start(client, token)["excludeCredentials"]
    assert excluded == [
        {"type": "public-key", "id": b64url(Authenticator().credential_id),
         "transports": ["internal", "hybrid"]}
    ]  # fmt: skip

    client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OFF",
        WebAuthnConfiguration={"RelyingPartyId": RP_ID, "UserVerification": "required"},
    )
    assert start(client, token)["authenticatorSelection"]["userVerification"] == "required"


def test_not_enabled_and_configuration_missing(client: Any, pool_id: str) -> None:
    make_user(client, pool_id)
    token = sign_in(client, pool_id)
    message = webauthn.NOT_ENABLED
    fails(client.start_web_authn_registration, "WebAuthnNotEnabledException", message,
          AccessToken=token)  # fmt: skip
    fails(client.complete_web_authn_registration, "WebAuthnNotEnabledException", message,
          AccessToken=token, Credential={})  # fmt: skip
    passkey_pool(client, pool_id)
    fails(client.start_web_authn_registration, "WebAuthnConfigurationMissingException",
          webauthn.NO_RELYING_PARTY, AccessToken=token)  # fmt: skip
    # A prefix domain alone gives the relying party ID.
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="passkey-app")
    host = "passkey-app.auth.us-east-1.amazoncognito.com"
    options = start(client, token)
    assert options["rp"]["id"] == host
    response = Authenticator().register(options, origin=f"https://{host}")
    client.complete_web_authn_registration(AccessToken=token, Credential=response)
    assert [c["RelyingPartyId"] for c in listed(client, token)] == [host]


# ----------------------------------------------------------------------------- registering


@pytest.mark.parametrize("fmt", ["none", "packed"])
def test_valid_credential_registers(client: Any, clock: Any, token: str, fmt: str) -> None:
    assert listed(client, token) == []
    assert "WEB_AUTHN" not in factors(client, token)
    response = Authenticator().register(start(client, token), fmt=fmt)
    done = client.complete_web_authn_registration(AccessToken=token, Credential=response)
    assert set(done) == {"ResponseMetadata"}  # an empty answer; the listing below shows the effect
    (credential,) = listed(client, token)
    assert credential["CredentialId"] == b64url(Authenticator().credential_id)
    assert credential["FriendlyCredentialName"] == "Passkey 1"
    assert credential["RelyingPartyId"] == RP_ID
    assert credential["AuthenticatorAttachment"] == "platform"
    assert credential["AuthenticatorTransports"] == ["internal", "hybrid"]
    assert credential["CreatedAt"].timestamp() == clock.now()
    assert "WEB_AUTHN" in factors(client, token)


def test_rs256_packed_self_attestation(client: Any, token: str) -> None:
    response = Authenticator(rsa_key=True).register(start(client, token), fmt="packed")
    client.complete_web_authn_registration(AccessToken=token, Credential=response)
    assert len(listed(client, token)) == 1


def test_challenge_is_checked_single_use_and_expiring(client: Any, clock: Any, token: str) -> None:
    options = start(client, token)
    authenticator = Authenticator()
    wrong = b64url(b"\x00" * 32)
    fails(client.complete_web_authn_registration, "WebAuthnChallengeNotFoundException",
          webauthn.WRONG_CHALLENGE, AccessToken=token,
          Credential=authenticator.register(options, challenge=wrong))  # fmt: skip
    # The refusal left the pending challenge in place.
    response = authenticator.register(options)
    client.complete_web_authn_registration(AccessToken=token, Credential=response)
    fails(client.complete_web_authn_registration, "WebAuthnChallengeNotFoundException",
          webauthn.NO_CHALLENGE, AccessToken=token, Credential=response)  # fmt: skip
    # Expiry: usable until just before CHALLENGE_SECONDS, refused at it.
    second = Authenticator(2)
    options = start(client, token)
    clock.advance(webauthn.CHALLENGE_SECONDS)
    fails(client.complete_web_authn_registration, "WebAuthnChallengeNotFoundException",
          webauthn.NO_CHALLENGE, AccessToken=token,
          Credential=second.register(options))  # fmt: skip
    options = start(client, token)
    clock.advance(webauthn.CHALLENGE_SECONDS - 1)
    client.complete_web_authn_registration(AccessToken=token, Credential=second.register(options))
    assert len(listed(client, token)) == 2


def test_no_challenge_started(client: Any, token: str) -> None:
    fake = {"rp": {"id": RP_ID}, "challenge": b64url(b"\x01" * 32)}
    fails(client.complete_web_authn_registration, "WebAuthnChallengeNotFoundException",
          webauthn.NO_CHALLENGE, AccessToken=token,
          Credential=Authenticator().register(fake))  # fmt: skip


def test_origin(client: Any, pool_id: str, token: str) -> None:
    bad = "https://evil.example.net"
    fails(client.complete_web_authn_registration, "WebAuthnOriginNotAllowedException",
          webauthn.ORIGIN_NOT_ALLOWED.format(bad, RP_ID), AccessToken=token,
          Credential=Authenticator().register(start(client, token), origin=bad))  # fmt: skip
    for origin in ("http://example.com", "https://notexample.com"):
        with pytest.raises(client.exceptions.WebAuthnOriginNotAllowedException) as caught:
            client.complete_web_authn_registration(
                AccessToken=token,
                Credential=Authenticator().register(start(client, token), origin=origin),
            )
        assert caught.value.response["Error"]["Message"] == webauthn.ORIGIN_NOT_ALLOWED.format(
            origin, RP_ID
        )
    # A subdomain of the relying party and the pool's managed-login domain are allowed.
    sub = Authenticator(1).register(start(client, token), origin="https://login.example.com")
    client.complete_web_authn_registration(AccessToken=token, Credential=sub)
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="passkey-app")
    hosted = "https://passkey-app.auth.us-east-1.amazoncognito.com"
    response = Authenticator(2).register(start(client, token), origin=hosted)
    client.complete_web_authn_registration(AccessToken=token, Credential=response)
    assert len(listed(client, token)) == 2


def test_relying_party_hash(client: Any, token: str) -> None:
    response = Authenticator().register(start(client, token), rp_id="other.example.org")
    fails(client.complete_web_authn_registration, "WebAuthnRelyingPartyMismatchException",
          webauthn.RP_MISMATCH.format(RP_ID), AccessToken=token, Credential=response)  # fmt: skip
    assert listed(client, token) == []


def test_flags(client: Any, pool_id: str, token: str) -> None:
    response = Authenticator().register(start(client, token), flags=UV | AT)
    fails(client.complete_web_authn_registration, "WebAuthnCredentialNotSupportedException",
          webauthn.NO_PRESENCE, AccessToken=token, Credential=response)  # fmt: skip
    # Without user verification: accepted while it is preferred, refused once it is required.
    client.complete_web_authn_registration(
        AccessToken=token, Credential=Authenticator(1).register(start(client, token), flags=UP | AT)
    )
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OFF",
        WebAuthnConfiguration={"RelyingPartyId": RP_ID, "UserVerification": "required"},
    )
    response = Authenticator(2).register(start(client, token), flags=UP | AT)
    fails(client.complete_web_authn_registration, "WebAuthnCredentialNotSupportedException",
          webauthn.NO_VERIFICATION, AccessToken=token, Credential=response)  # fmt: skip
    assert len(listed(client, token)) == 1


@pytest.mark.parametrize("rsa_key", [False, True])
def test_packed_bad_signature(client: Any, token: str, rsa_key: bool) -> None:
    authenticator = Authenticator(rsa_key=rsa_key)
    response = authenticator.register(start(client, token), fmt="packed", bad_signature=True)
    fails(client.complete_web_authn_registration, "WebAuthnCredentialNotSupportedException",
          webauthn.BAD_ATTESTATION, AccessToken=token, Credential=response)  # fmt: skip
    # A statement naming another algorithm than the key's is refused too.
    response = authenticator.register(start(client, token), fmt="packed", alg=-8)
    fails(client.complete_web_authn_registration, "WebAuthnCredentialNotSupportedException",
          webauthn.BAD_ATTESTATION, AccessToken=token, Credential=response)  # fmt: skip
    assert listed(client, token) == []


def test_unsupported_format_and_algorithm(client: Any, token: str) -> None:
    response = Authenticator().register(start(client, token), fmt="made-up")
    fails(client.complete_web_authn_registration, "WebAuthnCredentialNotSupportedException",
          webauthn.BAD_FORMAT.format("made-up"), AccessToken=token, Credential=response)  # fmt: skip
    eddsa = Authenticator()
    eddsa.cose = {1: 1, 3: -8, -1: 6, -2: b"\x11" * 32}
    fails(client.complete_web_authn_registration, "WebAuthnCredentialNotSupportedException",
          webauthn.BAD_ALGORITHM.format(-8), AccessToken=token,
          Credential=eddsa.register(start(client, token)))  # fmt: skip


def test_malformed_and_wrong_type(client: Any, token: str) -> None:
    options = start(client, token)
    response = Authenticator().register(options, kind="webauthn.get")
    fails(client.complete_web_authn_registration, "InvalidParameterException",
          webauthn.NOT_CREATE, AccessToken=token, Credential=response)  # fmt: skip
    response = Authenticator().register(options)
    response["rawId"] = response["id"] = b64url(b"another id")
    fails(client.complete_web_authn_registration, "InvalidParameterException",
          webauthn.MALFORMED.format("rawId does not match authData"), AccessToken=token,
          Credential=response)  # fmt: skip
    response = Authenticator().register(options)
    response["response"]["attestationObject"] = b64url(b"\xa1")
    fails(client.complete_web_authn_registration, "InvalidParameterException",
          webauthn.MALFORMED.format("unreadable attestationObject"), AccessToken=token,
          Credential=response)  # fmt: skip
    fails(client.complete_web_authn_registration, "InvalidParameterException",
          webauthn.MALFORMED.format("type must be public-key"), AccessToken=token,
          Credential={"id": "x"})  # fmt: skip
    # None of this used up the challenge.
    client.complete_web_authn_registration(
        AccessToken=token, Credential=Authenticator().register(options)
    )


def test_client_mismatch(client: Any, pool_id: str, token: str) -> None:
    options = start(client, token)
    other = sign_in(client, pool_id, name="other-app")
    fails(client.complete_web_authn_registration, "WebAuthnClientMismatchException",
          webauthn.CLIENT_MISMATCH, AccessToken=other,
          Credential=Authenticator().register(options))  # fmt: skip
    client.complete_web_authn_registration(
        AccessToken=token, Credential=Authenticator().register(options)
    )


def test_duplicate_and_limit(client: Any, token: str) -> None:
    client.complete_web_authn_registration(
        AccessToken=token, Credential=Authenticator(0).register(start(client, token))
    )
    fails(client.complete_web_authn_registration, "InvalidParameterException",
          webauthn.ALREADY_REGISTERED, AccessToken=token,
          Credential=Authenticator(0).register(start(client, token)))  # fmt: skip
    for number in range(1, webauthn.MAX_CREDENTIALS):
        client.complete_web_authn_registration(
            AccessToken=token, Credential=Authenticator(number).register(start(client, token))
        )
    assert len(client.list_web_authn_credentials(AccessToken=token)["Credentials"]) == 20
    fails(client.complete_web_authn_registration, "LimitExceededException",
          webauthn.TOO_MANY.format(20), AccessToken=token,
          Credential=Authenticator(99).register(start(client, token)))  # fmt: skip


# ----------------------------------------------------------------------------- list and delete


def test_list_pages_and_delete(client: Any, token: str) -> None:
    ids = []
    for number in range(3):
        authenticator = Authenticator(number)
        client.complete_web_authn_registration(
            AccessToken=token, Credential=authenticator.register(start(client, token))
        )
        ids.append(b64url(authenticator.credential_id))
    seen: list[str] = []
    next_token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"NextToken": next_token} if next_token else {}
        page = client.list_web_authn_credentials(AccessToken=token, MaxResults=2, **kwargs)
        assert len(page["Credentials"]) <= 2
        seen += [c["CredentialId"] for c in page["Credentials"]]
        next_token = page.get("NextToken")
        if not next_token:
            break
    assert seen == ids
    names = [c["FriendlyCredentialName"] for c in listed(client, token)]
    assert names == ["Passkey 1", "Passkey 2", "Passkey 3"]

    fails(client.delete_web_authn_credential, "ResourceNotFoundException", webauthn.NOT_FOUND,
          AccessToken=token, CredentialId="nope")  # fmt: skip
    client.delete_web_authn_credential(AccessToken=token, CredentialId=ids[1])
    assert [c["CredentialId"] for c in listed(client, token)] == [ids[0], ids[2]]
    fails(client.delete_web_authn_credential, "ResourceNotFoundException", webauthn.NOT_FOUND,
          AccessToken=token, CredentialId=ids[1])  # fmt: skip
    for credential_id in (ids[0], ids[2]):
        client.delete_web_authn_credential(AccessToken=token, CredentialId=credential_id)
    assert listed(client, token) == []
    assert "WEB_AUTHN" not in factors(client, token)


def test_operations_need_a_valid_token(client: Any, token: str) -> None:
    for call, kwargs in (
        (client.start_web_authn_registration, {}),
        (client.complete_web_authn_registration, {"Credential": {}}),
        (client.list_web_authn_credentials, {}),
        (client.delete_web_authn_credential, {"CredentialId": "x"}),
    ):
        with pytest.raises(client.exceptions.NotAuthorizedException) as caught:
            call(AccessToken="not-a-token", **kwargs)
        assert caught.value.response["Error"]["Message"] == "Invalid Access Token"


# ----------------------------------------------------------------------------- hostile input


def test_random_bytes_give_declared_errors(mock: CognitoMock, client: Any, token: str) -> None:
    good = Authenticator().register(start(client, token))

    @settings(max_examples=40, deadline=None)
    @given(
        attestation=st.binary(max_size=300),
        auth_data=st.binary(max_size=300),
        client_data=st.binary(max_size=200),
    )
    def check(attestation: bytes, auth_data: bytes, client_data: bytes) -> None:
        wrapped = cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        for response in (
            {**good["response"], "attestationObject": b64url(attestation)},
            {**good["response"], "attestationObject": b64url(wrapped)},
            {**good["response"], "clientDataJSON": b64url(client_data)},
        ):
            with pytest.raises(ServiceError):
                mock.call(
                    "CompleteWebAuthnRegistration",
                    AccessToken=token,
                    Credential={**good, "response": response},
                )

    def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)

    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    json_values = st.recursive(leaves, containers, max_leaves=12)
    documents = st.fixed_dictionaries(
        {},
        optional={
            "id": st.text(max_size=10) | json_values, "rawId": st.text(max_size=10),
            "type": st.just("public-key") | json_values,
            "response": st.fixed_dictionaries({}, optional={
                "clientDataJSON": st.text(max_size=30) | json_values,
                "attestationObject": st.text(max_size=30) | json_values,
                "transports": json_values,
            }) | json_values,
        },
    )  # fmt: skip

    @settings(max_examples=40, deadline=None)
    @given(documents)
    def check_documents(document: dict[str, Any]) -> None:
        with pytest.raises(ServiceError):
            mock.call("CompleteWebAuthnRegistration", AccessToken=token, Credential=document)

    statements = st.dictionaries(
        st.sampled_from(["alg", "sig", "x5c", "ver", "certInfo", "pubArea", "response"]),
        st.integers(-(2**63), 2**63 - 1)
        | st.binary(max_size=40)
        | st.lists(st.binary(max_size=40), max_size=2),
        max_size=4,
    )

    @settings(max_examples=40, deadline=None)
    @given(
        st.sampled_from(["packed", "tpm", "android-key", "apple", "fido-u2f", "android-safetynet"]),
        statements,
    )
    def check_statements(fmt: str, statement: dict[str, Any]) -> None:
        authenticator = Authenticator()
        response = authenticator.register({"rp": {"id": RP_ID}, "challenge": good_challenge})
        auth_data = authenticator.auth_data(RP_ID)
        forged = cbor({"fmt": fmt, "attStmt": statement, "authData": auth_data})
        response["response"]["attestationObject"] = b64url(forged)
        with pytest.raises(ServiceError):
            mock.call("CompleteWebAuthnRegistration", AccessToken=token, Credential=response)

    good_challenge = json.loads(unb64url(good["response"]["clientDataJSON"]))["challenge"]
    check()
    check_documents()
    check_statements()
    # The pending challenge survived every refusal.
    client.complete_web_authn_registration(AccessToken=token, Credential=good)
