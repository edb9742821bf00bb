"""Durable state for `cognito-mock serve --state PATH`: an SQLite journal of the calls that change
state, with the random values and clock readings each one used, compacted into pickled snapshots.

Why a journal and not a snapshot per call: pickling a pool of 1,000 users with their tokens takes
~8 ms and writing it ~10 ms more, and grows with the pool; a journal row costs tens of microseconds
whatever the size. Replaying a call reproduces it exactly because everything it drew from `Ids`
and the clock is recorded with it and handed back in the same order (`Recorder`). A pool's RSA signing
keys are drawn through the same tape (as PEM) and pickled with its state, so tokens issued before a
restart still verify after it.

The file is trusted input (snapshots are pickles): only open state files you wrote yourself.
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_mock.backend.hosted.pages import PageRequest, PageResponse
from cognito_mock.clock import SystemClock
from cognito_mock.control import STATE_CHANGING
from cognito_mock.errors import StateFileError
from cognito_mock.recording import UNSEEDED, RecordingClock, RecordingIds, recording_mock
from cognito_mock.snapshot import dump_state, load_state
from cognito_mock.transports import wire

if TYPE_CHECKING:
    from cognito_mock.mock import CognitoMock

__all__ = [
    "READ_OPERATIONS",
    "Persistence",
    "RecordingClock",
    "RecordingIds",
    "StateFileError",
    "is_read",
    "recording_mock",
]

log = logging.getLogger("cognito_mock.state")

_APPLICATION = "cognito-mock"
# 2: state is typed records (UserPool/User fields, Services) instead of string-keyed dicts.
# 3: signing keys belong to each pool (pickled with it, drawn on the journal's tapes); users,
#    tokens and challenge sessions carry the binding to the user record they were issued for.
# 4: users are slotted records with packed attributes (kernel/user_record.py, kernel/packed.py).
_FORMAT = "4"

# Calls that never change state: not journaled (with every Describe* and List*). Anything else,
# including Get* calls that send codes, rotate tokens or cache certificates, is.
READ_OPERATIONS = frozenset(
    {
        "AdminGetDevice", "AdminGetUser", "AdminGetUserAuthFactors", "AdminListDevices",
        "AdminListGroupsForUser", "AdminListUserAuthEvents", "GetCSVHeader", "GetDevice",
        "GetGroup", "GetIdentityProviderByIdentifier", "GetLogDeliveryConfiguration",
        "GetUICustomization", "GetUser", "GetUserAuthFactors", "GetUserPoolMfaConfig",
    }
)  # fmt: skip


def is_read(operation: str) -> bool:
    return operation in READ_OPERATIONS or operation.startswith(("Describe", "List"))


def _drew_unseeded(tape: list[Any]) -> bool:
    """Whether a call drew a value no seed reproduces (a pool's signing keys, the mock's own
    key): a read that did is journaled, so replay draws the same value from its tape."""
    return any(kind == UNSEEDED for kind, _ in tape)


# ------------------------------------------------------------------------------ the file


def _open(path: str) -> sqlite3.Connection:
    """Open (or create) a state file, refusing anything that is not one of ours unchanged."""
    fresh = not os.path.exists(path) or os.path.getsize(path) == 0
    if not fresh:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise StateFileError(f"{path} is not a cognito-mock state file (not SQLite)")
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables:
            meta = dict(db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
            if meta.get("application") != _APPLICATION:
                raise StateFileError(
                    f"{path} is an SQLite database but not a cognito-mock state file"
                )
            if meta.get("format") != _FORMAT:
                raise StateFileError(
                    f"{path} is a cognito-mock state file of format {meta.get('format')!r}; "
                    f"this version reads format {_FORMAT}"
                )
    except sqlite3.DatabaseError as error:
        db.close()
        raise StateFileError(f"{path} is not a usable cognito-mock state file: {error}") from None
    except StateFileError:
        db.close()
        raise
    # Surviving `kill -9` needs only the WAL in the OS; NORMAL skips an fsync per commit.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    if not tables:
        db.executescript(
            """
            BEGIN;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,
                                   data BLOB NOT NULL);
            CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry BLOB NOT NULL);
            COMMIT;
            """
        )
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("application", _APPLICATION), ("format", _FORMAT)],
        )
    return db


class Persistence:
    """Wraps a recording mock: journals each state-changing call before it is acknowledged."""

    def __init__(self, mock: CognitoMock, path: str, *, compact_every: int = 20_000) -> None:
        if not isinstance(mock.ids, RecordingIds) or not isinstance(mock.clock, RecordingClock):
            raise TypeError("persistence needs a mock made by recording_mock()")
        self.mock = mock
        self.path = path
        self.compact_every = compact_every
        self.recorder = mock.ids.recorder
        self._lock = mock._lock  # the mock's one lock: journal order is execution order
        self._db = _open(path)
        self._since_snapshot = 0
        self._domain_app: Any = None
        self.restored = self._restore()
        self._restore_clock()

    # -- start-up ------------------------------------------------------------------------------

    def _restore(self) -> bool:
        """Load the snapshot and replay the journal; False for a new state file."""
        try:
            row = self._db.execute("SELECT seq, data FROM snapshot").fetchone()
            after = 0
            if row is not None:
                after = row[0]
                load_state(self.mock, row[1])
            entries = self._db.execute(
                "SELECT seq, entry FROM journal WHERE seq > ? ORDER BY seq", (after,)
            ).fetchall()
            for seq, blob in entries:
                self._replay(seq, pickle.loads(blob))
        except StateFileError as error:
            raise StateFileError(f"{self.path}: {error}") from None
        except Exception as error:  # any failure here means the file is unusable
            raise StateFileError(
                f"{self.path} is corrupt or was written by an incompatible version: "
                f"{type(error).__name__}: {error}"
            ) from None
        self._since_snapshot = len(entries)
        log.info("restored %s (%d journal entries replayed)", self.path, len(entries))
        return row is not None or bool(entries)

    def _replay(self, seq: int, entry: tuple[Any, ...]) -> None:
        kind, region, payload, tape, status = entry
        self.recorder.start(tape)
        try:
            if kind == "call":
                target, body = payload
                got = self.mock.handle_wire(target, body, region).status
            elif kind == "control":  # a seed document loaded through the control API
                name, params = payload
                self.mock.control(name, params)
                got = 200
            elif kind == "oauth2":
                endpoint, form, basic = payload
                got = self.mock.handle_oauth2(endpoint, form, basic, region=region)[0]
            elif kind == "hosted":
                got = self.mock.handle_hosted(payload).status
            else:  # "jwks": a discovery request that made the pool's signing keys
                self.mock.jwks(payload, region=region)
                got = 200
        finally:
            self.recorder.stop()
        if got != status:
            raise StateFileError(f"replay diverged at journal entry {seq}: {got} != {status}")

    # -- serving -------------------------------------------------------------------------------

    def _journal(self, entry: tuple[Any, ...]) -> None:
        """Append one entry (the keys it drew are on its tape)."""
        self._db.execute(
            "INSERT INTO journal (entry) VALUES (?)",
            (pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL),),
        )
        self._since_snapshot += 1
        if self._since_snapshot >= self.compact_every:
            self.checkpoint()

    def handle_wire(
        self, target: str | None, body: bytes | None, region: str | None = None
    ) -> wire.WireResponse:
        """`CognitoMock.handle_wire`, journaled before the answer leaves."""
        try:
            operation: str | None = wire.operation_from_target(target)
        except wire.WireError:
            operation = None
        with self._lock:
            triggered = self._triggered()
            tape = self.recorder.start()
            try:
                response = self.mock.handle_wire(target, body, region)
            finally:
                self.recorder.stop()
            if operation is None:
                return response  # never reached an operation: nothing changed
            # A read is journaled only when it drew unseeded values (signing keys), so replay
            # draws the same ones from the tape (replaying a read is harmless).
            if not is_read(operation) or _drew_unseeded(tape):
                self._keep(("call", region, (target, body), tape, response.status), triggered)
            return response

    def handle_oauth2(
        self,
        endpoint: str,
        form: dict[str, str],
        basic: tuple[str, str] | None = None,
        bearer: str | None = None,
        *,
        region: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """`CognitoMock.handle_oauth2`, journaled before the answer leaves. The token endpoint
        issues and rotates refresh tokens and the revoke endpoint revokes them, so both are
        journaled; userInfo only reads."""
        if endpoint == "/oauth2/userInfo":
            return self.mock.handle_oauth2(endpoint, form, basic, bearer, region=region)
        with self._lock:
            triggered = self._triggered()
            tape = self.recorder.start()
            try:
                answer = self.mock.handle_oauth2(endpoint, form, basic, bearer, region=region)
            finally:
                self.recorder.stop()
            self._keep(("oauth2", region, (endpoint, form, basic), tape, answer[0]), triggered)
            return answer

    def _triggered(self) -> tuple[object, int]:
        events = self.mock.triggers.events
        return events, len(events)

    def _keep(self, entry: tuple[Any, ...], before: tuple[object, int]) -> None:
        """Journal `entry`; but a call that ran triggers (webhooks of the control API) cannot be
        replayed, their answers being another program's, so its outcome is kept as a snapshot."""
        events = self.mock.triggers.events
        if events is before[0] and len(events) == before[1]:
            self._journal(entry)
        else:
            self.checkpoint()

    def handle_hosted(self, request: PageRequest) -> PageResponse:
        """`CognitoMock.handle_hosted`, journaled before the answer leaves (with the answers of
        any outbound calls it was given, so replay needs no identity provider). An answer that
        only asks for outbound calls changed nothing."""
        with self._lock:
            triggered = self._triggered()
            tape = self.recorder.start()
            try:
                answer = self.mock.handle_hosted(request)
            finally:
                self.recorder.stop()
            if not answer.fetch:
                self._keep(("hosted", None, request, tape, answer.status), triggered)
            return answer

    def jwks(self, pool_id: str, *, region: str | None = None) -> dict[str, Any]:
        with self._lock:
            tape = self.recorder.start()
            try:
                document = self.mock.jwks(pool_id, region=region)
            finally:
                self.recorder.stop()
            if _drew_unseeded(tape):
                self._journal(("jwks", region, pool_id, tape, 200))
            return document

    def openid_configuration(self, pool_id: str, *, region: str | None = None) -> dict[str, Any]:
        return self.mock.openid_configuration(pool_id, region=region)

    def domain_owner(self, domain: str) -> tuple[str, str, str] | None:
        return self.mock.domain_owner(domain)

    @property
    def domain_app(self) -> Any:
        """Managed login answered through this wrapper, so its requests are journaled."""
        if self._domain_app is None:
            from cognito_mock.web import DomainApp  # the web framework only when served

            self._domain_app = DomainApp(self)
        return self._domain_app

    def control(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """`CognitoMock.control`; what changes state is kept: a seed is journaled with what it
        drew, a reset is followed by a snapshot, the clock's offset is saved in the file."""
        if name not in STATE_CHANGING:
            return self.mock.control(name, params)
        with self._lock:
            if name == "reset":
                answer = self.mock.control(name, params)
                # reset() gives the mock new, unrecorded ids: record the new stream too.
                self.mock.ids = RecordingIds(self.recorder, self.mock.seed)
                self.checkpoint()
                return answer
            tape = self.recorder.start()
            try:
                answer = self.mock.control(name, params)
            finally:
                self.recorder.stop()
            if name == "seed":
                self._journal(("control", None, (name, params), tape, 200))
            else:
                self._save_clock()
            return answer

    # -- the clock's offset --------------------------------------------------------------------

    def _movable_clock(self) -> Any:
        inner = getattr(self.mock.clock, "inner", None)
        return inner if callable(getattr(inner, "set", None)) else None

    def _save_clock(self) -> None:
        inner = self._movable_clock()
        if inner is not None:
            offset = inner.now() - SystemClock().now()
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('clock_offset', ?)", (repr(offset),)
            )

    def _restore_clock(self) -> None:
        inner = self._movable_clock()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
        if inner is not None and row is not None:
            inner.set(SystemClock().now() + float(row[0]))

    # -- compaction and shutdown ---------------------------------------------------------------

    def checkpoint(self) -> None:
        """Write a snapshot and drop the journal it covers, in one transaction."""
        with self._lock:
            data = dump_state(self.mock)
            db = self._db
            db.execute("BEGIN")
            try:
                last = db.execute("SELECT COALESCE(MAX(seq), 0) FROM journal").fetchone()[0]
                prior = db.execute("SELECT seq FROM snapshot").fetchone()
                seq = max(last, prior[0] if prior else 0)
                db.execute("INSERT OR REPLACE INTO snapshot VALUES (1, ?, ?)", (seq, data))
                db.execute("DELETE FROM journal WHERE seq <= ?", (seq,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._since_snapshot = 0

    def close(self) -> None:
        with self._lock:
            self.checkpoint()
            self._db.close()
