"""Recording and replaying the randomness and clock readings of a call: the tape that makes a
journaled call reproduce exactly (`Recorder`, `RecordingIds`, `RecordingClock`, `recording_mock`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from cognito_mock.clock import Clock, SystemClock
from cognito_mock.errors import StateFileError
from cognito_mock.ids import Ids
from cognito_mock.mock import CognitoMock

__all__ = ["Recorder", "RecordingClock", "RecordingIds", "recording_mock"]


class Recorder:
    """Per-thread tape of the values a call drew: recorded live, played back on replay."""

    def __init__(self) -> None:
        self._local = threading.local()

    def start(self, tape: list[Any] | None = None) -> list[Any]:
        """Record into a new tape, or play back `tape` when given."""
        self._local.tape = [] if tape is None else list(reversed(tape))
        self._local.replaying = tape is not None
        return self._local.tape

    def stop(self) -> None:
        left = getattr(self._local, "tape", None) if self.replaying else None
        self._local.tape = None
        self._local.replaying = False
        if left:
            raise StateFileError(f"replay diverged: {len(left)} recorded values were not used")

    @property
    def replaying(self) -> bool:
        return bool(getattr(self._local, "replaying", False))

    def value(self, kind: str, produce: Callable[[], Any]) -> Any:
        tape = getattr(self._local, "tape", None)
        if tape is None:
            return produce()
        if self._local.replaying:
            if not tape:
                raise StateFileError(f"replay diverged: a {kind} value was drawn but none recorded")
            recorded_kind, recorded = tape.pop()
            if recorded_kind != kind:
                raise StateFileError(f"replay diverged: drew {kind}, recorded {recorded_kind}")
            return recorded
        value = produce()
        tape.append((kind, value))
        return value


class RecordingIds(Ids):
    """`Ids` whose primitive draws go on the recorder's tape (every other method builds on them)."""

    def __init__(self, recorder: Recorder, seed: int | str | None = None) -> None:
        super().__init__(seed)
        self.recorder = recorder

    def token_bytes(self, n: int) -> bytes:
        return self.recorder.value("bytes", lambda: super(RecordingIds, self).token_bytes(n))

    def choice_string(self, alphabet: str, length: int) -> str:
        produce = lambda: super(RecordingIds, self).choice_string(alphabet, length)  # noqa: E731
        return self.recorder.value("string", produce)

    def randbelow(self, n: int) -> int:
        return self.recorder.value("int", lambda: super(RecordingIds, self).randbelow(n))

    def shuffle(self, items: list[str]) -> None:
        def produce() -> list[str]:
            copy = list(items)
            super(RecordingIds, self).shuffle(copy)
            return copy

        items[:] = self.recorder.value("order", produce)


class RecordingClock(Clock):
    """A clock whose readings go on the recorder's tape."""

    def __init__(self, recorder: Recorder, inner: Clock | None = None) -> None:
        self.recorder = recorder
        self.inner = inner if inner is not None else SystemClock()

    def now(self) -> float:
        return self.recorder.value("time", self.inner.now)

    def __getattr__(self, name: str) -> Any:
        # Moving the clock (the control API's clock/advance, clock/set) moves the inner clock;
        # readings stay on the tape. A clock that cannot move has no such methods here either.
        if name in ("advance", "set", "pin", "unpin"):
            return getattr(self.inner, name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"RecordingClock({self.inner!r})"


def recording_mock(region: str, *, clock: Clock | None = None, **kwargs: Any) -> CognitoMock:
    """A `CognitoMock` whose randomness and readings of `clock` (the system clock by default) can
    be recorded and replayed."""
    recorder = Recorder()
    mock = CognitoMock(region=region, clock=RecordingClock(recorder, clock), **kwargs)
    mock.ids = RecordingIds(recorder)  # before any backend exists: backends copy the reference
    return mock
