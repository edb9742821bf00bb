"""The history point-in-time recovery reads, kept per pool as an undo log: just before a write
changes a user or a group, a copy of it as it was (its before-image) is noted with the instant.

The state of an entity at time T is the before-image of the first write after T (nothing written
since: it is as it is now); an entity created after T did not exist. Entities are noted at most
once per clock instant, only by writes (creations need no note: their creation time tells), and
only in pools whose feature plan offers recovery (Essentials, Plus): a Lite pool keeps nothing.
Entries older than the longest recovery window are dropped as new ones arrive.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from cognito_mock.backend.kernel.records import Group, User, UserPool
from cognito_mock.backend.kernel.state import Backend

__all__ = [
    "RETENTION",
    "Entry",
    "PoolRecovery",
    "Restoration",
    "group_image",
    "keeps_history",
    "note_group",
    "note_tier",
    "note_user",
    "recovery_of",
    "tier_since",
    "user_image",
]

RETENTION = 14 * 86400.0 + 3600.0  # the Plus window (14 days) and a margin
_PRUNE_EVERY = 1024
_TIER_RANK = {"LITE": 0, "ESSENTIALS": 1, "PLUS": 2}


@dataclass
class Entry:
    """A before-image: `key` (user sub or group name) as it was just before the write at `at`."""

    at: float
    kind: str  # "user" or "group"
    key: str
    image: Any  # a detached copy of the User or Group


@dataclass
class Restoration:
    """One point-in-time recovery of the pool (recovery/pitr.py)."""

    restore_id: str
    status: str
    restore_at: float  # RestoreTimestamp: the point the pool returns to
    triggered: float  # TriggerTimestamp: when it was initiated (end of the reverted window)
    preview_ready: float  # when PREVIEW_GENERATING becomes PREVIEW_GENERATED
    preview: list[dict[str, Any]] = field(default_factory=list)
    completes: float | None = None  # when RESTORING becomes RESTORE_COMPLETED


@dataclass
class PoolRecovery:
    """`UserPool.recovery`: the undo log, the feature-plan changes, and the recoveries made."""

    entries: list[Entry] = field(default_factory=list)
    noted: dict[tuple[str, str], float] = field(default_factory=dict)  # newest note per entity
    tiers: list[tuple[float, str]] = field(default_factory=list)  # (changed at, tier before)
    restorations: list[Restoration] = field(default_factory=list)  # oldest first


def keeps_history(pool: UserPool) -> bool:
    return pool.settings.get("UserPoolTier", "ESSENTIALS") != "LITE"


def recovery_of(pool: UserPool) -> PoolRecovery:
    found = pool.recovery
    if found is None:
        found = pool.recovery = PoolRecovery()
    return found


# ----------------------------------------------------------------------------- images


_SCALARS = (
    "failed_sign_ins", "locked_until", "last_failed_sign_in", "token_generation",
    "password_sign_in_disabled", "device_seq",
)  # fmt: skip


def user_image(user: User) -> User:
    """A detached copy of what a recovery restores of a user: profile, attributes, status, password,
    group names, MFA settings and passkeys. Devices, pending codes, sign-in events and caches are
    not part of it (a recovery does not restore them)."""
    image = user.copy()  # the packed attributes are immutable: shared, not copied
    image._extras = None
    for name in _SCALARS:  # kept as they are; SRP, codes, devices, events and quotas are not
        setattr(image, name, getattr(user, name))
    if user._password_history is not None:
        image._password_history = list(user._password_history)
    if user._groups is not None:
        image._groups = set(user._groups)
    if user._mfa is not None:
        image._mfa = copy.deepcopy(user._mfa)
    if user._passkeys is not None:
        image._passkeys = copy.deepcopy(user._passkeys)
    return image


def group_image(group: Group) -> Group:
    return replace(group, members=dict(group.members))


# ----------------------------------------------------------------------------- noting writes


def _note(backend: Backend, pool: UserPool, kind: str, key: str, image: Any) -> None:
    history = recovery_of(pool)
    now = backend.clock.now()
    if history.noted.get((kind, key)) == now:
        return  # already noted at this instant: the first image is the state before it
    history.noted[(kind, key)] = now
    entries = history.entries
    entries.append(Entry(now, kind, key, image))
    if len(entries) % _PRUNE_EVERY == 0 and entries[0].at < now - RETENTION:
        horizon = now - RETENTION
        history.entries = [e for e in entries if e.at >= horizon]


def note_user(backend: Backend, pool: UserPool, user: User | None) -> None:
    """Before a write changes `user` (None: nothing to note). A user created at this very instant
    needs no image: at any earlier point it did not exist, and a point at this instant sees the
    write anyway (the image of the first write *after* a point is its state)."""
    if user is not None and keeps_history(pool) and user.created != backend.clock.now():
        _note(backend, pool, "user", user.sub, user_image(user))


def note_group(backend: Backend, pool: UserPool, group: Group | None) -> None:
    if group is not None and keeps_history(pool) and group.created != backend.clock.now():
        _note(backend, pool, "group", group.name, group_image(group))


def note_tier(backend: Backend, pool: UserPool) -> None:
    """Before UpdateUserPool: the feature plan in force until now (recoveries must not reach back
    past a time the pool was on a lower plan)."""
    tier = str(pool.settings.get("UserPoolTier", "ESSENTIALS"))
    history = recovery_of(pool)
    if not history.tiers or history.tiers[-1][1] != tier:
        history.tiers.append((backend.clock.now(), tier))


def tier_since(pool: UserPool, at: float) -> str:
    """The lowest feature plan the pool has been on from `at` until now."""
    current = str(pool.settings.get("UserPoolTier", "ESSENTIALS"))
    tiers = [current] + [
        tier for changed, tier in (pool.recovery.tiers if pool.recovery else []) if changed > at
    ]
    return min(tiers, key=lambda t: _TIER_RANK.get(t, 1))
