"""What a workflow is asked to do, as plain JSON-able data, and the workflow IDs derived from it.

A workflow ID is a pure function of what the work is, so the same work asked for twice (two
commands, a redelivered event, a restarted backfill) maps to one workflow that runs once.
Re-running finished work is a new attempt, and the attempt is part of the work: attempt 1 keeps
the plain ID (`daily:2025-01-10:same_day:replay`), attempt N the ID with `:rerunN` after it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from nbaprops.errors import ConfigError
from nbaprops.orchestration.faults import FaultPlan, ProcessorFault, SourceFault
from nbaprops.orchestration.settings import RunMode


class SourceKind(StrEnum):
    """Where a run's data comes from."""

    REPLAY = "replay"  # ingested real history, served as it arrived
    SIM = "sim"  # the synthetic league's history in the home (`nbaprops demo`)
    LIVE = "live"  # live APIs


class Scope(StrEnum):
    """How much of the daily plan a run covers."""

    DAY = "day"  # the results half for the previous game day and the upcoming half for game_date
    RESULTS = "results"  # only the results half, for game_date itself: closes a backfill
    HISTORY = "history"  # Phases 2-4 only: the summaries and features later days learn from


# The first word of the workflow IDs of runs of each scope.
SCOPE_PREFIX = {Scope.DAY: "daily", Scope.RESULTS: "results", Scope.HISTORY: "history"}


class EventKind(StrEnum):
    """New data seen for a game_date, and what it refreshes."""

    PROPS = "props"  # new prop lines: context, features and predictions of the date
    SCHEDULE = "schedule"  # a schedule change: the whole date is evaluated again
    INJURIES = "injuries"  # an injury update: the upcoming player context


RERUN_SUFFIX = ":rerun"


def attempt_id(base: str, attempt: int) -> str:
    """The workflow ID of attempt `attempt` of the work whose first attempt is `base`."""
    return base if attempt == 1 else f"{base}{RERUN_SUFFIX}{attempt}"


def attempt_of(workflow_id: str, base: str) -> int | None:
    """Which attempt of `base` the workflow `workflow_id` is (None: not one of its attempts)."""
    if workflow_id == base:
        return 1
    number = workflow_id.removeprefix(base + RERUN_SUFFIX)
    if number == workflow_id or not number.isdigit() or number.startswith("0"):
        return None
    return int(number)


def check_attempt(attempt: int) -> None:
    if attempt < 1:
        raise ConfigError(f"attempt must be at least 1, not {attempt}.")


