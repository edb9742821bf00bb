"""Provisioned API rate limits per (account, region): GetProvisionedLimit, UpdateProvisionedLimit.

The mock stores and reports the provisioned rate of each API category; it does not throttle calls
(it has no request-rate model: throttling is only what `mock.faults` injects).
"""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    InvalidParameterException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
)

__all__ = ["DEFAULT_RPS", "MAX_FACTOR", "provisioned_rps"]

# Default (free) requests per second of each API category (Cognito quotas page).
DEFAULT_RPS: dict[str, int] = {
    "UserAuthentication": 120,
    "UserCreation": 50,
    "UserFederation": 25,
    "UserAccountRecovery": 30,
    "UserRead": 120,
    "UserUpdate": 25,
    "UserToken": 120,
    "UserResourceRead": 50,
    "UserResourceUpdate": 25,
    "UserList": 30,
    "UserPoolRead": 15,
    "UserPoolUpdate": 15,
    "UserPoolResourceRead": 20,
    "UserPoolResourceUpdate": 15,
    "UserPoolClientRead": 15,
    "UserPoolClientUpdate": 15,
    "ClientAuthentication": 150,
}
# The account-level maximum lives in Service Quotas, which the mock does not have: it allows up to
# ten times the default rate.
MAX_FACTOR = 10
_CLASS = "API_CATEGORY"


def _store(backend: Backend) -> dict[str, int]:
    # Limits belong to the account in a region, not to a pool: keyed by both in mock-wide state.
    return backend.services.provisioned_limits.setdefault(
        f"{backend.account_id}/{backend.region}", {}
    )


def provisioned_rps(backend: Backend, category: str) -> int:
    """The rate provisioned for `category` (its default until UpdateProvisionedLimit raised it)."""
    return _store(backend).get(category, DEFAULT_RPS[category])


def _category(definition: dict[str, Any]) -> str:
    attributes = definition["Attributes"]
    category = attributes.get("Category")
    if category is None or set(attributes) != {"Category"}:
        raise InvalidParameterException(
            f"Attributes of a limit of class {_CLASS} must contain exactly one key: Category."
        )
    if category not in DEFAULT_RPS:
        raise ResourceNotFoundException(f"Limit for API category {category} does not exist.")
    return str(category)


def _view(backend: Backend, category: str) -> dict[str, Any]:
    return {
        "LimitDefinition": {"LimitClass": _CLASS, "Attributes": {"Category": category}},
        "ProvisionedLimitValue": provisioned_rps(backend, category),
        "FreeLimitValue": DEFAULT_RPS[category],
    }


@operation("GetProvisionedLimit")
def get_provisioned_limit(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"Limit": _view(backend, _category(request["LimitDefinition"]))}


@operation("UpdateProvisionedLimit")
def update_provisioned_limit(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    category = _category(request["LimitDefinition"])
    value = request["RequestedLimitValue"]
    default = DEFAULT_RPS[category]
    if value < default:
        raise InvalidParameterException(
            f"RequestedLimitValue {value} for {category} is below the default limit of {default}."
        )
    maximum = default * MAX_FACTOR
    if value > maximum:
        raise ServiceQuotaExceededException(
            f"RequestedLimitValue {value} for {category} exceeds the account maximum of "
            f"{maximum}. Request a quota increase in Service Quotas."
        )
    _store(backend)[category] = value
    return {"Limit": _view(backend, category)}
