"""Snapshots of a mock's state for `serve --state`: every pool of every account and region and the
shared services, as one pickle (`dump_state`), and back into a fresh mock (`load_state`).

The pickles are trusted input: only load snapshots this process's persistence wrote."""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from cognito_mock.backend.kernel.records import UserDirectory

if TYPE_CHECKING:
    from cognito_mock.mock import CognitoMock

__all__ = ["dump_state", "load_state"]


def _reduce_lock(lock: Any) -> tuple[Any, ...]:
    # Locks cannot be pickled; a restored object gets a new, unheld one of the same kind.
    return (threading.Lock, ())


def _reduce_rlock(lock: Any) -> tuple[Any, ...]:
    return (threading.RLock, ())


def _rebuild(cls: type[Any], state: dict[str, Any]) -> Any:
    made = object.__new__(cls)
    made.__dict__.update(state)
    return made


def _dispatch_table() -> dict[Any, Any]:
    table = copyreg.dispatch_table.copy()
    table[type(threading.Lock())] = _reduce_lock
    table[type(threading.RLock())] = _reduce_rlock

    def directory(found: UserDirectory) -> Any:
        # ListUsers' search indexes and checked views are derived data: drop them (rebuilt on use).
        state = {**found.__dict__, "index_cache": None, "changed": None, "checked": OrderedDict()}
        return (_rebuild, (type(found), state))

    table[UserDirectory] = directory
    return table


def dump_state(mock: CognitoMock) -> bytes:
    """The mock's state (pools of every account and region, shared services) as one pickle."""
    # The issuer base belongs to this process (where it is served), not to the saved state.
    services = dataclasses.replace(mock.services, issuer_base=None)
    state = {
        "backends": {key: backend.pools for key, backend in mock._backends.items()},
        "services": services,
    }
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(state)
    return buffer.getvalue()


def load_state(mock: CognitoMock, data: bytes) -> None:
    """Put a `dump_state` pickle into a fresh mock."""
    state = pickle.loads(data)
    saved, current = state["services"], mock.services
    # Keep this process's outbox object (references stay live), triggers and issuer base.
    current.outbox.messages[:] = saved.outbox.messages
    mock.services = dataclasses.replace(
        saved, outbox=current.outbox, triggers=current.triggers, issuer_base=current.issuer_base
    )
    for backend in mock._backends.values():
        backend.services = mock.services
    for (account_id, region), pools in state["backends"].items():
        mock.backend(region, account_id).pools = pools
