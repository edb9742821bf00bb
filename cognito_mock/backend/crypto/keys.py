"""RSA-2048 token signing keys (a new one per pool, from the prime table), their JWKS form, PEM
form (how saved state and replay tapes hold them) and certificates."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from cognito_mock.backend.crypto import rsa_keys

__all__ = ["SigningKey", "jwks", "signing_certificate"]

_CERT_VALIDITY = timedelta(days=3650)  # SAML signing certificates are long-lived


def _b64url_uint(value: int) -> str:
    """RFC 7518 Base64urlUInt: big-endian, minimal length, no padding."""
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key and the `kid` under which its public half is published."""

    private_key: rsa.RSAPrivateKey = field(repr=False)
    kid: str
    # Kept beside the private key because every token verification needs it.
    public_key: rsa.RSAPublicKey = field(repr=False, compare=False)
    _jwk: dict[str, str] = field(repr=False, compare=False)
    # The JWS header segment of every token this key signs, encoded once.
    header_segment: str = field(repr=False, compare=False)
    # token -> claims of tokens whose signature this key has already verified (crypto/jwt.py
    # `verified_claims`); dropped with the key, never pickled.
    verified: dict[str, dict[str, object]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def generate(cls) -> SigningKey:
        """A new key that no other key of this process shares (~50 µs: see rsa_keys)."""
        return cls.from_private_key(rsa_keys.new_private_key())

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        """The key saved as `pem()` (unencrypted PKCS#8)."""
        private_key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError("not an RSA private key")
        return cls.from_private_key(private_key)

    def pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        # Pickled (snapshots, replay tapes) as its PEM: the key objects themselves do not pickle.
        return (SigningKey.from_pem, (self.pem(),))

    @classmethod
    def from_private_key(cls, private_key: rsa.RSAPrivateKey) -> SigningKey:
        """The signing key for an existing RSA key (one loaded from saved state)."""
        public_key = private_key.public_key()
        public_der = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        # Real kids are standard base64 of 32 bytes (44 chars, `+`/`/`, ending `=`); a SHA-256
        # of the public key gives that shape and ties the kid to the key it names.
        kid = base64.b64encode(hashlib.sha256(public_der).digest()).decode("ascii")
        numbers = public_key.public_numbers()
        jwk = {
            "kid": kid,
            "alg": "RS256",
            "kty": "RSA",
            "e": _b64url_uint(numbers.e),
            "n": _b64url_uint(numbers.n),
            "use": "sig",
        }
        # Exactly {"kid":…,"alg":"RS256"}, in that order and without "typ", as the service does.
        header = json.dumps({"kid": kid, "alg": "RS256"}, separators=(",", ":")).encode()
        segment = base64.urlsafe_b64encode(header).rstrip(b"=").decode("ascii")
        return cls(
            private_key=private_key, kid=kid, public_key=public_key, _jwk=jwk,
            header_segment=segment,
        )  # fmt: skip

    def jwk(self) -> dict[str, str]:
        """The JWKS entry, in the service's key order; a copy, so callers may edit it."""
        return dict(self._jwk)


def jwks(keys: list[SigningKey]) -> dict[str, list[dict[str, str]]]:
    """The `/.well-known/jwks.json` document for these keys."""
    return {"keys": [key.jwk() for key in keys]}


def signing_certificate(key: SigningKey, common_name: str, now: float) -> str:
    """A self-signed X.509 certificate for `key`, as base64 DER without PEM armour.

    GetSigningCertificate's `Certificate` is the SAML signing certificate, which SAML
    metadata carries as bare base64 DER (the body of an X509Certificate element); we return
    that form rather than PEM. Deterministic for the same key, name and time: the serial is
    derived from them and PKCS#1 v1.5 signatures involve no randomness.
    """
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.fromtimestamp(int(now), tz=timezone.utc)
    seed = f"{key.kid}|{common_name}|{int(now)}".encode()
    # Positive and under 20 bytes, as RFC 5280 requires of a serial number.
    serial = int.from_bytes(hashlib.sha256(seed).digest()[:19], "big") | 1
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key)
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + _CERT_VALIDITY)
        .sign(key.private_key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    return base64.b64encode(der).decode("ascii")
