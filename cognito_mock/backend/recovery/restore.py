"""Bringing a pool's user data back to a past time: the plan (which users and groups differ from
their state then), its preview counts, and applying it. Reads recovery/history.py's undo log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cognito_mock.backend.directory.users import delete_user, index_aliases
from cognito_mock.backend.kernel.records import Group, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.recovery.history import (
    Entry,
    group_image,
    note_group,
    note_user,
    user_image,
)

__all__ = ["ENTITIES", "Change", "apply", "plan", "preview"]

ENTITIES = ("Users", "Groups", "User MFAs", "Passkeys")  # RestorePreviewType.Entity values


@dataclass
class Change:
    """One entity whose state at the recovery point (`then`) may differ from `now`; None where it
    does not exist."""

    kind: str  # "user" or "group"
    key: str
    now: Any
    then: Any


def plan(pool: UserPool, at: float) -> list[Change]:
    """Every user and group written or created after `at`, with its state then and now."""
    first: dict[tuple[str, str], Entry] = {}
    for entry in pool.recovery.entries if pool.recovery else []:
        if entry.at > at:
            first.setdefault((entry.kind, entry.key), entry)
    changes = []
    for (kind, key), entry in first.items():
        now = pool.users.by_sub.get(key) if kind == "user" else pool.groups.get(key)
        then = entry.image if entry.image.created <= at else None
        if now is not None or then is not None:
            changes.append(Change(kind, key, now, then))
    for user in pool.users:  # created after the point and never written since
        if user.created > at and ("user", user.sub) not in first:
            changes.append(Change("user", user.sub, user, None))
    for group in pool.groups.values():
        if group.created > at and ("group", group.name) not in first:
            changes.append(Change("group", group.name, group, None))
    return changes


# ----------------------------------------------------------------------------- preview


def _profile(user: User) -> Any:
    """What counts as a change to a user (a password changed since is kept, so not counted)."""
    return (sorted(user.attributes.items()), user.enabled, sorted(user._groups or ()))


def _mfa(user: User | None) -> Any:
    mfa = user._mfa if user is not None else None
    if mfa is None or not (mfa.enabled or mfa.totp_secret or mfa.options or mfa.webauthn):
        return None
    return (list(mfa.enabled), mfa.preferred, mfa.totp_secret, mfa.webauthn, mfa.options)


def _passkeys(user: User | None) -> dict[str, str]:
    """Credential id -> its record without the signature counter (kept, never reverted)."""
    records = user._passkeys.credentials if user is not None and user._passkeys else []
    return {
        c["CredentialId"]: json.dumps(
            {k: v for k, v in c.items() if k != "sign_count"}, default=str
        )
        for c in records
    }


def _group(group: Group) -> Any:
    return (group.description, group.precedence, group.role_arn, sorted(group.members))


def _count(counts: list[int], now: Any, then: Any) -> None:
    """[create, update, delete] from the recovery's point of view."""
    if now is None and then is not None:
        counts[0] += 1
    elif now is not None and then is None:
        counts[2] += 1
    elif now is not None and now != then:
        counts[1] += 1


def preview(changes: list[Change]) -> list[dict[str, Any]]:
    """RestorePreviewType per entity type: how many the recovery creates, updates and deletes."""
    counts = {name: [0, 0, 0] for name in ENTITIES}
    for change in changes:
        if change.kind == "group":
            now, then = change.now, change.then
            _count(counts["Groups"], now and _group(now), then and _group(then))
            continue
        user_now, user_then = change.now, change.then
        _count(counts["Users"], user_now and _profile(user_now), user_then and _profile(user_then))
        _count(counts["User MFAs"], _mfa(user_now), _mfa(user_then))
        keys_now, keys_then = _passkeys(user_now), _passkeys(user_then)
        for credential in keys_now.keys() | keys_then.keys():
            _count(counts["Passkeys"], keys_now.get(credential), keys_then.get(credential))
    return [
        {"Entity": name, "CreateCount": c, "UpdateCount": u, "DeleteCount": d}
        for name, (c, u, d) in counts.items()
    ]


# ----------------------------------------------------------------------------- applying


def _restore_user(pool: UserPool, user: User, then: User, at: float, now: float) -> None:
    """`user` back to `then`, except what the service keeps: a password changed after the point
    (with the status that goes with it), devices, tokens' revocation, passkey counters."""
    image = user_image(then)
    counters = {c["CredentialId"]: c.get("sign_count", 0) for c in user.passkeys.credentials}
    for record in image.passkeys.credentials:
        record["sign_count"] = max(
            record.get("sign_count", 0), counters.get(record["CredentialId"], 0)
        )
    user.attributes = image.attributes
    user.enabled = image.enabled
    user._groups = image._groups
    user._mfa = image._mfa
    user._passkeys = image._passkeys
    if user.password_set <= at:
        user.password, user.password_set, user.status = (
            then.password,
            then.password_set,
            then.status,
        )
        user._password_history = image._password_history
    user.modified = now
    index_aliases(pool, user)


def _apply_user(backend: Backend, pool: UserPool, change: Change, at: float) -> None:
    current, then = change.now, change.then
    note_user(backend, pool, current)  # the restore is a write too: a later recovery may undo it
    if then is None:
        delete_user(pool, current)
    elif current is None:
        restored = user_image(then)
        restored.token_generation += 1  # tokens issued before the deletion stay dead
        pool.users.add(restored)
        index_aliases(pool, restored)
    else:
        _restore_user(pool, current, then, at, backend.clock.now())


def _apply_group(backend: Backend, pool: UserPool, change: Change) -> None:
    current, then = change.now, change.then
    note_group(backend, pool, current)
    if then is None:
        del pool.groups[change.key]
    else:
        pool.groups[change.key] = group_image(then)


def _mend_membership(pool: UserPool) -> None:
    """Groups and users agree on membership after a restore (each side restored to the point)."""
    for user in pool.users:
        if user._groups:
            user._groups = {name for name in user._groups if name in pool.groups}
    for group in pool.groups.values():
        kept: dict[str, None] = {}
        for name in group.members:
            member = pool.users.get(name)
            if member is not None and group.name in (member._groups or ()):
                kept[name] = None
        group.members = kept
    for user in pool.users:
        for name in sorted(user._groups or ()):
            pool.groups[name].members.setdefault(user.username, None)


def apply(backend: Backend, pool: UserPool, at: float) -> list[Change]:
    """Restore the pool's users and groups to time `at`; returns what was planned."""
    changes = plan(pool, at)
    # Deletions first: a user or group made after the point may hold a name the restored one needs.
    for change in sorted(changes, key=lambda c: c.then is not None):
        if change.kind == "user":
            _apply_user(backend, pool, change, at)
        else:
            _apply_group(backend, pool, change)
    _mend_membership(pool)
    pool.users.touch()  # ListUsers' indexes rebuild
    return changes
