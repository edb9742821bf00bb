"""WebAuthn sign-in: the WEB_AUTHN challenge's CREDENTIAL_REQUEST_OPTIONS and the check of its
answer against the user's stored passkeys. Pure functions over fido2; imports no backend state."""

from __future__ import annotations

import binascii
import hashlib
import json
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from cryptography.exceptions import InvalidSignature
from fido2 import cbor
from fido2.cose import CoseKey
from fido2.rpid import verify_rp_id
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AuthenticationResponse,
    CollectedClientData,
    PublicKeyCredentialType,
)

from cognito_mock.backend.crypto.equal import same

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "USER_VERIFICATION",
    "Refusal",
    "VerifiedAssertion",
    "WebAuthnAssertionError",
    "request_options",
    "verify_assertion",
]

USER_VERIFICATION = ("required", "preferred", "discouraged")
# The real value is unverified; three minutes is the default sign-in session (AuthSessionValidity),
# which bounds how long the challenge can be answered anyway.
DEFAULT_TIMEOUT_MS = 180_000
_MIN_CHALLENGE_BYTES = 16  # WebAuthn §13.4.3: at least 16 random bytes
_BINARY_MEMBERS = ("clientDataJSON", "authenticatorData", "signature")

MALFORMED = "Invalid WebAuthn assertion: {}."
NOT_GET = "Invalid WebAuthn assertion: clientDataJSON type must be webauthn.get."
UNKNOWN_CREDENTIAL = "The credential {} is not a registered passkey of this user."
WRONG_USER = "The assertion's user handle belongs to another user."
WRONG_CHALLENGE = "The assertion's challenge does not match the sign-in challenge."
ORIGIN_NOT_ALLOWED = "The origin {} is not allowed for relying party ID {}."
RP_MISMATCH = "The assertion was made for a different relying party ID than {}."
NO_PRESENCE = "The authenticator did not confirm user presence."
NO_VERIFICATION = (
    "The user pool requires user verification, which the authenticator did not perform."
)
BAD_SIGNATURE = "The assertion's signature does not verify with the passkey's public key."
SIGN_COUNT = (
    "The passkey's signature counter did not increase ({} after {}): the assertion is replayed "
    "or the authenticator cloned."
)


class Refusal(str, Enum):
    """Why an assertion was refused; the sign-in code maps each to the service's error."""

    MALFORMED = "malformed"
    UNKNOWN_CREDENTIAL = "unknown_credential"
    WRONG_USER = "wrong_user"
    NOT_GET = "not_get"
    WRONG_CHALLENGE = "wrong_challenge"
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"
    RP_MISMATCH = "rp_mismatch"
    NO_PRESENCE = "no_presence"
    NO_VERIFICATION = "no_verification"
    BAD_SIGNATURE = "bad_signature"
    SIGN_COUNT = "sign_count"


class WebAuthnAssertionError(Exception):
    """The assertion fails one WebAuthn check (`reason`); `message` is a text fit for the caller."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __repr__(self) -> str:
        return f"WebAuthnAssertionError({self.reason.value}, {self.message!r})"


@dataclass(frozen=True)
class VerifiedAssertion:
    """A verified assertion: which stored credential signed it and what to store back."""

    credential_id: str  # the stored record's CredentialId (base64url)
    sign_count: int  # the credential's new signature counter
    user_verified: bool
    backed_up: bool


# ----------------------------------------------------------------------------- options


def request_options(
    challenge: bytes,
    rp_id: str,
    credential_ids: Sequence[bytes],
    user_verification: str,
    *,
    transports: Mapping[bytes, Sequence[str]] | None = None,
    timeout: int = DEFAULT_TIMEOUT_MS,
) -> dict[str, Any]:
    """PublicKeyCredentialRequestOptionsJSON: binary members base64url without padding, as the
    WebAuthn JSON serialization and Cognito's CREDENTIAL_REQUEST_OPTIONS carry them. The service
    sends `json.dumps` of this; `transports` adds hints per credential id."""
    if len(challenge) < _MIN_CHALLENGE_BYTES:
        raise ValueError(f"challenge must have at least {_MIN_CHALLENGE_BYTES} bytes")
    if user_verification not in USER_VERIFICATION:
        raise ValueError(f"user_verification must be one of {USER_VERIFICATION}")
    allowed = []
    for credential_id in credential_ids:
        descriptor: dict[str, Any] = {"type": "public-key", "id": websafe_encode(credential_id)}
        hints = (transports or {}).get(credential_id)
        if hints:
            descriptor["transports"] = list(hints)
        allowed.append(descriptor)
    return {
        "challenge": websafe_encode(challenge),
        "rpId": rp_id,
        "timeout": timeout,
        "allowCredentials": allowed,
        "userVerification": user_verification,
    }


# ----------------------------------------------------------------------------- verification


def _require_strings(document: Any) -> None:
    """The binary members are base64url strings. fido2 alone would also turn a number n into n
    zero bytes (bytes(n)), so a hostile number could allocate without bound."""
    if not isinstance(document, Mapping) or not isinstance(document.get("response"), Mapping):
        raise ValueError("not a JSON object with a response object")
    response = document["response"]
    required = [document.get("rawId"), *(response.get(m) for m in _BINARY_MEMBERS)]
    optional = [document.get("id"), response.get("userHandle")]
    if not all(isinstance(v, str) and v for v in required):
        raise ValueError("binary members must be base64url strings")
    if not all(v is None or isinstance(v, str) for v in optional):
        raise ValueError("id and userHandle must be strings")


def _parse(credential: str | Mapping[str, Any]) -> AuthenticationResponse:
    """fido2's reading of an AuthenticationResponseJSON (object, or the JSON text CREDENTIAL)."""
    try:
        document = json.loads(credential) if isinstance(credential, str) else credential
        _require_strings(document)
        parsed = AuthenticationResponse.from_dict(document)
        client_data = parsed.response.client_data
        if not (isinstance(client_data.type, str) and isinstance(client_data.origin, str)):
            raise ValueError("clientDataJSON members must be strings")
        if not isinstance(parsed.response.signature, bytes):
            raise ValueError("signature must be base64url")
    # fido2's parsers raise assorted built-in errors on hostile input; each is a malformed answer.
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        struct.error,
        binascii.Error,
        RecursionError,
    ) as error:
        raise WebAuthnAssertionError(
            Refusal.MALFORMED, MALFORMED.format("unreadable credential")
        ) from error
    if parsed.type != PublicKeyCredentialType.PUBLIC_KEY:
        raise WebAuthnAssertionError(Refusal.MALFORMED, MALFORMED.format("type must be public-key"))
    return parsed


