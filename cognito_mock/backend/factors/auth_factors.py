"""The user's authentication factors (GetUserAuthFactors, AdminGetUserAuthFactors): what choice-based
sign-in (USER_AUTH) and MFA can offer them."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.users import mfa_settings, require_user
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.verify import authenticate_access_token

__all__ = ["auth_factors"]

# Factor order as the model's AuthFactorType enum lists them.
_FACTOR_ORDER = ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "SOFTWARE_TOKEN")
# First factor -> the verified attribute it delivers codes to; MFA setting -> the factor it is.
_OTP_TARGETS = {"EMAIL_OTP": "email_verified", "SMS_OTP": "phone_number_verified"}
_MFA_FACTORS = {
    "EMAIL_OTP": "EMAIL_OTP",
    "SMS_MFA": "SMS_OTP",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN",
}


def auth_factors(pool: UserPool, user: User) -> dict[str, Any]:
    """GetUserAuthFactors' answer: MFA preference and settings, and the USER_AUTH factors.

    A factor is configured when the user can use it: PASSWORD with a password set; EMAIL_OTP /
    SMS_OTP as a first factor the pool allows with the verified email / phone, or as an activated
    MFA method; SOFTWARE_TOKEN as activated TOTP MFA; WEB_AUTHN with a registered passkey (kept by
    the WebAuthn concern in `user.passkeys`).
    """
    result: dict[str, Any] = {"Username": user.username}
    settings = mfa_settings(user)
    result.update(
        {k: settings[k] for k in ("PreferredMfaSetting", "UserMFASettingList") if k in settings}
    )
    enabled = settings.get("UserMFASettingList", [])
    policy = (pool.settings.get("Policies") or {}).get("SignInPolicy") or {}
    first = set(policy.get("AllowedFirstAuthFactors") or ["PASSWORD"])
    factors = {_MFA_FACTORS[name] for name in enabled if name in _MFA_FACTORS}
    if user.password is not None:
        factors.add("PASSWORD")
    for factor, flag in _OTP_TARGETS.items():
        if factor in first and user.attributes.get(flag) == "true":
            factors.add(factor)
    if user._passkeys is not None and user.passkeys.credentials:
        factors.add("WEB_AUTHN")
    result["ConfiguredUserAuthFactors"] = [f for f in _FACTOR_ORDER if f in factors]
    return result


@operation("GetUserAuthFactors")
def get_user_auth_factors(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, user, _ = authenticate_access_token(backend, request["AccessToken"])
    return auth_factors(pool, user)


@operation("AdminGetUserAuthFactors")
def admin_get_user_auth_factors(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return auth_factors(pool, require_user(pool, request["Username"]))
