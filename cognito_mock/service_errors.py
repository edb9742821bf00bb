"""Service errors: `ServiceError` and one class per error shape of the API model, named by its
AWS error code. Re-exported by `cognito_mock.errors`, where users import them."""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessDeniedException",
    "AliasExistsException",
    "CachedCIMDURLDoesNotExistException",
    "CodeDeliveryFailureException",
    "CodeMismatchException",
    "ConcurrentModificationException",
    "DeviceKeyExistsException",
    "DuplicateProviderException",
    "EnableSoftwareTokenMFAException",
    "ExpiredCodeException",
    "FeatureUnavailableInTierException",
    "ForbiddenException",
    "GroupExistsException",
    "InternalErrorException",
    "InternalServerException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidOAuthFlowException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "InvalidUserPoolConfigurationException",
    "LimitExceededException",
    "MFAMethodNotFoundException",
    "ManagedLoginBrandingExistsException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordHistoryPolicyViolationException",
    "PasswordResetRequiredException",
    "PreconditionNotMetException",
    "RefreshTokenReuseException",
    "ResourceNotFoundException",
    "ScopeDoesNotExistException",
    "SerializationException",
    "ServiceError",
    "ServiceQuotaExceededException",
    "SoftwareTokenMFANotFoundException",
    "TermsExistsException",
    "TierChangeNotAllowedException",
    "TooManyFailedAttemptsException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnexpectedLambdaException",
    "UnsupportedIdentityProviderException",
    "UnsupportedOperationException",
    "UnsupportedTokenTypeException",
    "UnsupportedUserStateException",
    "UserImportInProgressException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UserPoolAddOnNotEnabledException",
    "UserPoolTaggingException",
    "UsernameExistsException",
    "WebAuthnChallengeNotFoundException",
    "WebAuthnClientMismatchException",
    "WebAuthnConfigurationMissingException",
    "WebAuthnCredentialNotSupportedException",
    "WebAuthnNotEnabledException",
    "WebAuthnOriginNotAllowedException",
    "WebAuthnRelyingPartyMismatchException",
    "service_error_class",
]


class ServiceError(Exception):
    """An error the real service would return; `code` is its AWS error code (the class name)."""

    status: int = 400

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    @property
    def code(self) -> str:
        return type(self).__name__

    def to_wire(self) -> dict[str, Any]:
        """The JSON 1.1 error body (`__type`, `message`, plus modelled members such as reasonCode)."""
        return {"__type": self.code, "message": self.message, **self.fields}

    def __repr__(self) -> str:
        return f"{self.code}({self.message!r})"


class AccessDeniedException(ServiceError):
    pass


class AliasExistsException(ServiceError):
    pass


class CachedCIMDURLDoesNotExistException(ServiceError):
    pass


class CodeDeliveryFailureException(ServiceError):
    pass


class CodeMismatchException(ServiceError):
    pass


class ConcurrentModificationException(ServiceError):
    pass


class DeviceKeyExistsException(ServiceError):
    pass


class DuplicateProviderException(ServiceError):
    pass


class EnableSoftwareTokenMFAException(ServiceError):
    pass


class ExpiredCodeException(ServiceError):
    pass


class FeatureUnavailableInTierException(ServiceError):
    pass


class ForbiddenException(ServiceError):
    status = 403


class GroupExistsException(ServiceError):
    pass


class InternalErrorException(ServiceError):
    status = 500


class InternalServerException(ServiceError):
    status = 500


class InvalidEmailRoleAccessPolicyException(ServiceError):
    pass


class InvalidLambdaResponseException(ServiceError):
    pass


class InvalidOAuthFlowException(ServiceError):
    pass


class InvalidParameterException(ServiceError):
    pass


class InvalidPasswordException(ServiceError):
    pass


class InvalidSmsRoleAccessPolicyException(ServiceError):
    pass


class InvalidSmsRoleTrustRelationshipException(ServiceError):
    pass


class InvalidUserPoolConfigurationException(ServiceError):
    pass


class LimitExceededException(ServiceError):
    pass


class MFAMethodNotFoundException(ServiceError):
    pass


class ManagedLoginBrandingExistsException(ServiceError):
    pass


class NotAuthorizedException(ServiceError):
    pass


class OperationNotEnabledException(ServiceError):
    pass


class PasswordHistoryPolicyViolationException(ServiceError):
    pass


class PasswordResetRequiredException(ServiceError):
    pass


class PreconditionNotMetException(ServiceError):
    pass


class RefreshTokenReuseException(ServiceError):
    pass


class ResourceNotFoundException(ServiceError):
    pass


class ScopeDoesNotExistException(ServiceError):
    pass


class SerializationException(ServiceError):
    """The JSON 1.1 protocol's own error, in no operation's error list: the body did not
    deserialize into the operation's input shape (a wrong JSON type, an unpaired surrogate, ...).
    Raised before the operation runs (`cognito_mock.validation.deserialize`)."""


class ServiceQuotaExceededException(ServiceError):
    pass


class SoftwareTokenMFANotFoundException(ServiceError):
    pass


class TermsExistsException(ServiceError):
    pass


class TierChangeNotAllowedException(ServiceError):
    pass


class TooManyFailedAttemptsException(ServiceError):
    pass


class TooManyRequestsException(ServiceError):
    status = 429


class UnauthorizedException(ServiceError):
    status = 401


class UnexpectedLambdaException(ServiceError):
    pass


class UnsupportedIdentityProviderException(ServiceError):
    pass


class UnsupportedOperationException(ServiceError):
    pass


class UnsupportedTokenTypeException(ServiceError):
    pass


class UnsupportedUserStateException(ServiceError):
    pass


class UserImportInProgressException(ServiceError):
    pass


class UserLambdaValidationException(ServiceError):
    pass


class UserNotConfirmedException(ServiceError):
    pass


class UserNotFoundException(ServiceError):
    pass


class UserPoolAddOnNotEnabledException(ServiceError):
    pass


class UserPoolTaggingException(ServiceError):
    pass


class UsernameExistsException(ServiceError):
    pass


class WebAuthnChallengeNotFoundException(ServiceError):
    pass


class WebAuthnClientMismatchException(ServiceError):
    pass


class WebAuthnConfigurationMissingException(ServiceError):
    pass


class WebAuthnCredentialNotSupportedException(ServiceError):
    pass


class WebAuthnNotEnabledException(ServiceError):
    pass


class WebAuthnOriginNotAllowedException(ServiceError):
    pass


class WebAuthnRelyingPartyMismatchException(ServiceError):
    pass


_BY_CODE: dict[str, type[ServiceError]] = {
    cls.__name__: cls for cls in ServiceError.__subclasses__()
}
# Users import these from `cognito_mock.errors`: tracebacks and reprs say so too.
for _cls in (ServiceError, *_BY_CODE.values()):
    _cls.__module__ = "cognito_mock.errors"


def service_error_class(code: str) -> type[ServiceError]:
    """The class for an AWS error code; KeyError if neither the model nor the protocol has it."""
    return _BY_CODE[code]
