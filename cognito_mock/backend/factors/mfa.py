"""Users' MFA factors and preferences: Set(User)MFAPreference, Set(User)Settings (legacy
MFAOptions), and which factors a user can use (`user.mfa`)."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.mfa_config import EMAIL_TIER, FACTORS, webauthn_config
from cognito_mock.backend.tokens.verify import authenticate_access_token
from cognito_mock.errors import InvalidParameterException

__all__ = ["TOTP_NOT_SET_UP", "enable_factor", "totp_secret", "usable_factors"]

TOTP_NOT_SET_UP = "User has not set up software token mfa"
NO_DELIVERY = "User does not have delivery config set to turn on {}"
WEBAUTHN_MFA = (
    "Passkey MFA requires the user pool's WebAuthnConfiguration FactorConfiguration to be "
    "MULTI_FACTOR_WITH_USER_VERIFICATION."
)
ONE_PREFERRED = "Only one MFA method can be set as preferred."
PREFER_DISABLED = "A disabled MFA method cannot be set as preferred."
SMS_ONLY = "Only SMS delivery to phone_number can be configured with MFAOptions."
_SETTINGS = {
    "SMS_MFA": "SMSMfaSettings",
    "SOFTWARE_TOKEN_MFA": "SoftwareTokenMfaSettings",
    "EMAIL_OTP": "EmailMfaSettings",
}


def totp_secret(user: User) -> str | None:
    """The user's verified software token secret, if any."""
    return user._mfa.totp_secret if user._mfa is not None else None


def _has(user: User, attribute: str) -> bool:
    return bool(user.attributes.get(attribute))


def usable_factors(user: User) -> list[str]:
    """The factors the user has turned on and can receive: a verified token, a phone, an email.

    Legacy MFAOptions (SetUserSettings) count as SMS MFA.
    """
    if user._mfa is None:
        return []
    enabled = set(user.mfa.enabled)
    if any(o.get("DeliveryMedium") == "SMS" for o in user.mfa.options or []):
        enabled.add("SMS_MFA")
    usable = {
        "SMS_MFA": _has(user, "phone_number"),
        "SOFTWARE_TOKEN_MFA": totp_secret(user) is not None,
        "EMAIL_OTP": _has(user, "email"),
    }
    return [f for f in FACTORS if f in enabled and usable[f]]


def enable_factor(user: User, factor: str, now: float) -> None:
    enabled = set(user.mfa.enabled) | {factor}
    user.mfa.enabled = [f for f in FACTORS if f in enabled]
    user.modified = now


def _set_preferences(backend: Backend, pool: UserPool, user: User, request: dict[str, Any]) -> None:
    """Shared by both preference operations: check everything, then apply."""
    enabled = set(user.mfa.enabled)
    preferred = user.mfa.preferred
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
        factor_config = webauthn_config(pool).get("FactorConfiguration")
        if factor_config != "MULTI_FACTOR_WITH_USER_VERIFICATION":
            raise InvalidParameterException(WEBAUTHN_MFA)
    # Checked; now change the user.
    user.mfa.enabled = [f for f in FACTORS if f in enabled]
    user.mfa.preferred = preferred or None
    if webauthn is not None:
        user.mfa.webauthn = bool(webauthn)
    user.modified = backend.clock.now()


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
        user.mfa.options = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    else:
        user.mfa.options = None
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
