"""Point-in-time recovery of a pool's user data: Initiate/Describe/Start/Cancel/
ListPointInTimeRecoveries, and the guard that pauses writes while a recovery is active.

Statuses move with the mock's clock: PREVIEW_GENERATING becomes PREVIEW_GENERATED after
PREVIEW_SECONDS; Start restores at once and stays RESTORING for RESTORE_SECONDS; a preview neither
started nor cancelled within 24 hours of initiation expires. Writes to user data are refused with
OperationNotEnabledException while a recovery is generating, generated or restoring.
"""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel import guards
from cognito_mock.backend.kernel.operation_kinds import declares, writes_user_data
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.recovery.history import Restoration, recovery_of, tier_since
from cognito_mock.backend.recovery.restore import apply, plan, preview
from cognito_mock.errors import (
    ConcurrentModificationException,
    FeatureUnavailableInTierException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)

__all__ = ["ACTIVE", "PREVIEW_SECONDS", "RESTORE_SECONDS"]

GUARD = "recovery"
PREVIEW_SECONDS = 60.0
RESTORE_SECONDS = 60.0
_DAY = 86400.0
_EXPIRY = _DAY  # a preview not started or cancelled within 24 hours of initiation expires
_MIN_AGE = 15 * 60.0
_WINDOWS = {"ESSENTIALS": _DAY, "PLUS": 14 * _DAY}
ACTIVE = frozenset({"PREVIEW_GENERATING", "PREVIEW_GENERATED", "RESTORING"})
_PREVIEWED = frozenset({"PREVIEW_GENERATED", "RESTORING", "RESTORE_COMPLETED"})
# Quotas (API reference, InitiatePointInTimeRecovery).
_ACTIVE_PER_ACCOUNT = 5
_PREVIEWS_PER_DAY = 3
_PREVIEWS_PER_30_DAYS = 10
_PREVIEWS_PER_ACCOUNT_DAY = 10
# Unpublished texts, each restating the documented rule.
TIER = "Point-in-time recovery requires the Essentials or Plus feature plan."
TOO_RECENT = "The recovery point must be at least 15 minutes in the past."
BEFORE_POOL = "The recovery point can't be earlier than the creation time of the user pool."
TOO_OLD = "The recovery point can't be more than 14 days in the past."
NEEDS_PLUS = "Recovering to a point more than 1 day in the past requires the Plus feature plan."
PLAN_SINCE = "The user pool must have been on the {} feature plan since the recovery point."
BUSY = "User pool {} already has an active point-in-time recovery: {}."
ONE_A_DAY = "You can complete one recovery of a user pool in a 24-hour period."
PREVIEWS_DAY = "You can create up to three recovery previews of a user pool in a 24-hour period."
PREVIEWS_MONTH = "You can create up to ten recovery previews of a user pool in a 30-day period."
ACCOUNT_ACTIVE = "An AWS account can have up to five active recoveries at a time."
ACCOUNT_PREVIEWS = (
    "You can create up to ten recovery previews in an AWS account in a 24-hour period."
)
NOT_FOUND = "Point-in-time recovery {} does not exist for user pool {}."
CANT_START = "Recovery {} is {}: you can start a recovery when its status is PREVIEW_GENERATED."
CANT_CANCEL = (
    "Recovery {} is {}: you can cancel a recovery when its status is PREVIEW_GENERATING or "
    "PREVIEW_GENERATED."
)
PAUSED = "Write operations are paused in user pool {} while point-in-time recovery {} is {}."


def _advance(restoration: Restoration, now: float) -> None:
    """Move a recovery along the mock's clock."""
    status = restoration.status
    if status in ("PREVIEW_GENERATING", "PREVIEW_GENERATED"):
        if now >= restoration.triggered + _EXPIRY:
            restoration.status = "PREVIEW_EXPIRED"
        elif now >= restoration.preview_ready:
            restoration.status = "PREVIEW_GENERATED"
    elif status == "RESTORING" and now >= (restoration.completes or now):
        restoration.status = "RESTORE_COMPLETED"


def _restorations(backend: Backend, pool: UserPool) -> list[Restoration]:
    found = pool.recovery.restorations if pool.recovery else []
    now = backend.clock.now()
    for restoration in found:
        _advance(restoration, now)
    return found


def _active(backend: Backend, pool: UserPool) -> Restoration | None:
    return next((r for r in _restorations(backend, pool) if r.status in ACTIVE), None)


@guards.guard(GUARD)
def _paused(backend: Backend, pool: UserPool, op: str, request: dict[str, Any]) -> None:
    """While a recovery is active, writes to user data wait (reads and sign-in go on)."""
    active = _active(backend, pool)
    if active is None:
        guards.disarm(backend, pool, GUARD)
        return
    if writes_user_data(op, request) and declares(op, "OperationNotEnabledException"):
        raise OperationNotEnabledException(PAUSED.format(pool.id, active.restore_id, active.status))


def _view(restoration: Restoration) -> dict[str, Any]:
    view: dict[str, Any] = {
        "RestoreId": restoration.restore_id,
        "RestoreStatus": restoration.status,
        "RestoreTimestamp": restoration.restore_at,
        "TriggerTimestamp": restoration.triggered,
    }
    if restoration.status in _PREVIEWED:
        view["RestorePreview"] = [dict(item) for item in restoration.preview]
    return view


