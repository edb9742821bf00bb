"""Pool-wide rules the request path runs before every handler: guards that refuse an operation for
a pool (a secondary replica's role, writes paused by a recovery) and recorders that note state
before a write (the history point-in-time recovery reads). Dispatch calls `before`.

A guard is armed per pool (`arm`); while no pool has one the check is a single empty-dict test.
Recorders are registered per operation and decide for themselves whether the pool keeps history.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.state import Backend

__all__ = [
    "Guard",
    "Recorder",
    "arm",
    "armed",
    "before",
    "disarm",
    "guard",
    "recorder",
    "request_pool",
    "token_claims",
]

# (backend, pool, operation, wire-form request): raise a declared ServiceError to refuse.
Guard = Callable[[Backend, UserPool, str, dict[str, Any]], None]
# (backend, operation, wire-form request): note what the write is about to change.
Recorder = Callable[[Backend, str, dict[str, Any]], None]

_GUARDS: dict[str, Guard] = {}
_RECORDERS: dict[str, Recorder] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    """Register the guard `name`; a name registered twice fails at import."""

    def register(func: Guard) -> Guard:
        if name in _GUARDS:
            raise ValueError(f"guard {name!r} is already registered")
        _GUARDS[name] = func
        return func

    return register


def recorder(*operations: str) -> Callable[[Recorder], Recorder]:
    """Register the recorder run before each of `operations` (one recorder per operation)."""

    def register(func: Recorder) -> Recorder:
        for operation in operations:
            if operation in _RECORDERS:
                raise ValueError(f"{operation} already has a recorder")
            _RECORDERS[operation] = func
        return func

    return register


def arm(backend: Backend, pool: UserPool, name: str) -> None:
    """Run guard `name` before every operation on `pool` (in every region that serves it)."""
    backend.services.guarded.setdefault(pool.id, set()).add(name)


def disarm(backend: Backend, pool: UserPool, name: str) -> None:
    guarded = backend.services.guarded
    names = guarded.get(pool.id)
    if names is not None:
        names.discard(name)
        if not names:
            del guarded[pool.id]


def armed(backend: Backend, pool: UserPool, name: str) -> bool:
    return name in backend.services.guarded.get(pool.id, ())


def before(backend: Backend, operation: str, request: dict[str, Any]) -> None:
    """The guards armed for the request's pool, then the operation's recorder (if any)."""
    guarded = backend.services.guarded
    if guarded:
        pool = request_pool(backend, request)
        if pool is not None:
            for name in sorted(guarded.get(pool.id, ())):
                _GUARDS[name](backend, pool, operation, request)
    record = _RECORDERS.get(operation)
    if record is not None:
        record(backend, operation, request)


# ----------------------------------------------------------------------------- the request's pool


def token_claims(token: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a JWT, unverified; empty dicts for anything else. Only for finding
    which pool or user a request is about; the handler verifies the token itself."""
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 16384:
        return {}, {}
    parts = []
    for segment in token.split(".")[:2]:
        try:
            value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        except (ValueError, binascii.Error, RecursionError):
            return {}, {}
        parts.append(value if isinstance(value, dict) else {})
    return parts[0], parts[1]


def request_pool(backend: Backend, request: dict[str, Any]) -> UserPool | None:
    """The pool a request is about, as this backend serves it: by UserPoolId, by ClientId, by the
    key that signed its AccessToken, or by the challenge Session it continues."""
    pools = backend.pools
    pool_id = request.get("UserPoolId")
    if isinstance(pool_id, str):
        return pools.get(pool_id)
    client_id = request.get("ClientId")
    if isinstance(client_id, str):
        found = backend.services.client_index.get(client_id)
        return pools.get(found) if found is not None else None
    token = request.get("AccessToken")
    if token is not None:
        kid = token_claims(token)[0].get("kid")
        owner = backend.services.kid_index.get(kid) if isinstance(kid, str) else None
        if owner is None or owner[0] != backend.account_id:
            return None
        return pools.get(owner[2])
    session = request.get("Session")
    if isinstance(session, str):
        for guarded in backend.services.guarded:
            pool = pools.get(guarded)
            if pool is not None and session in pool.challenge_sessions:
                return pool
    return None
