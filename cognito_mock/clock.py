"""The only reader of time: a system clock and a manual clock that tests advance instead of sleeping."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "ManualClock", "SystemClock"]


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


class ManualClock(Clock):
    """A clock that only moves when told to; starts at the real time unless given a start."""

    def __init__(self, start: float | datetime | None = None) -> None:
        self._now = 0.0
        self.set(time.time() if start is None else start)

    def now(self) -> float:
        return self._now

    def set(self, when: float | datetime) -> None:
        self._now = when.timestamp() if isinstance(when, datetime) else float(when)

    def advance(self, seconds: float | timedelta = 0.0, **units: float) -> float:
        """Move forward by `seconds` (or a timedelta, or keyword units like minutes=5); return now."""
        step = seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)
        step += timedelta(**units).total_seconds()
        if step < 0:
            raise ValueError("a clock only moves forward")
        self._now += step
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self.datetime().isoformat()})"
