"""Our tokens, JWKS and certificates checked by independent code: PyJWT and cryptography's x509."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import pickle
import re
import threading

import jwt as pyjwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from cognito_mock.backend.crypto import jwt as tokens
from cognito_mock.backend.crypto import keys
from cognito_mock.ids import Ids

KEY = keys.SigningKey.generate()
OTHER = keys.SigningKey.generate()
KEYS_BY_KID = {KEY.kid: KEY}

CLAIMS = {
    "sub": "d73840a1-530c-47ac-a64f-f2c179328c9d",
    "cognito:groups": ["admins"],
    "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Zi0dYW1fC",
    "client_id": "1m6rume6kfvk2clp6hgl5rl2hi",
    "token_use": "access",
    "scope": "aws.cognito.signin.user.admin",
    "auth_time": 1700000000,
    "iat": 1700000000,
    "exp": 1700003600,
    "jti": "4cf13a31-757d-11e9-8b8d-91bb02a83dfa",
    "username": "alice",
    "name": "Zoë Ωmega",
}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pyjwt_decode(token: str, jwk: dict) -> dict:
    return pyjwt.decode(
        token, key=pyjwt.PyJWK(jwk), algorithms=["RS256"], options={"verify_exp": False}
    )


# --- PyJWT accepts what we sign -------------------------------------------------------------


def test_pyjwt_verifies_against_our_jwks():
    token = tokens.encode(CLAIMS, KEY)
    (jwk,) = keys.jwks([KEY])["keys"]
    assert pyjwt_decode(token, jwk) == CLAIMS
    algorithm_key = pyjwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))
    assert pyjwt.decode(token, algorithm_key, algorithms=["RS256"], options={"verify_exp": False})


def test_pyjwt_rejects_a_token_checked_with_the_wrong_key():
    token = tokens.encode(CLAIMS, KEY)
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt_decode(token, OTHER.jwk())


def test_header_is_exactly_kid_then_alg():
    token = tokens.encode(CLAIMS, KEY)
    raw = unb64url(token.split(".")[0])
    assert raw == b'{"kid":"' + KEY.kid.encode() + b'","alg":"RS256"}'
    assert pyjwt.get_unverified_header(token) == {"kid": KEY.kid, "alg": "RS256"}


def test_payload_is_compact_json_in_claim_order():
    token = tokens.encode(CLAIMS, KEY)
    payload = unb64url(token.split(".")[1]).decode()
    assert " " not in payload.replace("Zoë Ωmega", "")
    assert list(json.loads(payload)) == list(CLAIMS)


def test_encoding_is_deterministic():
    # PKCS#1 v1.5 has no randomness: same claims, same key, same token.
    assert tokens.encode(CLAIMS, KEY) == tokens.encode(CLAIMS, KEY)


# --- decode_verified ------------------------------------------------------------------------


def test_decode_verified_round_trip():
    assert tokens.decode_verified(tokens.encode(CLAIMS, KEY), KEYS_BY_KID) == CLAIMS


def test_decode_verified_accepts_a_pyjwt_signed_token():
    # The other direction: a token PyJWT signed with our key and our header shape.
    token = pyjwt.encode(CLAIMS, KEY.private_key, algorithm="RS256", headers={"kid": KEY.kid})
    assert tokens.decode_verified(token, KEYS_BY_KID) == CLAIMS


def test_unknown_kid_is_rejected():
    assert tokens.decode_verified(tokens.encode(CLAIMS, OTHER), KEYS_BY_KID) is None


def test_token_signed_by_another_key_under_our_kid_is_rejected():
    forged = pyjwt.encode(CLAIMS, OTHER.private_key, algorithm="RS256", headers={"kid": KEY.kid})
    assert pyjwt.get_unverified_header(forged)["kid"] == KEY.kid
    assert tokens.decode_verified(forged, KEYS_BY_KID) is None


def test_tampered_payload_is_rejected():
    header, _, signature = tokens.encode(CLAIMS, KEY).split(".")
    payload = b64url(json.dumps({**CLAIMS, "username": "mallory"}).encode())
    assert tokens.decode_verified(f"{header}.{payload}.{signature}", KEYS_BY_KID) is None


def test_tampered_signature_is_rejected():
    header, payload, signature = tokens.encode(CLAIMS, KEY).split(".")
    flipped = bytearray(unb64url(signature))
    flipped[-1] ^= 1
    token = f"{header}.{payload}.{b64url(bytes(flipped))}"
    assert tokens.decode_verified(token, KEYS_BY_KID) is None


@pytest.mark.parametrize("cut", [1, 10, 100, -1, -2, -100])
def test_truncated_token_is_rejected(cut):
    token = tokens.encode(CLAIMS, KEY)
    assert tokens.decode_verified(token[:cut], KEYS_BY_KID) is None


def test_alg_none_is_rejected():
    header = b64url(json.dumps({"kid": KEY.kid, "alg": "none"}).encode())
    payload = b64url(json.dumps(CLAIMS).encode())
    assert tokens.decode_verified(f"{header}.{payload}.", KEYS_BY_KID) is None


@pytest.mark.parametrize("alg", ["none", "RS384", "rs256", None])
def test_header_alg_other_than_rs256_is_rejected_even_with_a_valid_signature(alg):
    # Signed correctly with our key (by cryptography directly), but the header lies about alg.
    header = b64url(json.dumps({"kid": KEY.kid, "alg": alg}).encode())
    signing_input = f"{header}.{b64url(json.dumps(CLAIMS).encode())}"
    signature = KEY.private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    token = f"{signing_input}.{b64url(signature)}"
    assert tokens.decode_verified(token, KEYS_BY_KID) is None


def test_hs256_with_the_public_key_as_secret_is_rejected():
    # Classic algorithm confusion: HMAC keyed with the published RSA modulus.
    secret = KEY.jwk()["n"].encode()
    header = b64url(json.dumps({"kid": KEY.kid, "alg": "HS256"}).encode())
    payload = b64url(json.dumps(CLAIMS).encode())
    mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert tokens.decode_verified(f"{header}.{payload}.{b64url(mac)}", KEYS_BY_KID) is None


def test_payload_that_is_not_an_object_is_rejected():
    token = pyjwt.api_jws.encode(b"[1,2]", KEY.private_key, "RS256", headers={"kid": KEY.kid})
    assert tokens.decode_verified(token, KEYS_BY_KID) is None


def test_non_canonical_base64_characters_are_rejected():
    # The stdlib decoder would skip "!"; a strict decoder must not.
    header, payload, signature = tokens.encode(CLAIMS, KEY).split(".")
    assert tokens.decode_verified(f"{header}.{payload}!.{signature}", KEYS_BY_KID) is None
    assert tokens.decode_verified(f"{header}.{payload}.{signature}=", KEYS_BY_KID) is None


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        ".",
        "..",
        "...",
        "a.b.c",
        "not a token",
        "é.é.é",
        "\ud800.\udfff.x",
        "eyJ.eyJ.eyJ",
        b64url(b"[" * 100_000) + ".e30.",
        b64url(b'{"alg":"RS256","kid":["list"]}') + ".e30.AAAA",
        b64url(b'{"alg":"RS256","kid":{"a":1}}') + ".e30.AAAA",
        "x" * 100_000,
    ],
)
def test_garbage_is_none(garbage):
    assert tokens.decode_verified(garbage, KEYS_BY_KID) is None


@given(st.text())
def test_decode_verified_never_raises(text):
    assert tokens.decode_verified(text, KEYS_BY_KID) is None


@given(st.lists(st.text(alphabet="ABCDEFabcdef0123456789-_=", max_size=40), min_size=3, max_size=3))
def test_decode_verified_never_raises_on_dotted_base64(parts):
    assert tokens.decode_verified(".".join(parts), KEYS_BY_KID) is None


# --- keys and JWKS --------------------------------------------------------------------------


def test_kid_format():
    assert len(KEY.kid) == 44 and KEY.kid.endswith("=")
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", KEY.kid)
    assert len(base64.b64decode(KEY.kid, validate=True)) == 32


def test_every_key_is_new_and_threads_never_share_one():
    seen: list[keys.SigningKey] = []
    threads = [
        threading.Thread(target=lambda: seen.append(keys.SigningKey.generate())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({key.kid for key in [*seen, KEY, OTHER]}) == 10


def test_a_key_round_trips_through_pem_and_pickle():
    again = keys.SigningKey.from_pem(KEY.pem())
    assert again.kid == KEY.kid and again.jwk() == KEY.jwk()
    assert pickle.loads(pickle.dumps(KEY)).kid == KEY.kid
    token = tokens.encode(CLAIMS, again)
    assert tokens.decode_verified(token, KEYS_BY_KID) == CLAIMS


def test_jwk_shape():
    jwk = KEY.jwk()
    assert list(jwk) == ["kid", "alg", "kty", "e", "n", "use"]
    assert jwk["kid"] == KEY.kid and jwk["alg"] == "RS256" and jwk["kty"] == "RSA"
    assert jwk["e"] == "AQAB" and jwk["use"] == "sig"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", jwk["n"])
    assert int.from_bytes(unb64url(jwk["n"]), "big").bit_length() == 2048
    jwk["kid"] = "edited"
    assert KEY.jwk()["kid"] == KEY.kid  # callers get a copy


def test_jwks_document():
    document = keys.jwks([KEY, OTHER])
    assert document == {"keys": [KEY.jwk(), OTHER.jwk()]}
    json.dumps(document)  # serialisable as is


# --- certificate ----------------------------------------------------------------------------


def test_certificate_is_real_and_for_the_signing_key():
    now = 1793941629.0
    text = keys.signing_certificate(KEY, "us-east-1_Zi0dYW1fC", now)
    assert "-----" not in text and "\n" not in text
    certificate = x509.load_der_x509_certificate(base64.b64decode(text, validate=True))
    assert certificate.public_key().public_numbers() == KEY.public_key.public_numbers()
    assert (
        certificate.public_key().public_numbers() == KEY.private_key.public_key().public_numbers()
    )
    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert common_name == "us-east-1_Zi0dYW1fC"
    assert certificate.issuer == certificate.subject
    certificate.verify_directly_issued_by(certificate)  # self-signed with that key
    assert certificate.not_valid_before_utc.timestamp() == now
    assert certificate.not_valid_after_utc.timestamp() > now
    assert certificate.serial_number > 0


def test_certificate_of_another_key_differs():
    text = keys.signing_certificate(OTHER, "pool", 0.0)
    certificate = x509.load_der_x509_certificate(base64.b64decode(text))
    assert certificate.public_key().public_numbers() != KEY.public_key.public_numbers()


# --- refresh tokens -------------------------------------------------------------------------


def test_refresh_token_shape():
    token = tokens.refresh_token(os.urandom)
    parts = token.split(".")
    assert len(parts) == 5
    assert parts[0] == "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"
    assert json.loads(unb64url(parts[0])) == {"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}
    assert [len(unb64url(part)) for part in parts[1:]] == [256, 12, 400, 16]
    assert [len(part) for part in parts[1:3] + parts[4:]] == [342, 16, 22]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", part) for part in parts)


def test_refresh_tokens_differ_and_replay_with_a_seed():
    assert tokens.refresh_token(os.urandom) != tokens.refresh_token(os.urandom)
    assert tokens.refresh_token(Ids(seed=3).token_bytes) == tokens.refresh_token(
        Ids(seed=3).token_bytes
    )


def test_refresh_token_is_not_an_access_token():
    assert tokens.decode_verified(tokens.refresh_token(os.urandom), KEYS_BY_KID) is None


# --- verified_claims: what a key has proven once, remembered ----------------------------------


def test_verified_claims_remembers_only_what_verified():
    key = keys.SigningKey.generate()
    token = tokens.encode(CLAIMS, key)
    assert tokens.verified_claims(token, key) == CLAIMS
    assert token in key.verified
    # A tampered copy of a remembered token is a different string: checked in full, refused.
    head, _payload, signature = token.split(".")
    raw = json.dumps({**CLAIMS, "sub": "someone-else"}, separators=(",", ":")).encode()
    forged = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    assert tokens.verified_claims(f"{head}.{forged}.{signature}", key) is None
    assert tokens.verified_claims(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), key) is None
    # Another key never answers from this key's memory.
    assert tokens.verified_claims(token, OTHER) is None
    assert len(key.verified) == 1


def test_verified_claims_hands_out_copies():
    key = keys.SigningKey.generate()
    token = tokens.encode(CLAIMS, key)
    first = tokens.verified_claims(token, key)
    first["sub"] = "edited"
    assert tokens.verified_claims(token, key)["sub"] == CLAIMS["sub"]


def test_verified_memory_is_bounded_and_not_pickled(monkeypatch):
    key = keys.SigningKey.generate()
    monkeypatch.setattr(tokens, "_VERIFIED_LIMIT", 3)
    for n in range(5):
        assert tokens.verified_claims(tokens.encode({**CLAIMS, "jti": str(n)}, key), key)
    assert 1 <= len(key.verified) <= 3
    assert pickle.loads(pickle.dumps(key)).verified == {}


@given(st.binary(max_size=2048))
def test_base64url_is_the_standard_librarys_unpadded(raw: bytes) -> None:
    """Tokens' segments come from pybase64's SIMD encoder: the same text as the standard
    library's URL-safe alphabet without padding, for any bytes and length."""
    assert tokens._b64url(raw) == base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