@dataclass(frozen=True)
class DailyRun:
    """The daily pipeline for one game_date in one mode, from one source.

    `faults`: the processor and source faults of this run (they are part of what the run is, so
    a recovered run sees them again); process faults (kill, deliver) never go in here.
    `virtual`: on virtual time, starting just before the day's last tip-off.
    `since`: the run first waits for the run of the previous game day when that day is on or
    after `since` (a backfill's days run in order whatever order they are delivered in).
    `attempt`: 1 for the first run of the day, N for its (N-1)-th re-run (`--rerun`).
    `history_first`: a day run takes its Phases 2-4 from the history run of its date (Scope.HISTORY,
    the same work under its own ID), starting it or waiting for it wherever it runs; the history
    runs of a backfill can then run ahead on another worker. The day's work and outcome are the same.
    """

    game_date: date
    mode: RunMode
    source: SourceKind
    faults: tuple[str, ...] = ()
    virtual: bool = True
    since: date | None = None
    scope: Scope = Scope.DAY
    attempt: int = 1
    history_first: bool = False

    def __post_init__(self) -> None:
        check_attempt(self.attempt)
        plan = FaultPlan.from_specs(self.faults)
        process_faults = [
            f.spec for f in plan.faults if not isinstance(f, ProcessorFault | SourceFault)
        ]
        if process_faults:
            raise ConfigError(
                f"Faults {', '.join(process_faults)} act on the process, not on the run of "
                f"{self.game_date}; pass them to the engine, not in the run request."
            )

    @property
    def first_workflow_id(self) -> str:
        """The ID of attempt 1 of this run; later attempts extend it."""
        return f"{SCOPE_PREFIX[self.scope]}:{self.game_date.isoformat()}:{self.mode}:{self.source}"

    @property
    def workflow_id(self) -> str:
        return attempt_id(self.first_workflow_id, self.attempt)

    @property
    def fault_plan(self) -> FaultPlan:
        return FaultPlan.from_specs(self.faults)

    def for_date(self, game_date: date, *, scope: Scope = Scope.DAY) -> DailyRun:
        """The same kind of run for another date."""
        return replace(self, game_date=game_date, scope=scope)

    def to_json(self) -> dict[str, Any]:
        return {
            "game_date": self.game_date.isoformat(),
            "mode": self.mode.value,
            "source": self.source.value,
            "faults": list(self.faults),
            "virtual": self.virtual,
            "since": None if self.since is None else self.since.isoformat(),
            "scope": self.scope.value,
            "attempt": self.attempt,
            "history_first": self.history_first,
        }

    @property
    def history_run(self) -> DailyRun:
        """The history run of this run's date: its Phases 2-4 under their own workflow ID."""
        return replace(self, scope=Scope.HISTORY, history_first=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DailyRun:
        return cls(
            game_date=date.fromisoformat(data["game_date"]),
            mode=RunMode(data["mode"]),
            source=SourceKind(data["source"]),
            faults=tuple(data["faults"]),
            virtual=bool(data["virtual"]),
            since=None if data["since"] is None else date.fromisoformat(data["since"]),
            scope=Scope(data["scope"]),
            attempt=int(data.get("attempt", 1)),  # requests recorded before re-runs existed
            history_first=bool(data.get("history_first", False)),
        )


def check_range(start: date, end: date) -> None:
    """A backfill's range must not end before it starts."""
    if end < start:
        raise ConfigError(
            f"The backfill ends ({end}) before it starts ({start}); pass --start on or before "
            "--end."
        )


@dataclass(frozen=True)
class Backfill:
    """Every game day in [start, end] in order, then the results of the last one.

    `history`: build only the history of each day (Scope.HISTORY, no results day), for the run
    of the day after `end`.
    `delivery`: how the days are handed to the engine: in order, or (fault injection) each twice
    and/or shuffled with `delivery_seed`; the outcome must not depend on it.
    `attempt`: 1 for the first backfill of the range; a re-run's days all run as this attempt.
    `pipelined`: each day run takes its Phases 2-4 from the day's history run (`DailyRun.history_first`),
    so a history backfill of the same range on another worker can build them ahead.
    """

    start: date
    end: date
    source: SourceKind
    mode: RunMode = RunMode.BACKFILL
    faults: tuple[str, ...] = ()
    virtual: bool = True
    duplicate: bool = False
    reorder: bool = False
    delivery_seed: int = 0
    attempt: int = 1
    history: bool = False
    pipelined: bool = False

    def __post_init__(self) -> None:
        check_range(self.start, self.end)
        if self.history and self.pipelined:
            raise ConfigError(
                f"The backfill {self.start}..{self.end} builds history only; it cannot also take its "
                "history from history runs (pipelined)."
            )
        DailyRun(self.start, self.mode, self.source, self.faults, attempt=self.attempt)

    @property
    def first_workflow_id(self) -> str:
        """The ID of attempt 1 of this backfill; later attempts extend it."""
        prefix = "history" if self.history else "backfill"
        return f"{prefix}:{self.start.isoformat()}:{self.end.isoformat()}:{self.mode}:{self.source}"

    @property
    def workflow_id(self) -> str:
        return attempt_id(self.first_workflow_id, self.attempt)

    def day(self, game_date: date, *, scope: Scope | None = None) -> DailyRun:
        if scope is None:
            scope = Scope.HISTORY if self.history else Scope.DAY
        return DailyRun(
            game_date=game_date,
            mode=self.mode,
            source=self.source,
            faults=self.faults,
            virtual=self.virtual,
            since=self.start,
            scope=scope,
            attempt=self.attempt,
            history_first=self.pipelined,
        )

    def as_history(self) -> Backfill:
        """The history backfill of this range: the history runs its pipelined days take Phases 2-4 from."""
        return replace(self, history=True, pipelined=False, duplicate=False, reorder=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "source": self.source.value,
            "mode": self.mode.value,
            "faults": list(self.faults),
            "virtual": self.virtual,
            "duplicate": self.duplicate,
            "reorder": self.reorder,
            "delivery_seed": self.delivery_seed,
            "attempt": self.attempt,
            "history": self.history,
            "pipelined": self.pipelined,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Backfill:
        return cls(
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            source=SourceKind(data["source"]),
            mode=RunMode(data["mode"]),
            faults=tuple(data["faults"]),
            virtual=bool(data["virtual"]),
            duplicate=bool(data["duplicate"]),
            reorder=bool(data["reorder"]),
            delivery_seed=int(data["delivery_seed"]),
            attempt=int(data.get("attempt", 1)),
            history=bool(data.get("history", False)),
            pipelined=bool(data.get("pipelined", False)),
        )


@dataclass(frozen=True)
class DataEvent:
    """New data for `run.game_date`, seen at `observed_at`; refreshes what depends on it.

    The workflow ID hashes the event's content, so the same event delivered twice runs once.
    """

    kind: EventKind
    run: DailyRun
    observed_at: datetime
    players: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.observed_at.tzinfo is None:
            raise ConfigError(
                f"The {self.kind} event for {self.run.game_date} has a naive observed_at "
                f"({self.observed_at.isoformat()}); pass a timezone-aware UTC instant."
            )

    @property
    def game_date(self) -> date:
        return self.run.game_date

    @property
    def content_hash(self) -> str:
        content = {
            "kind": self.kind.value,
            "game_date": self.game_date.isoformat(),
            "mode": self.run.mode.value,
            "source": self.run.source.value,
            "observed_at": self.observed_at.astimezone(UTC).isoformat(),
            "players": sorted(self.players),
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]

    @property
    def workflow_id(self) -> str:
        return (
            f"event:{self.kind}:{self.game_date.isoformat()}:{self.run.mode}:{self.run.source}:"
            f"{self.content_hash}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "run": self.run.to_json(),
            "observed_at": self.observed_at.astimezone(UTC).isoformat(),
            "players": list(self.players),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DataEvent:
        return cls(
            kind=EventKind(data["kind"]),
            run=DailyRun.from_json(data["run"]),
            observed_at=datetime.fromisoformat(data["observed_at"]),
            players=tuple(data["players"]),
        )


def split_faults(
    specs: tuple[str, ...] | list[str], *, processors: tuple[str, ...]
) -> tuple[tuple[str, ...], FaultPlan]:
    """Parse `--inject` specs into the run faults (processor, source) as canonical specs, and the
    process faults (kill, deliver); processor names must be among `processors`."""
    plan = FaultPlan.from_specs(specs, processors=processors)
    run = tuple(f.spec for f in plan.faults if isinstance(f, ProcessorFault | SourceFault))
    process = FaultPlan(
        tuple(f for f in plan.faults if not isinstance(f, ProcessorFault | SourceFault))
    )
    return run, process
