"""Passkey (WebAuthn) registration: creation options, verified registration responses, and the
user's stored credentials (list, delete). Parsing and attestation checks use Yubico's fido2."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from typing import Any

from fido2 import cbor
from fido2.attestation.base import Attestation, InvalidAttestation, UnsupportedType
from fido2.rpid import verify_rp_id
from fido2.webauthn import AttestationObject, AuthenticatorData, CollectedClientData

from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.mfa_config import webauthn_config
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import (
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    ResourceNotFoundException,
    UserNotFoundException,
    WebAuthnChallengeNotFoundException,
    WebAuthnClientMismatchException,
    WebAuthnConfigurationMissingException,
    WebAuthnCredentialNotSupportedException,
    WebAuthnNotEnabledException,
    WebAuthnOriginNotAllowedException,
    WebAuthnRelyingPartyMismatchException,
)

__all__ = [
    "ALGORITHMS",
    "CHALLENGE_SECONDS",
    "MAX_CREDENTIALS",
    "domain_hosts",
    "relying_party_id",
    "user_credentials",
]

CHALLENGE_SECONDS = 300
MAX_CREDENTIALS = 20
ALGORITHMS = (-7, -257)  # ES256, RS256: the pubKeyCredParams the options offer
_CHALLENGE_BYTES = 32
_DEFAULT_PAGE = 20
# The members of WebAuthnCredentialDescription; the stored record also keeps the key and counter.
_DESCRIPTION = (
    "CredentialId",
    "FriendlyCredentialName",
    "RelyingPartyId",
    "AuthenticatorAttachment",
    "AuthenticatorTransports",
    "CreatedAt",
)

NOT_ENABLED = (
    "WebAuthn is not enabled for this user pool. Add WEB_AUTHN to AllowedFirstAuthFactors."
)
NO_RELYING_PARTY = (
    "The user pool has no WebAuthn relying party ID and no domain. Set WebAuthnConfiguration "
    "RelyingPartyId or create a user pool domain."
)
NO_CHALLENGE = "No registration challenge found or the challenge has expired."
WRONG_CHALLENGE = "The credential's challenge does not match the registration challenge."
CLIENT_MISMATCH = "The access token is for a different client than the registration challenge."
ORIGIN_NOT_ALLOWED = "The origin {} is not allowed for relying party ID {}."
RP_MISMATCH = "The credential was created for a different relying party ID than {}."
MALFORMED = "Invalid WebAuthn registration response: {}."
NOT_CREATE = "Invalid WebAuthn registration response: clientDataJSON type must be webauthn.create."
NO_PRESENCE = "The authenticator did not confirm user presence."
NO_VERIFICATION = (
    "The user pool requires user verification, which the authenticator did not perform."
)
BAD_ALGORITHM = "Unsupported credential public key algorithm {}. Supported algorithms: -7, -257."
BAD_FORMAT = "Unsupported attestation statement format {}."
BAD_ATTESTATION = "The credential's attestation statement could not be verified."
ALREADY_REGISTERED = "This passkey is already registered for the user."
TOO_MANY = "The user has reached the maximum number of passkeys ({})."
NOT_FOUND = "WebAuthn credential not found."


# ----------------------------------------------------------------------------- shared helpers


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64url(value: Any, member: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise InvalidParameterException(MALFORMED.format(f"{member} must be a base64url string"))
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise InvalidParameterException(MALFORMED.format(f"{member} is not base64url")) from None


def user_credentials(user: User) -> list[dict[str, Any]]:
    """The user's stored passkeys in registration order (the list itself, not a copy)."""
    return user.passkeys.credentials


def domain_hosts(pool: UserPool, backend: Backend) -> list[str]:
    """The hosts of the pool's managed-login domains: custom domain first, then the prefix one."""
    hosts = []
    if pool.custom_domain:
        hosts.append(pool.custom_domain)
    if pool.domain:
        hosts.append(f"{pool.domain}.auth.{backend.region}.amazoncognito.com")
    return hosts


def relying_party_id(backend: Backend, pool: UserPool) -> str | None:
    """The configured RelyingPartyId, else the pool's (custom, then prefix) domain, else None."""
    configured = webauthn_config(pool).get("RelyingPartyId")
    if configured:
        return str(configured)
    hosts = domain_hosts(pool, backend)
    return hosts[0] if hosts else None


def _require_enabled(pool: UserPool) -> None:
    policy = (pool.settings.get("Policies") or {}).get("SignInPolicy") or {}
    if "WEB_AUTHN" not in (policy.get("AllowedFirstAuthFactors") or []):
        raise WebAuthnNotEnabledException(NOT_ENABLED)


