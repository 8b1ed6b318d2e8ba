"""What orchestration logic needs from a durable execution engine, as a small protocol.

The daily pipeline, events and backfills are plain code written against `Durable`; the DBOS
adapter (`nbaprops.orchestration.workflows`) checkpoints every step, sleep and child workflow,
so a recovered workflow replays its record and continues where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from nbaprops.orchestration.runtime import Runtime

T = TypeVar("T")


class ChildKind(StrEnum):
    """The workflows a workflow can start."""

    DAILY = "daily"
    EVENT = "event"


@dataclass(frozen=True)
class ChildOutcome:
    """How a child workflow ended: its result, or the message of the error it ended with."""

    workflow_id: str
    result: dict[str, Any] | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


class ChildHandle(Protocol):
    workflow_id: str

    def outcome(self) -> ChildOutcome:
        """Wait for the child to end."""
        ...


class Durable(Protocol):
    """Durable steps, time and child workflows for the workflow being executed."""

    runtime: Runtime
    workflow_id: str

    def step(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(*args, **kwargs)` once: a replay returns the recorded result (JSON-able data)."""
        ...

    def start_clock(self, instant: datetime) -> None:
        """Virtual time starts at `instant`; live time ignores it."""
        ...

    def now(self) -> datetime:
        """The run's time: the same on replay as when first read."""
        ...

    def sleep(self, seconds: float, *, reason: str) -> None:
        """Wait durably: a restart sleeps only what is left. Virtual time just moves on."""
        ...

    def advance_to(self, instant: datetime) -> None:
        """Virtual time moves forward to `instant` (work took that long); live time ignores it."""
        ...

    def start_child(
        self, kind: ChildKind, request: dict[str, Any], *, workflow_id: str
    ) -> ChildHandle:
        """Start a child workflow with `workflow_id`, or attach to the one that has that ID."""
        ...
