"""Threat protection settings: the add-on and tier gates, SetRiskConfiguration and
DescribeRiskConfiguration (pool-wide defaults with per-client overrides)."""

from __future__ import annotations

import ipaddress
from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import require_client
from cognito_mock.errors import InvalidParameterException, UserPoolAddOnNotEnabledException

__all__ = [
    "ADD_ON_NOT_ENABLED",
    "effective_risk_configuration",
    "require_threat_protection",
    "threat_protection_mode",
    "tier",
]

ADD_ON_NOT_ENABLED = "Advanced security features are not enabled for this user pool."
POOL = "ALL"  # key of the pool-wide configuration
ALL_EVENTS = ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"]  # EventFilter's documented default
_TAKEOVER_LEVELS = ("LowAction", "MediumAction", "HighAction")


def tier(pool: UserPool) -> str:
    """The pool's feature plan: LITE, ESSENTIALS or PLUS."""
    return str(pool.settings.get("UserPoolTier") or "ESSENTIALS")


def threat_protection_mode(pool: UserPool) -> str:
    """UserPoolAddOns.AdvancedSecurityMode: OFF, AUDIT or ENFORCED."""
    add_ons = pool.settings.get("UserPoolAddOns") or {}
    return str(add_ons.get("AdvancedSecurityMode") or "OFF")


def require_threat_protection(pool: UserPool) -> None:
    """Risk settings and auth events exist only while threat protection is AUDIT or ENFORCED."""
    if threat_protection_mode(pool) == "OFF":
        raise UserPoolAddOnNotEnabledException(ADD_ON_NOT_ENABLED)


def _store(pool: UserPool) -> dict[str, dict[str, Any]]:
    return pool.risk_configuration


def _check_ranges(exceptions: dict[str, Any]) -> None:
    for member in ("BlockedIPRangeList", "SkippedIPRangeList"):
        for value in exceptions.get(member) or []:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise InvalidParameterException(
                    f"{value} in {member} is not a valid IP address range in CIDR notation."
                ) from None


def _check_takeover(takeover: dict[str, Any]) -> None:
    actions = takeover.get("Actions") or {}
    notifies = any((actions.get(level) or {}).get("Notify") for level in _TAKEOVER_LEVELS)
    if notifies and not takeover.get("NotifyConfiguration"):
        raise InvalidParameterException(
            "NotifyConfiguration is required when an account takeover action notifies users."
        )
    notify = takeover.get("NotifyConfiguration") or {}
    for template in ("BlockEmail", "NoActionEmail", "MfaEmail"):
        email = notify.get(template)
        if email is not None and not (email.get("HtmlBody") or email.get("TextBody")):
            raise InvalidParameterException(
                f"{template} needs an HtmlBody or a TextBody for the notification message."
            )


def _view(pool: UserPool, entry: dict[str, Any] | None) -> dict[str, Any]:
    if entry is None:
        return {"UserPoolId": pool.id}
    return {"UserPoolId": pool.id, **clone(entry)}


def effective_risk_configuration(pool: UserPool, client_id: str | None) -> dict[str, Any] | None:
    """The configuration that governs a client: its own, else the pool's (None: the defaults)."""
    store = _store(pool)
    return store.get(client_id or POOL) or store.get(POOL)


@operation("SetRiskConfiguration")
def set_risk_configuration(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request.get("ClientId")
    if client_id:
        require_client(backend, pool.id, client_id)
    require_threat_protection(pool)
    members = (
        "CompromisedCredentialsRiskConfiguration",
        "AccountTakeoverRiskConfiguration",
        "RiskExceptionConfiguration",
    )
    given = {m: clone(request[m]) for m in members if m in request}
    if "RiskExceptionConfiguration" in given:
        _check_ranges(given["RiskExceptionConfiguration"])
    if "AccountTakeoverRiskConfiguration" in given:
        _check_takeover(given["AccountTakeoverRiskConfiguration"])
    compromised = given.get("CompromisedCredentialsRiskConfiguration")
    if compromised is not None and not compromised.get("EventFilter"):
        compromised["EventFilter"] = list(ALL_EVENTS)
    store = _store(pool)
    key = client_id or POOL
    if not given:
        # Only the ids: a pool returns to the defaults, a client inherits the pool's again.
        store.pop(key, None)
        view = _view(pool, effective_risk_configuration(pool, client_id))
        if client_id:
            view["ClientId"] = client_id
        return {"RiskConfiguration": view}
    entry = {**({"ClientId": client_id} if client_id else {}), **given}
    entry["LastModifiedDate"] = backend.clock.now()
    store[key] = entry
    return {"RiskConfiguration": _view(pool, entry)}


@operation("DescribeRiskConfiguration")
def describe_risk_configuration(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client_id = request.get("ClientId")
    if client_id:
        require_client(backend, pool.id, client_id)
    require_threat_protection(pool)
    view = _view(pool, effective_risk_configuration(pool, client_id))
    if client_id:
        view["ClientId"] = client_id
    return {"RiskConfiguration": view}
