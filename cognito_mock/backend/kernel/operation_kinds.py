"""What each operation does to a pool, as the pool-wide rules need to know it: which operations
write user data (paused by a point-in-time recovery, refused in a secondary replica), which are
end-user calls, which only read. Shared by pool_config/replicas.py and recovery/."""

from __future__ import annotations

from typing import Any

from cognito_mock.shapes import operation as operation_spec

__all__ = [
    "END_USER",
    "PAUSED_CHALLENGES",
    "USER_WRITES",
    "declares",
    "is_read",
    "writes_user_data",
]

# Operations that create, change or delete users, their attributes, passwords, group membership,
# MFA settings or passkeys, and groups themselves: the data a point-in-time recovery restores.
USER_WRITES = frozenset(
    {
        "AdminAddUserToGroup", "AdminConfirmSignUp", "AdminCreateUser", "AdminDeleteSoftwareToken",
        "AdminDeleteUser", "AdminDeleteUserAttributes", "AdminDisableProviderForUser",
        "AdminDisableUser", "AdminEnableUser", "AdminLinkProviderForUser",
        "AdminRemoveUserFromGroup", "AdminResetUserPassword", "AdminSetUserMFAPreference",
        "AdminSetUserPassword", "AdminSetUserSettings", "AdminUpdateUserAttributes",
        "AssociateSoftwareToken", "ChangePassword", "CompleteWebAuthnRegistration",
        "ConfirmForgotPassword", "ConfirmSignUp", "CreateGroup", "CreateUserImportJob",
        "DeleteGroup", "DeleteUser", "DeleteUserAttributes", "DeleteWebAuthnCredential",
        "ForgotPassword", "SetUserMFAPreference", "SetUserSettings", "SignUp",
        "StartUserImportJob", "StartWebAuthnRegistration", "UpdateGroup", "UpdateUserAttributes",
        "VerifySoftwareToken", "VerifyUserAttribute",
    }
)  # fmt: skip
# Sign-in challenges whose answer changes the user (a new password, an MFA set up) or that the
# documentation names as blocked while a recovery runs (TOTP codes).
PAUSED_CHALLENGES = frozenset({"NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SOFTWARE_TOKEN_MFA"})
_CHALLENGE_ANSWERS = frozenset({"RespondToAuthChallenge", "AdminRespondToAuthChallenge"})
# Calls an application makes for its users (sign-in, tokens, self-service reads, devices).
END_USER = frozenset(
    {
        "AdminInitiateAuth", "AdminRespondToAuthChallenge", "ConfirmDevice", "ForgetDevice",
        "GetClientToken", "GetDerivedToken", "GetDevice", "GetTokensFromRefreshToken", "GetUser",
        "GetUserAttributeVerificationCode", "GetUserAuthFactors", "GlobalSignOut", "InitiateAuth",
        "ListDevices", "ListUserSessions", "ListWebAuthnCredentials", "ResendConfirmationCode",
        "RespondToAuthChallenge", "RevokeToken", "RevokeUserSession", "UpdateAuthEventFeedback",
        "UpdateDeviceStatus",
    }
)  # fmt: skip
_READ_PREFIXES = ("Describe", "List", "Get", "AdminGet", "AdminList")


def writes_user_data(operation: str, request: dict[str, Any]) -> bool:
    """Whether the call changes the data a recovery restores (answering a challenge only when the
    challenge is one of PAUSED_CHALLENGES)."""
    if operation in _CHALLENGE_ANSWERS:
        return request.get("ChallengeName") in PAUSED_CHALLENGES
    return operation in USER_WRITES


def is_read(operation: str) -> bool:
    """An administrator's read (Describe*, List*, Get*), not an end-user call."""
    return operation.startswith(_READ_PREFIXES) and operation not in END_USER


def declares(operation: str, error: str) -> bool:
    """Whether the model lets `operation` answer with `error` (a guard may not send others)."""
    return error in operation_spec(operation).errors
