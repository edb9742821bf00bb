"""User pool replicas (multi-Region replication): Create/List/Update/DeleteUserPoolReplica, and the
guard that gives a secondary Region its role.

A replica is the same pool record reachable from another Region's backend of the same account:
every write in the primary is at once visible in the secondary (the service replicates
asynchronously; a fake that is always caught up is the one behaviour tests can rely on). Tokens
are signed with the pool's keys wherever they are issued, so they verify in either Region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.kernel import guards
from cognito_mock.backend.kernel.operation_kinds import (
    END_USER,
    declares,
    is_read,
    writes_user_data,
)
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)

__all__ = ["Replica", "Replication", "region_arn"]

GUARD = "replica"
MAX_SECONDARIES = 1  # one secondary Region per user pool (developer guide)
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
# Replica-specific settings a secondary may change, besides every administrator read.
_SECONDARY_CONFIG = frozenset(
    {"UpdateUserPoolReplica", "TagResource", "UntagResource", "SetLogDeliveryConfiguration"}
)
# Unpublished texts; each names what to do instead.
SAME_REGION = "The replica Region {} is the user pool's primary Region."
BAD_REGION = "Invalid Region name: {}"
OTHER_PARTITION = "The Region {} is not in the partition of the user pool's primary Region {}."
TIER = "Multi-Region replication requires the Essentials or Plus feature plan."
NEEDS_KEY = (
    "Multi-Region replication requires a multi-Region customer managed KMS key: set "
    "KeyConfiguration to CUSTOMER_MANAGED_KEY with the ARN of a multi-Region (mrk-) key."
)
TOO_MANY = "User pool {} already has a secondary replica: a user pool can have one."
EXISTS = "User pool {} already has a replica in {}."
NO_REPLICA = "User pool {} has no replica in {}."
PRIMARY_STATUS = "The status of the primary replica ({}) cannot be changed."
DELETE_ACTIVE = "Replica {} of user pool {} is {}: only an INACTIVE replica can be deleted."
DELETE_PRIMARY = "The primary replica ({}) cannot be deleted: delete the user pool instead."
INACTIVE = (
    "The replica of user pool {} in {} is INACTIVE: it accepts end-user requests once it is "
    "ACTIVE (UpdateUserPoolReplica)."
)
SECONDARY = (
    "{} is not supported in a secondary replica Region ({}) of user pool {}: call it in the "
    "primary Region {}."
)


@dataclass
class Replica:
    """One secondary Region of a pool."""

    region: str
    status: str  # ACTIVE or INACTIVE
    created: float
    tags: dict[str, str] = field(default_factory=dict)  # kept per replica, not shared


@dataclass
class Replication:
    """A replicated pool (`UserPool.replication`): its primary Region and its secondaries."""

    primary: str
    replicas: dict[str, Replica] = field(default_factory=dict)


def region_arn(pool: UserPool, region: str) -> str:
    """The pool's ARN as seen in `region` (the same pool id; the Region part differs)."""
    parts = pool.arn.split(":")
    parts[3] = region
    return ":".join(parts)


