"""The pool's MFA configuration: SetUserPoolMfaConfig / GetUserPoolMfaConfig and the factors a
pool offers (`pool.mfa_config`, with MfaConfiguration kept in the pool's settings)."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import FeatureUnavailableInTierException, InvalidParameterException

__all__ = ["EMAIL_TIER", "FACTORS", "pool_factors", "webauthn_config"]

# UserMFASettingList values in the order the service lists them.
FACTORS = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
OFF_WITH_FACTOR = (
    "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
)
ON_WITHOUT_FACTOR = (
    "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled."
)
SMS_ROLE = "Invalid SMS MFA configuration given, external id and a valid caller arn are required"
EMAIL_TIER = "Email MFA is not available in the LITE feature plan."
EMAIL_SES = "Email MFA requires the user pool to send email with Amazon SES (DEVELOPER)."


def webauthn_config(pool: UserPool) -> dict[str, Any]:
    """The pool's WebAuthnConfiguration (RelyingPartyId, UserVerification, ...), `{}` if unset."""
    config = (pool.mfa_config or {}).get("webauthn")
    return config if isinstance(config, dict) else {}


def _stored(pool: UserPool) -> dict[str, Any] | None:
    return pool.mfa_config


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
    pool.mfa_config = stored
    pool.modified = backend.clock.now()
    return _config_view(pool)


@operation("GetUserPoolMfaConfig")
def get_user_pool_mfa_config(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return _config_view(backend.pool(request["UserPoolId"]))