def _require_tier(pool: UserPool) -> None:
    if pool.settings.get("UserPoolTier", "ESSENTIALS") == "LITE":
        raise FeatureUnavailableInTierException(TIER)


def _check_point(pool: UserPool, at: float, now: float) -> None:
    if at > now - _MIN_AGE:
        raise InvalidParameterException(TOO_RECENT)
    if at < pool.created:
        raise InvalidParameterException(BEFORE_POOL)
    if at < now - _WINDOWS["PLUS"]:
        raise InvalidParameterException(TOO_OLD)
    needed = "PLUS" if at < now - _WINDOWS["ESSENTIALS"] else "ESSENTIALS"
    if pool.settings.get("UserPoolTier", "ESSENTIALS") != "PLUS" and needed == "PLUS":
        raise FeatureUnavailableInTierException(NEEDS_PLUS)
    held = tier_since(pool, at)
    if held == "LITE" or (needed == "PLUS" and held != "PLUS"):
        raise FeatureUnavailableInTierException(PLAN_SINCE.format(needed.capitalize()))


def _check_quotas(backend: Backend, pool: UserPool, now: float) -> None:
    own = _restorations(backend, pool)
    active = next((r for r in own if r.status in ACTIVE), None)
    if active is not None:
        raise ConcurrentModificationException(BUSY.format(pool.id, active.restore_id))
    if any(r.completes is not None and r.completes > now - _DAY for r in own):
        raise LimitExceededException(ONE_A_DAY)
    if sum(r.triggered > now - _DAY for r in own) >= _PREVIEWS_PER_DAY:
        raise LimitExceededException(PREVIEWS_DAY)
    if sum(r.triggered > now - 30 * _DAY for r in own) >= _PREVIEWS_PER_30_DAYS:
        raise LimitExceededException(PREVIEWS_MONTH)
    account = [r for p in backend.pools.values() for r in _restorations(backend, p)]
    if sum(r.status in ACTIVE for r in account) >= _ACTIVE_PER_ACCOUNT:
        raise LimitExceededException(ACCOUNT_ACTIVE)
    if sum(r.triggered > now - _DAY for r in account) >= _PREVIEWS_PER_ACCOUNT_DAY:
        raise LimitExceededException(ACCOUNT_PREVIEWS)


def _find(backend: Backend, pool: UserPool, restore_id: str) -> Restoration:
    for restoration in _restorations(backend, pool):
        if restoration.restore_id == restore_id:
            return restoration
    raise ResourceNotFoundException(NOT_FOUND.format(restore_id, pool.id))


@operation("InitiatePointInTimeRecovery")
def initiate_point_in_time_recovery(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    now = backend.clock.now()
    at = float(request["RestoreTimestamp"])
    _check_point(pool, at, now)
    _check_quotas(backend, pool, now)
    # Checked; the preview is computed now (writes are paused from here on, so it stays true).
    restoration = Restoration(
        restore_id=backend.ids.uuid4(),
        status="PREVIEW_GENERATING",
        restore_at=at,
        triggered=now,
        preview_ready=now + PREVIEW_SECONDS,
        preview=preview(plan(pool, at)),
    )
    recovery_of(pool).restorations.append(restoration)
    guards.arm(backend, pool, GUARD)
    return {"Restoration": _view(restoration)}


@operation("DescribePointInTimeRecovery")
def describe_point_in_time_recovery(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    return {"Restoration": _view(_find(backend, pool, request["RestoreId"]))}


@operation("StartPointInTimeRecovery")
def start_point_in_time_recovery(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    restoration = _find(backend, pool, request["RestoreId"])
    if restoration.status != "PREVIEW_GENERATED":
        raise InvalidParameterException(
            CANT_START.format(restoration.restore_id, restoration.status)
        )
    now = backend.clock.now()
    apply(backend, pool, restoration.restore_at)
    restoration.status = "RESTORING"
    restoration.completes = now + RESTORE_SECONDS
    return {"Restoration": _view(restoration)}


@operation("CancelPointInTimeRecovery")
def cancel_point_in_time_recovery(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    restoration = _find(backend, pool, request["RestoreId"])
    if restoration.status not in ("PREVIEW_GENERATING", "PREVIEW_GENERATED"):
        raise InvalidParameterException(
            CANT_CANCEL.format(restoration.restore_id, restoration.status)
        )
    restoration.status = "PREVIEW_CANCELLED"
    restoration.preview = []  # discarded
    guards.disarm(backend, pool, GUARD)
    return {"Restoration": _view(restoration)}


@operation("ListPointInTimeRecoveries")
def list_point_in_time_recoveries(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Newest first, without previews."""
    pool = backend.pool(request["UserPoolId"])
    _require_tier(pool)
    found = list(enumerate(_restorations(backend, pool)))[::-1]
    keys = [-index for index, _ in found]
    items = [r for _, r in found]
    limit = request.get("MaxResults", 60)
    page, token = page_after(keys, items, limit, request.get("NextToken"), "restorations")
    result: dict[str, Any] = {
        "Restorations": [
            {"RestoreId": r.restore_id, "RestoreStatus": r.status, "RestoreTimestamp": r.restore_at}
            for r in page
        ]
    }
    if token:
        result["NextToken"] = token
    return result
