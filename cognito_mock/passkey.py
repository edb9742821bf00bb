"""`Passkey`: a software WebAuthn authenticator (and the browser around it) for tests. It answers
StartWebAuthnRegistration's options and the WEB_AUTHN sign-in challenge; imports fido2, cryptography."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialRequestOptions,
)

from cognito_mock.errors import CognitoMockError

__all__ = ["Passkey", "PasskeyCredential", "PasskeyError"]

_FLAG = AuthenticatorData.FLAG
_CREDENTIAL_ID_BYTES = 16
# What a browser offers when the options list no pubKeyCredParams (WebAuthn §5.4: ES256, RS256).
_DEFAULT_ALGORITHMS = (-7, -257)


class PasskeyError(CognitoMockError):
    """The passkey refused the options, where a browser's navigator.credentials call would fail."""


@dataclass
class PasskeyCredential:
    """One credential the passkey holds, bound to one relying party and one user handle."""

    credential_id: bytes
    rp_id: str
    user_handle: bytes | None
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    sign_count: int = 0

    @property
    def id(self) -> str:
        """The credential id as the service lists it (base64url, no padding)."""
        return websafe_encode(self.credential_id)

    @property
    def public_key(self) -> ES256:
        """The COSE public key the relying party stores at registration."""
        return ES256.from_cryptography_key(self.private_key.public_key())


def _document(options: Any, wrapper: str) -> dict[str, Any]:
    """The bare options out of what a test holds: a JSON string or dict, wrapped in `publicKey`
    (the browser's argument) or in the operation's answer member (`wrapper`), or bare."""
    if isinstance(options, (str, bytes)):
        try:
            options = json.loads(options)
        except ValueError as error:
            raise PasskeyError(f"The options are not JSON: {error}") from None
    if isinstance(options, Mapping):
        for key in (wrapper, "publicKey"):
            if key in options:
                return _document(options[key], wrapper)
        return dict(options)
    raise PasskeyError(f"The options must be a JSON object, not {type(options).__name__}")


