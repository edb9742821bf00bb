"""The only reader of time: the system clock, a manual clock that tests advance instead of sleeping,
and a process clock (the pytest fixture's) that follows `time.time()` plus what the test advanced."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "ManualClock", "ProcessClock", "SystemClock"]


class Clock:
    """Epoch seconds as a float; subclasses decide where they come from."""

    def now(self) -> float:
        raise NotImplementedError

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)


class SystemClock(Clock):
    def now(self) -> float:
        return time.time()

    def __repr__(self) -> str:
        return "SystemClock()"


def _step(seconds: float | timedelta, units: dict[str, float]) -> float:
    """Seconds to move forward; a clock never moves back."""
    step = seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)
    step += timedelta(**units).total_seconds()
    if step < 0:
        raise ValueError("a clock only moves forward")
    return step


def _epoch(when: float | datetime) -> float:
    return when.timestamp() if isinstance(when, datetime) else float(when)


class ManualClock(Clock):
    """A clock that only moves when told to; starts at the real time unless given a start."""

    def __init__(self, start: float | datetime | None = None) -> None:
        self._now = 0.0
        self.set(time.time() if start is None else start)

    def now(self) -> float:
        return self._now

    def set(self, when: float | datetime) -> None:
        self._now = _epoch(when)

    def advance(self, seconds: float | timedelta = 0.0, **units: float) -> float:
        """Move forward by `seconds` (or a timedelta, or keyword units like minutes=5); return now."""
        self._now += _step(seconds, units)
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self.datetime().isoformat()})"


class ProcessClock(Clock):
    """The process's `time.time()` plus an offset, so freezegun and time-machine move it too, and a
    test can still jump ahead (`advance`) or to an instant (`set`) without sleeping. `pin()` stops
    it (it then moves only when told, like a ManualClock) until `unpin()`.

    This is what the `cognito_clock` fixture gives; an application's own expiry checks should read
    `cognito_clock.now()` (for PyJWT: `leeway` or `options`) to agree with the mock.
    """

    def __init__(self) -> None:
        self._offset = 0.0
        self._pinned: float | None = None

    def now(self) -> float:
        pinned = self._pinned
        return pinned if pinned is not None else time.time() + self._offset

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    def set(self, when: float | datetime) -> None:
        """Be at `when` now (and go on from there, unless pinned)."""
        if self._pinned is not None:
            self._pinned = _epoch(when)
        else:
            self._offset = _epoch(when) - time.time()

    def advance(self, seconds: float | timedelta = 0.0, **units: float) -> float:
        """Jump forward by `seconds` (or a timedelta, or keyword units like minutes=5); return now."""
        step = _step(seconds, units)
        if self._pinned is not None:
            self._pinned += step
        else:
            self._offset += step
        return self.now()

    def pin(self, when: float | datetime | None = None) -> float:
        """Stop the clock (at `when`, or where it is); return the pinned instant."""
        self._pinned = self.now() if when is None else _epoch(when)
        return self._pinned

    def unpin(self) -> None:
        """Follow the process clock again, from the pinned instant on."""
        if self._pinned is not None:
            self._offset = self._pinned - time.time()
            self._pinned = None

    def __repr__(self) -> str:
        state = "pinned" if self.pinned else f"offset={self._offset:+.3f}s"
        return f"ProcessClock({self.datetime().isoformat()}, {state})"
