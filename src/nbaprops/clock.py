"""One clock for everything: real time in live mode, virtual time for backfills, demos and tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What the pipeline needs from time."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`; a virtual clock only moves its hands."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class VirtualClock:
    """A clock that jumps instead of waiting, so a day of 30-minute waits runs in milliseconds."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("VirtualClock start must be timezone-aware")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep seconds must not be negative")
        self._now += timedelta(seconds=seconds)

    def advance_to(self, instant: datetime) -> None:
        """Move forward to `instant`; moving backwards is refused, since time never rewinds."""
        instant = instant.astimezone(UTC)
        if instant < self._now:
            raise ValueError(f"cannot move the clock back from {self._now} to {instant}")
        self._now = instant