def _stored_key(record: Mapping[str, Any]) -> CoseKey:
    """The COSE key CompleteWebAuthnRegistration stored (base64url CBOR); a broken one is a bug in
    the store, not a refusal, so it raises as such."""
    cose = cbor.decode(websafe_decode(record["public_key"]))
    if not isinstance(cose, Mapping):
        raise TypeError(f"stored public key of {record['CredentialId']} is not a COSE map")
    return CoseKey.parse(cose)


def verify_assertion(
    credential: str | Mapping[str, Any],
    *,
    challenge: bytes,
    rp_id: str,
    credentials: Sequence[Mapping[str, Any]],
    user_verification: str = "preferred",
    origins: Sequence[str] = (),
    user_handle: bytes | None = None,
) -> VerifiedAssertion:
    """Checks a WEB_AUTHN answer as WebAuthn §7.2 orders it and returns what to store back.

    `credentials` are the user's stored records (CompleteWebAuthnRegistration's: `CredentialId`,
    `public_key`, `sign_count`); `challenge` the bytes the options carried; `rp_id` the pool's
    relying party; `origins` exact origins allowed besides the relying party's own (https on the
    RP ID or a subdomain), e.g. the managed-login domains; `user_handle` the user's WebAuthn id
    (when the answer carries a userHandle it must match). UV is demanded when
    `user_verification` is `required`. Raises WebAuthnAssertionError with the first failed check.
    """
    if user_verification not in USER_VERIFICATION:
        raise ValueError(f"user_verification must be one of {USER_VERIFICATION}")
    response = _parse(credential)
    credential_id = websafe_encode(response.raw_id)
    record = next((r for r in credentials if r.get("CredentialId") == credential_id), None)
    if record is None:
        raise WebAuthnAssertionError(
            Refusal.UNKNOWN_CREDENTIAL, UNKNOWN_CREDENTIAL.format(credential_id)
        )
    assertion = response.response
    if (
        user_handle is not None
        and assertion.user_handle is not None
        and not same(assertion.user_handle, user_handle)
    ):
        raise WebAuthnAssertionError(Refusal.WRONG_USER, WRONG_USER)
    client_data = assertion.client_data
    if client_data.type != CollectedClientData.TYPE.GET:
        raise WebAuthnAssertionError(Refusal.NOT_GET, NOT_GET)
    if not same(client_data.challenge, challenge):
        raise WebAuthnAssertionError(Refusal.WRONG_CHALLENGE, WRONG_CHALLENGE)
    if not (verify_rp_id(rp_id, client_data.origin) or client_data.origin in origins):
        raise WebAuthnAssertionError(
            Refusal.ORIGIN_NOT_ALLOWED, ORIGIN_NOT_ALLOWED.format(client_data.origin, rp_id)
        )
    auth_data = assertion.authenticator_data
    if not same(auth_data.rp_id_hash, hashlib.sha256(rp_id.encode()).digest()):
        raise WebAuthnAssertionError(Refusal.RP_MISMATCH, RP_MISMATCH.format(rp_id))
    if not auth_data.is_user_present():
        raise WebAuthnAssertionError(Refusal.NO_PRESENCE, NO_PRESENCE)
    if user_verification == "required" and not auth_data.is_user_verified():
        raise WebAuthnAssertionError(Refusal.NO_VERIFICATION, NO_VERIFICATION)
    public_key = _stored_key(record)
    try:
        public_key.verify(auth_data + client_data.hash, assertion.signature)
    except (InvalidSignature, ValueError):
        # ValueError: fido2's key refuses a signature it cannot even decode.
        raise WebAuthnAssertionError(Refusal.BAD_SIGNATURE, BAD_SIGNATURE) from None
    stored = int(record.get("sign_count") or 0)
    # WebAuthn §7.2 step 21: a counter that does not grow (unless both are 0, as synced passkeys
    # send) means a cloned authenticator or a replayed answer.
    if (auth_data.counter or stored) and auth_data.counter <= stored:
        raise WebAuthnAssertionError(
            Refusal.SIGN_COUNT, SIGN_COUNT.format(auth_data.counter, stored)
        )
    return VerifiedAssertion(
        credential_id=credential_id,
        sign_count=auth_data.counter,
        user_verified=auth_data.is_user_verified(),
        backed_up=auth_data.is_backed_up(),
    )