def _token_user(backend: Backend, token: str) -> tuple[UserPool, User, dict[str, Any]]:
    """None of these operations declares UserNotFoundException: a deleted user's token is refused."""
    try:
        return authenticate_access_token(backend, token)
    except UserNotFoundException as error:
        raise NotAuthorizedException(error.message) from None


def _user_verification(pool: UserPool) -> str:
    return str(webauthn_config(pool).get("UserVerification") or "preferred")


# ----------------------------------------------------------------------------- registration


@operation("StartWebAuthnRegistration")
def start_webauthn_registration(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, claims = _token_user(backend, request["AccessToken"])
    _require_enabled(pool)
    rp_id = relying_party_id(backend, pool)
    if rp_id is None:
        raise WebAuthnConfigurationMissingException(NO_RELYING_PARTY)
    verification = _user_verification(pool)
    challenge = backend.ids.token_bytes(_CHALLENGE_BYTES)
    now = backend.clock.now()
    display = user.attributes.get("name") or user.username
    excluded = []
    for credential in user.passkeys.credentials:
        descriptor: dict[str, Any] = {"type": "public-key", "id": credential["CredentialId"]}
        if credential["AuthenticatorTransports"]:
            descriptor["transports"] = list(credential["AuthenticatorTransports"])
        excluded.append(descriptor)
    options = {
        "rp": {"id": rp_id, "name": rp_id},
        "user": {"id": _b64url(user.sub.encode()), "name": user.username, "displayName": display},
        "challenge": _b64url(challenge),
        "pubKeyCredParams": [{"type": "public-key", "alg": alg} for alg in ALGORITHMS],
        "timeout": CHALLENGE_SECONDS * 1000,
        "excludeCredentials": excluded,
        # Passkeys are discoverable credentials.
        "authenticatorSelection": {
            "residentKey": "required",
            "requireResidentKey": True,
            "userVerification": verification,
        },
    }
    user.passkeys.pending = {
        "challenge": _b64url(challenge),
        "client_id": str(claims.get("client_id", "")),
        "expires": now + CHALLENGE_SECONDS,
        "rp_id": rp_id,
        "user_verification": verification,
    }
    return {"CredentialCreationOptions": options}


def _parse_credential(document: Any) -> tuple[bytes, CollectedClientData, AttestationObject]:
    """(raw credential id, client data, attestation object) of a RegistrationResponseJSON."""
    if not isinstance(document, dict):
        raise InvalidParameterException(MALFORMED.format("Credential must be a JSON object"))
    if document.get("type") != "public-key":
        raise InvalidParameterException(MALFORMED.format("type must be public-key"))
    raw_id = _unb64url(document.get("rawId", document.get("id")), "rawId")
    if "id" in document and _unb64url(document["id"], "id") != raw_id:
        raise InvalidParameterException(MALFORMED.format("id does not match rawId"))
    response = document.get("response")
    if not isinstance(response, dict):
        raise InvalidParameterException(MALFORMED.format("response must be a JSON object"))
    client_bytes = _unb64url(response.get("clientDataJSON"), "clientDataJSON")
    attestation_bytes = _unb64url(response.get("attestationObject"), "attestationObject")
    # fido2's parsers raise assorted built-in errors on hostile input; every one is a malformed
    # credential, never a crash.
    try:
        client_data = CollectedClientData(client_bytes)
        if not (isinstance(client_data.type, str) and isinstance(client_data.origin, str)):
            raise ValueError("clientDataJSON members must be strings")
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise InvalidParameterException(MALFORMED.format("unreadable clientDataJSON")) from error
    try:
        attestation = AttestationObject(attestation_bytes)
        if not isinstance(attestation.fmt, str) or not isinstance(attestation.att_stmt, dict):
            raise ValueError("fmt and attStmt")
    except (
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        struct.error,
        RecursionError,
    ) as error:
        raise InvalidParameterException(MALFORMED.format("unreadable attestationObject")) from error
    return raw_id, client_data, attestation


def _string_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _verify_attestation(attestation: AttestationObject, client_data: CollectedClientData) -> str:
    """Checks the attestation statement's signature (trust in its certificate is not required:
    the creation options ask for no attestation); returns the format."""
    verifier = Attestation.for_type(attestation.fmt)()
    try:
        verifier.verify(attestation.att_stmt, attestation.auth_data, client_data.hash)
    except UnsupportedType:
        raise WebAuthnCredentialNotSupportedException(BAD_FORMAT.format(attestation.fmt)) from None
    except (
        InvalidAttestation,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        struct.error,
        NotImplementedError,
    ):
        raise WebAuthnCredentialNotSupportedException(BAD_ATTESTATION) from None
    return attestation.fmt


def _origin_allowed(backend: Backend, pool: UserPool, rp_id: str, origin: str) -> bool:
    """The relying party's own origins (the RP ID and its subdomains, per WebAuthn) or the pool's
    managed-login domains."""
    if verify_rp_id(rp_id, origin):
        return True
    return any(origin == f"https://{host}" for host in domain_hosts(pool, backend))


@operation("CompleteWebAuthnRegistration")
def complete_webauthn_registration(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, claims = _token_user(backend, request["AccessToken"])
    _require_enabled(pool)
    raw_id, client_data, attestation = _parse_credential(request["Credential"])
    pending = user.passkeys.pending
    now = backend.clock.now()
    if not pending or pending["expires"] <= now:
        raise WebAuthnChallengeNotFoundException(NO_CHALLENGE)
    if str(claims.get("client_id", "")) != pending["client_id"]:
        raise WebAuthnClientMismatchException(CLIENT_MISMATCH)
    if client_data.type != CollectedClientData.TYPE.CREATE:
        raise InvalidParameterException(NOT_CREATE)
    expected = base64.urlsafe_b64decode(
        pending["challenge"] + "=" * (-len(pending["challenge"]) % 4)
    )
    if not hmac.compare_digest(client_data.challenge, expected):
        raise WebAuthnChallengeNotFoundException(WRONG_CHALLENGE)
    rp_id = pending["rp_id"]
    if not _origin_allowed(backend, pool, rp_id, client_data.origin):
        raise WebAuthnOriginNotAllowedException(
            ORIGIN_NOT_ALLOWED.format(client_data.origin, rp_id)
        )
    auth_data: AuthenticatorData = attestation.auth_data
    if not hmac.compare_digest(auth_data.rp_id_hash, hashlib.sha256(rp_id.encode()).digest()):
        raise WebAuthnRelyingPartyMismatchException(RP_MISMATCH.format(rp_id))
    if not auth_data.is_user_present():
        raise WebAuthnCredentialNotSupportedException(NO_PRESENCE)
    if pending["user_verification"] == "required" and not auth_data.is_user_verified():
        raise WebAuthnCredentialNotSupportedException(NO_VERIFICATION)
    attested = auth_data.credential_data
    if attested is None:
        raise InvalidParameterException(MALFORMED.format("authData has no attested credential"))
    if attested.credential_id != raw_id:
        raise InvalidParameterException(MALFORMED.format("rawId does not match authData"))
    algorithm = attested.public_key.get(3)
    if algorithm not in ALGORITHMS:
        raise WebAuthnCredentialNotSupportedException(BAD_ALGORITHM.format(algorithm))
    fmt = _verify_attestation(attestation, client_data)
    credentials = user.passkeys.credentials
    credential_id = _b64url(raw_id)
    if any(c["CredentialId"] == credential_id for c in credentials):
        raise InvalidParameterException(ALREADY_REGISTERED)
    if len(credentials) >= MAX_CREDENTIALS:
        raise LimitExceededException(TOO_MANY.format(MAX_CREDENTIALS))
    # Checked; now change the user.
    document = request["Credential"]
    sequence = user.passkeys.sequence + 1
    record: dict[str, Any] = {
        "CredentialId": credential_id,
        "FriendlyCredentialName": f"Passkey {sequence}",
        "RelyingPartyId": rp_id,
        "AuthenticatorTransports": _string_list(document["response"].get("transports")),
        "CreatedAt": now,
        "sequence": sequence,
        "public_key": _b64url(cbor.encode(dict(attested.public_key))),
        "algorithm": algorithm,
        "sign_count": auth_data.counter,
        "aaguid": str(attested.aaguid),
        "user_verified": auth_data.is_user_verified(),
        "backup_eligible": auth_data.is_backup_eligible(),
        "attestation_format": fmt,
    }
    attachment = document.get("authenticatorAttachment")
    if isinstance(attachment, str) and attachment:
        record["AuthenticatorAttachment"] = attachment
    user_credentials(user).append(record)
    user.passkeys.sequence = sequence
    user.passkeys.pending = None
    return {}


# ----------------------------------------------------------------------------- stored credentials


@operation("ListWebAuthnCredentials")
def list_webauthn_credentials(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = _token_user(backend, request["AccessToken"])
    credentials = list(user.passkeys.credentials)
    limit = request.get("MaxResults", _DEFAULT_PAGE)
    keys = [c["sequence"] for c in credentials]
    page, token = page_after(keys, credentials, limit, request.get("NextToken"), "webauthn")
    result: dict[str, Any] = {
        "Credentials": [{k: c[k] for k in _DESCRIPTION if k in c} for c in page]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("DeleteWebAuthnCredential")
def delete_webauthn_credential(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = _token_user(backend, request["AccessToken"])
    credentials = user.passkeys.credentials
    for index, credential in enumerate(credentials):
        if credential["CredentialId"] == request["CredentialId"]:
            del credentials[index]
            return {}
    raise ResourceNotFoundException(NOT_FOUND)
