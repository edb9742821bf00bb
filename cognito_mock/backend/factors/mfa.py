"""MFA: the pool's MFA configuration, users' factors and preferences, TOTP software tokens (RFC 6238
math on the mock clock). Imports backend records, users, tokens and auth.sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.kernel.challenge_sessions import AuthSession, open_session, take_session
from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.issue import authenticate_access_token
from cognito_mock.errors import (
    EnableSoftwareTokenMFAException,
    FeatureUnavailableInTierException,
    InvalidParameterException,
    NotAuthorizedException,
    SoftwareTokenMFANotFoundException,
    UserNotFoundException,
)

__all__ = [
    "FACTORS",
    "SETUP_ASSOCIATED",
    "SETUP_VERIFIED",
    "TOTP_NOT_ENABLED",
    "enable_factor",
    "pool_factors",
    "totp_code",
    "totp_match",
    "totp_secret",
    "usable_factors",
]

# UserMFASettingList values in the order the service lists them.
FACTORS = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
TOTP_NOT_ENABLED = "Software Token MFA has not been enabled by the userPool"
CODE_MISMATCH = "Code mismatch and fail enable Software Token MFA"
NOT_ASSOCIATED = "User has not associated a software token."
TOTP_NOT_SET_UP = "User has not set up software token mfa"
NO_DELIVERY = "User does not have delivery config set to turn on {}"
OFF_WITH_FACTOR = (
    "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
)
ON_WITHOUT_FACTOR = (
    "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled."
)
SMS_ROLE = "Invalid SMS MFA configuration given, external id and a valid caller arn are required"
EMAIL_TIER = "Email MFA is not available in the LITE feature plan."
EMAIL_SES = "Email MFA requires the user pool to send email with Amazon SES (DEVELOPER)."
WEBAUTHN_MFA = (
    "Passkey MFA requires the user pool's WebAuthnConfiguration FactorConfiguration to be "
    "MULTI_FACTOR_WITH_USER_VERIFICATION."
)
ONE_PREFERRED = "Only one MFA method can be set as preferred."
PREFER_DISABLED = "A disabled MFA method cannot be set as preferred."
NO_AUTHORITY = "Either AccessToken or Session must be provided."
BOTH_AUTHORITIES = "Only one of AccessToken or Session can be provided."
SMS_ONLY = "Only SMS delivery to phone_number can be configured with MFAOptions."
# Session challenge names of the MFA_SETUP steps (never sent: sessions are opaque).
SETUP_ASSOCIATED = "MFA_SETUP:associated"
SETUP_VERIFIED = "MFA_SETUP:verified"
_STEP = 30  # RFC 6238 time step
_SKEW = 1  # steps accepted either side (developer guide: codes from 30 s before or after)
_SECRET_BYTES = 32  # 52 base32 characters unpadded
_SETTINGS = {
    "SMS_MFA": "SMSMfaSettings",
    "SOFTWARE_TOKEN_MFA": "SoftwareTokenMfaSettings",
    "EMAIL_OTP": "EmailMfaSettings",
}


# ----------------------------------------------------------------------------- TOTP


def totp_code(secret: str, counter: int) -> str:
    """RFC 4226 HOTP (HMAC-SHA1, 6 digits) of the base32 `secret` at `counter`."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_match(secret: str, code: str, now: float) -> list[int]:
    """The time steps within the skew whose code is `code` (usually none or one)."""
    current = int(now // _STEP)
    steps = range(current - _SKEW, current + _SKEW + 1)
    return [s for s in steps if hmac.compare_digest(totp_code(secret, s), code)]


def totp_secret(user: User) -> str | None:
    """The user's verified software token secret, if any."""
    secret = user.mfa.get("totp_secret")
    return str(secret) if secret and user.mfa.get("totp_verified") else None


# ----------------------------------------------------------------------------- pool configuration


def _stored(pool: UserPool) -> dict[str, Any] | None:
    config = pool.extra.get("mfa_config")
    return config if isinstance(config, dict) else None


def pool_factors(pool: UserPool) -> list[str]:
    """The MFA factors the pool offers now (none while MFA is OFF).

    Before any SetUserPoolMfaConfig, SMS MFA is on when CreateUserPool/UpdateUserPool turned MFA
    on with an SmsConfiguration (the only factor those operations can configure).
    """
    if pool.settings.get("MfaConfiguration", "OFF") == "OFF":
        return []
    stored = _stored(pool)
    if stored is None:
        return ["SMS_MFA"] if pool.settings.get("SmsConfiguration") else []
    return [f for f in FACTORS if stored.get(f)]


def _config_view(pool: UserPool) -> dict[str, Any]:
    """GetUserPoolMfaConfig's (and SetUserPoolMfaConfig's) answer."""
    factors = pool_factors(pool)
    stored = _stored(pool) or {}
    view: dict[str, Any] = {"MfaConfiguration": pool.settings.get("MfaConfiguration", "OFF")}
    if "SMS_MFA" in factors:
        sms: dict[str, Any] = {}
        if pool.settings.get("SmsAuthenticationMessage"):
            sms["SmsAuthenticationMessage"] = pool.settings["SmsAuthenticationMessage"]
        if pool.settings.get("SmsConfiguration"):
            sms["SmsConfiguration"] = clone(pool.settings["SmsConfiguration"])
        view["SmsMfaConfiguration"] = sms
    if "SOFTWARE_TOKEN_MFA" in factors or "totp_set" in stored:
        view["SoftwareTokenMfaConfiguration"] = {"Enabled": "SOFTWARE_TOKEN_MFA" in factors}
    if "EMAIL_OTP" in factors:
        view["EmailMfaConfiguration"] = clone(stored.get("email") or {})
    if stored.get("webauthn"):
        view["WebAuthnConfiguration"] = clone(stored["webauthn"])
    return view


def _check_sms_role(configuration: dict[str, Any] | None) -> None:
    if not configuration:
        raise InvalidParameterException(SMS_ROLE)
    if configuration.get("EumsSms", {}).get("CallerArn"):
        return
    if not configuration.get("SnsCallerArn"):
        raise InvalidParameterException(SMS_ROLE)


@operation("SetUserPoolMfaConfig")
def set_user_pool_mfa_config(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Replaces the pool's factors with those the request configures (an omitted factor is off);
    an omitted MfaConfiguration keeps the current mode. WebAuthn is not an MFA factor."""
    pool = backend.pool(request["UserPoolId"])
    mode = request.get("MfaConfiguration", pool.settings.get("MfaConfiguration", "OFF"))
    sms = request.get("SmsMfaConfiguration")
    totp = (request.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled", False)
    email = request.get("EmailMfaConfiguration")
    sms_role = None
    if sms is not None:
        sms_role = sms.get("SmsConfiguration") or pool.settings.get("SmsConfiguration")
        _check_sms_role(sms_role)
    if email is not None:
        if pool.settings.get("UserPoolTier") == "LITE":
            raise FeatureUnavailableInTierException(EMAIL_TIER)
        sending = (pool.settings.get("EmailConfiguration") or {}).get("EmailSendingAccount")
        if sending != "DEVELOPER":
            raise InvalidParameterException(EMAIL_SES)
    configured = sms is not None or bool(totp) or email is not None
    if mode == "OFF" and configured:
        raise InvalidParameterException(OFF_WITH_FACTOR)
    if mode != "OFF" and not configured:
        raise InvalidParameterException(ON_WITHOUT_FACTOR)
    # Checked; now change the pool.
    stored: dict[str, Any] = {
        "SMS_MFA": sms is not None,
        "SOFTWARE_TOKEN_MFA": bool(totp),
        "EMAIL_OTP": email is not None,
        "totp_set": True,
        "email": clone(email) if email else {},
        "webauthn": clone((_stored(pool) or {}).get("webauthn") or {}),
    }
    if "WebAuthnConfiguration" in request:
        stored["webauthn"] = clone(request["WebAuthnConfiguration"])
    if sms is not None:
        pool.settings["SmsConfiguration"] = clone(sms_role)
        if sms.get("SmsAuthenticationMessage"):
            pool.settings["SmsAuthenticationMessage"] = sms["SmsAuthenticationMessage"]
    pool.settings["MfaConfiguration"] = mode
    pool.extra["mfa_config"] = stored
    pool.modified = backend.clock.now()
    return _config_view(pool)


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return _config_view(backend.pool(request["UserPoolId"]))


# ----------------------------------------------------------------------------- user factors


def _has(user: User, attribute: str) -> bool:
    return bool(user.attributes.get(attribute))


def usable_factors(user: User) -> list[str]:
    """The factors the user has turned on and can receive: a verified token, a phone, an email.

    Legacy MFAOptions (SetUserSettings) count as SMS MFA.
    """
    enabled = set(user.mfa.get("enabled") or [])
    if any(o.get("DeliveryMedium") == "SMS" for o in user.mfa.get("options") or []):
        enabled.add("SMS_MFA")
    usable = {
        "SMS_MFA": _has(user, "phone_number"),
        "SOFTWARE_TOKEN_MFA": totp_secret(user) is not None,
        "EMAIL_OTP": _has(user, "email"),
    }
    return [f for f in FACTORS if f in enabled and usable[f]]


def enable_factor(user: User, factor: str, now: float) -> None:
    enabled = set(user.mfa.get("enabled") or []) | {factor}
    user.mfa["enabled"] = [f for f in FACTORS if f in enabled]
    user.modified = now


def _set_preferences(backend: Backend, pool: UserPool, user: User, request: dict[str, Any]) -> None:
    """Shared by both preference operations: check everything, then apply."""
    enabled = set(user.mfa.get("enabled") or [])
    preferred = user.mfa.get("preferred")
    wants_preferred = []
    for factor, member in _SETTINGS.items():
        settings = request.get(member)
        if settings is None:
            continue
        on = settings.get("Enabled")
        if on:
            if factor == "SOFTWARE_TOKEN_MFA" and totp_secret(user) is None:
                raise InvalidParameterException(TOTP_NOT_SET_UP)
            if factor == "SMS_MFA" and not _has(user, "phone_number"):
                raise InvalidParameterException(NO_DELIVERY.format(factor))
            if factor == "EMAIL_OTP":
                if not _has(user, "email"):
                    raise InvalidParameterException(NO_DELIVERY.format(factor))
                if pool.settings.get("UserPoolTier") == "LITE":
                    raise InvalidParameterException(EMAIL_TIER)
            enabled.add(factor)
        elif on is False:
            enabled.discard(factor)
        if settings.get("PreferredMfa"):
            wants_preferred.append(factor)
        elif settings.get("PreferredMfa") is False and preferred == factor:
            preferred = None
    if len(wants_preferred) > 1:
        raise InvalidParameterException(ONE_PREFERRED)
    if wants_preferred:
        if wants_preferred[0] not in enabled:
            raise InvalidParameterException(PREFER_DISABLED)
        preferred = wants_preferred[0]
    if preferred not in enabled:
        preferred = None
    webauthn = (request.get("WebAuthnMfaSettings") or {}).get("Enabled")
    if webauthn:
        factor_config = ((_stored(pool) or {}).get("webauthn") or {}).get("FactorConfiguration")
        if factor_config != "MULTI_FACTOR_WITH_USER_VERIFICATION":
            raise InvalidParameterException(WEBAUTHN_MFA)
    # Checked; now change the user.
    user.mfa["enabled"] = [f for f in FACTORS if f in enabled]
    if preferred:
        user.mfa["preferred"] = preferred
    else:
        user.mfa.pop("preferred", None)
    if webauthn is not None:
        user.mfa["webauthn"] = bool(webauthn)
    user.modified = backend.clock.now()


def _token_user(backend: Backend, token: str) -> tuple[UserPool, User]:
    """The access token's pool and user, for operations that do not declare UserNotFound."""
    try:
        pool, user, _ = authenticate_access_token(backend, token)
    except UserNotFoundException as error:
        raise NotAuthorizedException(error.message) from None
    return pool, user


@operation("SetUserMFAPreference")
def set_user_mfa_preference(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = authenticate_access_token(backend, request["AccessToken"])
    _set_preferences(backend, pool, user, request)
    return {}


@operation("AdminSetUserMFAPreference")
def admin_set_user_mfa_preference(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    _set_preferences(backend, pool, require_user(pool, request["Username"]), request)
    return {}


def _set_options(backend: Backend, user: User, options: list[dict[str, str]]) -> None:
    """Legacy MFAOptions: SMS to phone_number only; an empty list removes them."""
    for option in options:
        if option.get("DeliveryMedium") != "SMS" or option.get("AttributeName") != "phone_number":
            raise InvalidParameterException(SMS_ONLY)
    if options and not _has(user, "phone_number"):
        raise InvalidParameterException(NO_DELIVERY.format("SMS_MFA"))
    if options:
        user.mfa["options"] = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    else:
        user.mfa.pop("options", None)
    user.modified = backend.clock.now()


@operation("SetUserSettings")
def set_user_settings(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    _, user, _ = authenticate_access_token(backend, request["AccessToken"])
    _set_options(backend, user, request["MFAOptions"])
    return {}


@operation("AdminSetUserSettings")
def admin_set_user_settings(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    user = require_user(backend.pool(request["UserPoolId"]), request["Username"])
    _set_options(backend, user, request["MFAOptions"])
    return {}


@operation("AdminDeleteSoftwareToken")
def admin_delete_software_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Forget the user's token (verified or pending); TOTP MFA is off for them until they
    associate a new one. Nothing to delete is not an error."""
    user = require_user(backend.pool(request["UserPoolId"]), request["Username"])
    for key in ("totp_secret", "totp_verified", "totp_pending", "totp_last_step", "totp_name"):
        user.mfa.pop(key, None)
    enabled = [f for f in user.mfa.get("enabled") or [] if f != "SOFTWARE_TOKEN_MFA"]
    user.mfa["enabled"] = enabled
    if user.mfa.get("preferred") == "SOFTWARE_TOKEN_MFA":
        user.mfa.pop("preferred")
    user.modified = backend.clock.now()
    return {}


# ----------------------------------------------------------------------------- software tokens


def _setup_session(
    backend: Backend, token: str, challenges: set[str]
) -> tuple[UserPool, User, AuthSession]:
    """The MFA_SETUP session `token` (from any pool of this account and region) and its user."""
    for pool in backend.pools.values():
        found = pool.extra.get("auth_sessions", {}).get(token)
        if found is not None:
            client = pool.clients.get(found.client_id)
            if client is None:
                break
            session = take_session(backend, pool, client, token, challenges)
            user = pool.users.get(session.username)
            if user is None:
                raise NotAuthorizedException("Invalid session for the user.")
            return pool, user, session
    raise NotAuthorizedException("Invalid session for the user.")


def _one_authority(request: dict[str, Any]) -> None:
    """The request takes an access token or a session string, but not both (model docs)."""
    if request.get("AccessToken") and request.get("Session"):
        raise InvalidParameterException(BOTH_AUTHORITIES)


def _check_pool_totp(pool: UserPool) -> None:
    if "SOFTWARE_TOKEN_MFA" not in pool_factors(pool):
        raise SoftwareTokenMFANotFoundException(TOTP_NOT_ENABLED)


def _next_session(backend: Backend, pool: UserPool, old: AuthSession, challenge: str) -> str:
    client = pool.clients[old.client_id]
    return open_session(backend, pool, client, challenge, old.username, **clone(old.data))


@operation("AssociateSoftwareToken")
def associate_software_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """A new secret for the user, pending until VerifySoftwareToken; a token already verified
    keeps working until then."""
    session = None
    _one_authority(request)
    if request.get("AccessToken"):
        pool, user = _token_user(backend, request["AccessToken"])
    elif request.get("Session"):
        pool, user, session = _setup_session(backend, request["Session"], {"MFA_SETUP"})
    else:
        raise InvalidParameterException(NO_AUTHORITY)
    _check_pool_totp(pool)
    secret = base64.b32encode(backend.ids.token_bytes(_SECRET_BYTES)).decode().rstrip("=")
    user.mfa["totp_pending"] = secret
    result: dict[str, Any] = {"SecretCode": secret}
    if session is not None:
        session.used = True
        result["Session"] = _next_session(backend, pool, session, SETUP_ASSOCIATED)
    return result


@operation("VerifySoftwareToken")
def verify_software_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    session = None
    _one_authority(request)
    if request.get("AccessToken"):
        pool, user, _ = authenticate_access_token(backend, request["AccessToken"])
    elif request.get("Session"):
        pool, user, session = _setup_session(backend, request["Session"], {SETUP_ASSOCIATED})
    else:
        raise InvalidParameterException(NO_AUTHORITY)
    _check_pool_totp(pool)
    secret = user.mfa.get("totp_pending")
    if not secret:
        raise SoftwareTokenMFANotFoundException(NOT_ASSOCIATED)
    steps = totp_match(str(secret), request["UserCode"], backend.clock.now())
    if not steps:
        raise EnableSoftwareTokenMFAException(CODE_MISMATCH)
    # Checked; the pending secret becomes the user's token (the code counts as used).
    user.mfa.pop("totp_pending")
    user.mfa.update(totp_secret=secret, totp_verified=True, totp_last_step=max(steps))
    if request.get("FriendlyDeviceName"):
        user.mfa["totp_name"] = request["FriendlyDeviceName"]
    user.modified = backend.clock.now()
    result: dict[str, Any] = {"Status": "SUCCESS"}
    if session is not None:
        session.used = True
        result["Session"] = _next_session(backend, pool, session, SETUP_VERIFIED)
    return result