class Passkey:
    """A software passkey (ES256) that registers and signs in like a browser with an authenticator.

    `origin` is the page the ceremonies claim to run on (clientDataJSON's origin); by default
    `https://<rp id>`. With `user_verification=False` the authenticator answers without the UV
    flag even when the options require it (a browser would refuse instead), so a test can show the
    service refusing. Like any authenticator it refuses options it cannot serve: see `create`,
    `get`. It does not apply the browser's own origin check, so tests can present a wrong origin.

    Example::

        passkey = Passkey()
        options = client.start_web_authn_registration(AccessToken=token)
        client.complete_web_authn_registration(AccessToken=token, Credential=passkey.create(options))
        # Sign in with it: USER_AUTH's WEB_AUTHN challenge, answered with CREDENTIAL.
        challenge = client.initiate_auth(
            ClientId=app, AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
        )
        answer = passkey.get(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        client.respond_to_auth_challenge(
            ClientId=app, ChallengeName="WEB_AUTHN", Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "alice", "CREDENTIAL": json.dumps(answer)},
        )
    """

    def __init__(
        self,
        origin: str | None = None,
        *,
        user_verification: bool = True,
        authenticator_attachment: str = "platform",
        transports: tuple[str, ...] = ("internal", "hybrid"),
    ) -> None:
        self.origin = origin
        self.user_verification = user_verification
        self.authenticator_attachment = authenticator_attachment
        self.transports = transports
        self.credentials: list[PasskeyCredential] = []

    # ------------------------------------------------------------------------- registration

    def create(self, options: Any, *, attestation: str = "none") -> dict[str, Any]:
        """The RegistrationResponseJSON (CompleteWebAuthnRegistration's `Credential`) for the
        creation options, and a new credential kept in `credentials`.

        `options` is StartWebAuthnRegistration's answer or its `CredentialCreationOptions` (a dict
        or JSON string, bare or under `publicKey`). `attestation` is `none` (as browsers send by
        default) or `packed` (self attestation, signed with the new key). Refuses options that
        offer no ES256 (-7) or exclude one of this passkey's credentials for the same party.
        """
        document = _document(options, "CredentialCreationOptions")
        try:
            parsed = PublicKeyCredentialCreationOptions.from_dict(document)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise PasskeyError(f"Unreadable credential creation options: {error}") from None
        if attestation not in ("none", "packed"):
            raise PasskeyError(f"attestation must be 'none' or 'packed', not {attestation!r}")
        origin = self._origin(parsed.rp.id)
        rp_id = parsed.rp.id or _host(origin)
        algorithms = [p.alg for p in parsed.pub_key_cred_params] or list(_DEFAULT_ALGORITHMS)
        if ES256.ALGORITHM not in algorithms:
            raise PasskeyError(
                f"The options offer algorithms {algorithms}; this passkey has ES256 (-7)"
            )
        excluded = {d.id for d in parsed.exclude_credentials or ()}
        if any(c.rp_id == rp_id and c.credential_id in excluded for c in self.credentials):
            raise PasskeyError(f"This passkey already holds a credential for {rp_id} (excluded)")

        credential = PasskeyCredential(
            credential_id=secrets.token_bytes(_CREDENTIAL_ID_BYTES),
            rp_id=rp_id,
            user_handle=parsed.user.id,
            private_key=ec.generate_private_key(ec.SECP256R1()),
        )
        public_key = credential.public_key
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(),
            self._flags() | _FLAG.AT,
            credential.sign_count,
            AttestedCredentialData.create(Aaguid.NONE, credential.credential_id, public_key),
        )
        client_data = CollectedClientData.create(
            CollectedClientData.TYPE.CREATE, parsed.challenge, origin
        )
        statement: dict[str, Any] = {}
        if attestation == "packed":
            signature = _sign(credential, auth_data + client_data.hash)
            statement = {"alg": ES256.ALGORITHM, "sig": signature}
        attestation_object = AttestationObject.create(attestation, auth_data, statement)
        spki = credential.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.credentials.append(credential)
        return {
            "id": credential.id,
            "rawId": credential.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation_object),
                # What PublicKeyCredential.toJSON() adds; the real service insists on them.
                "authenticatorData": websafe_encode(auth_data),
                "publicKey": websafe_encode(spki),
                "publicKeyAlgorithm": ES256.ALGORITHM,
                "transports": list(self.transports),
            },
            "authenticatorAttachment": self.authenticator_attachment,
            "clientExtensionResults": {},
        }

    # ------------------------------------------------------------------------- sign-in

    def get(
        self, options: Any, *, origin: str | None = None, sign_count: int | None = None
    ) -> dict[str, Any]:
        """The AuthenticationResponseJSON (the WEB_AUTHN challenge's `CREDENTIAL`, once
        json.dumps'd) answering the request options, signed by a credential they allow.

        `options` is the challenge's `CREDENTIAL_REQUEST_OPTIONS` (the JSON string as sent, a dict,
        bare or under `publicKey`, or the whole `ChallengeParameters`). Each answer counts one more
        signature; `sign_count` presents that counter instead and leaves the passkey's own count
        alone (a cloned or replayed authenticator). `origin` overrides the page's origin for this
        answer. Refuses when it holds no credential for the options' rpId or none that
        allowCredentials names; with several, the newest answers.
        """
        document = _document(options, "CREDENTIAL_REQUEST_OPTIONS")
        try:
            parsed = PublicKeyCredentialRequestOptions.from_dict(document)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise PasskeyError(f"Unreadable credential request options: {error}") from None
        page = origin or self._origin(parsed.rp_id)
        rp_id = parsed.rp_id or _host(page)
        held = [c for c in self.credentials if c.rp_id == rp_id]
        if not held:
            parties = sorted({c.rp_id for c in self.credentials}) or "none"
            raise PasskeyError(
                f"This passkey holds no credential for relying party {rp_id!r} (it has: {parties})"
            )
        allowed = {d.id for d in parsed.allow_credentials or ()}
        if allowed:
            held = [c for c in held if c.credential_id in allowed]
            if not held:
                raise PasskeyError(
                    f"None of this passkey's credentials for {rp_id!r} is in allowCredentials"
                )
        credential = held[-1]
        if sign_count is None:
            credential.sign_count += 1
            counter = credential.sign_count
        else:
            counter = sign_count
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(), self._flags(), counter
        )
        client_data = CollectedClientData.create(
            CollectedClientData.TYPE.GET, parsed.challenge, page
        )
        signature = _sign(credential, auth_data + client_data.hash)
        handle = credential.user_handle
        return {
            "id": credential.id,
            "rawId": credential.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": websafe_encode(handle) if handle is not None else None,
            },
            "authenticatorAttachment": self.authenticator_attachment,
            "clientExtensionResults": {},
        }

    # ------------------------------------------------------------------------- helpers

    def _origin(self, rp_id: str | None) -> str:
        if self.origin:
            return self.origin
        if not rp_id:
            raise PasskeyError("The options name no rp id and the passkey has no origin")
        return f"https://{rp_id}"

    def _flags(self) -> AuthenticatorData.FLAG:
        flags = _FLAG.UP
        if self.user_verification:
            flags |= _FLAG.UV
        return flags


def _host(origin: str) -> str:
    host = urlparse(origin).hostname
    if not host:
        raise PasskeyError(f"The origin {origin!r} has no host")
    return host


def _sign(credential: PasskeyCredential, data: bytes) -> bytes:
    return credential.private_key.sign(data, ec.ECDSA(hashes.SHA256()))