def _partition(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else (
        "aws-us-gov" if region.startswith("us-gov-") else "aws"
    )  # fmt: skip


def _view(pool: UserPool, region: str, status: str, role: str) -> dict[str, Any]:
    return {
        "RegionName": region,
        "Status": status,
        "Role": role,
        "UserPoolArn": region_arn(pool, region),
    }


def _primary(backend: Backend, pool: UserPool) -> str:
    return pool.replication.primary if pool.replication else backend.region


def _secondary(backend: Backend, pool: UserPool, region: str) -> Replica:
    replica = pool.replication.replicas.get(region) if pool.replication else None
    if replica is None:
        raise ResourceNotFoundException(NO_REPLICA.format(pool.id, region))
    return replica


@guards.guard(GUARD)
def _secondary_role(backend: Backend, pool: UserPool, op: str, request: dict[str, Any]) -> None:
    """In a secondary Region: administrator reads and replica settings always; end-user calls
    that change no user data while the replica is ACTIVE; nothing else."""
    replication = pool.replication
    if replication is None or backend.region == replication.primary:
        return
    replica = replication.replicas.get(backend.region)
    if replica is None or is_read(op) or op in _SECONDARY_CONFIG:
        return
    if not declares(op, "OperationNotEnabledException"):
        return  # the model gives this operation no way to refuse
    if op in END_USER and not writes_user_data(op, request):
        if replica.status == "ACTIVE":
            return
        raise OperationNotEnabledException(INACTIVE.format(pool.id, backend.region))
    raise OperationNotEnabledException(
        SECONDARY.format(op, backend.region, pool.id, replication.primary)
    )


@operation("CreateUserPoolReplica")
def create_user_pool_replica(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    region = request["RegionName"]
    primary = _primary(backend, pool)
    if region == primary:
        raise InvalidParameterException(SAME_REGION.format(region))
    if not _REGION.match(region):
        raise InvalidParameterException(BAD_REGION.format(region))
    if _partition(region) != _partition(primary):
        raise InvalidParameterException(OTHER_PARTITION.format(region, primary))
    if pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(TIER)
    key = pool.settings.get("KeyConfiguration") or {}
    if key.get("KeyType") != "CUSTOMER_MANAGED_KEY" or ":key/mrk-" not in str(
        key.get("KmsKeyArn", "")
    ):
        raise InvalidParameterException(NEEDS_KEY)
    replication = pool.replication or Replication(primary=primary)
    if region in replication.replicas:
        raise InvalidParameterException(EXISTS.format(pool.id, region))
    if len(replication.replicas) >= MAX_SECONDARIES:
        raise LimitExceededException(TOO_MANY.format(pool.id))
    # Checked; now replicate: the other Region's backend serves this very pool record.
    target = backend.in_region(region)
    now = backend.clock.now()
    replica = Replica(region, "INACTIVE", now, dict(request.get("UserPoolTags") or {}))
    replication.replicas[region] = replica
    pool.replication = replication
    target.pools[pool.id] = pool
    guards.arm(backend, pool, GUARD)
    return {"UserPoolReplica": _view(pool, region, replica.status, "SECONDARY")}


@operation("ListUserPoolReplicas")
def list_user_pool_replicas(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    primary = _primary(backend, pool)
    views = [_view(pool, primary, "ACTIVE", "PRIMARY")]
    if pool.replication is not None:
        for region in sorted(pool.replication.replicas):
            views.append(_view(pool, region, pool.replication.replicas[region].status, "SECONDARY"))
    keys = [[0 if v["Role"] == "PRIMARY" else 1, v["RegionName"]] for v in views]
    page, token = page_after(keys, views, 60, request.get("NextToken"), "replicas")
    result: dict[str, Any] = {"UserPoolReplicas": page}
    if token:
        result["NextToken"] = token
    return result


@operation("UpdateUserPoolReplica")
def update_user_pool_replica(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    region = request["RegionName"]
    if region == _primary(backend, pool):
        raise InvalidParameterException(PRIMARY_STATUS.format(region))
    replica = _secondary(backend, pool, region)
    replica.status = request["Status"]
    return {"UserPoolReplica": _view(pool, region, replica.status, "SECONDARY")}


@operation("DeleteUserPoolReplica")
def delete_user_pool_replica(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Only from the primary Region (the guard refuses it elsewhere), only an INACTIVE secondary."""
    pool = backend.pool(request["UserPoolId"])
    region = request["RegionName"]
    if region == _primary(backend, pool):
        raise InvalidParameterException(DELETE_PRIMARY.format(region))
    replica = _secondary(backend, pool, region)
    if replica.status != "INACTIVE":
        raise InvalidParameterException(DELETE_ACTIVE.format(region, pool.id, replica.status))
    assert pool.replication is not None
    del pool.replication.replicas[region]
    target = backend.in_region(region)
    if target.pools.get(pool.id) is pool:
        del target.pools[pool.id]
    if not pool.replication.replicas:
        pool.replication = None
        guards.disarm(backend, pool, GUARD)
    return {"UserPoolReplica": _view(pool, region, "DELETING", "SECONDARY")}
