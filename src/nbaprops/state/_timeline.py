"""The timeline of a game_date: every workflow's phases (when each started and completed, on
the wall clock and on the run's own clock, virtual in backfills and demos), when each processor
of a phase finished, and when each decision was recorded, in time order."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from nbaprops.warehouse import Warehouse

_PHASES = """
    SELECT workflow_id, phase, status, processors, started_at, completed_at, started_utc, completed_utc
    FROM nba_orchestration.phase_completions WHERE game_date = $game_date
    ORDER BY started_utc, completed_utc
"""
_DECISIONS = """
    SELECT workflow_id, kind, gate, processor, decision, reason, decided_at, recorded_utc
    FROM nba_orchestration.orchestration_events WHERE game_date = $game_date
    ORDER BY recorded_utc, event_id
"""


@dataclass(frozen=True)
class FinishedProcessor:
    """A processor of a phase as the phase recorded it: its last attempt's state and count."""

    processor: str
    state: str
    attempt: int
    records: int | None
    expected: int | None
    finished_utc: datetime | None


@dataclass(frozen=True)
class TimedPhase:
    """A phase of one workflow: its span on the wall clock and on the run's clock."""

    workflow_id: str
    phase: str
    status: str
    started_at: datetime
    completed_at: datetime
    started_utc: datetime
    completed_utc: datetime
    processors: tuple[FinishedProcessor, ...]


@dataclass(frozen=True)
class TimedDecision:
    """A gate decision, retry, give-up or timeout: when the run's clock decided it, when it was recorded."""

    workflow_id: str
    kind: str
    gate: str | None
    processor: str | None
    decision: str
    reason: str
    decided_at: datetime
    recorded_utc: datetime


@dataclass(frozen=True)
class DayTimeline:
    """Every workflow's phases and decisions of `game_date`, in time order (wall clock)."""

    game_date: date
    phases: tuple[TimedPhase, ...]
    decisions: tuple[TimedDecision, ...]


def read_day_timeline(warehouse: Warehouse, *, game_date: date) -> DayTimeline:
    """The timeline of `game_date`, in two queries."""
    params = {"game_date": game_date}
    return DayTimeline(
        game_date=game_date,
        phases=tuple(
            TimedPhase(**{**row, "processors": _finished(row["processors"])})
            for row in warehouse.query(_PHASES, params)
        ),
        decisions=tuple(TimedDecision(**row) for row in warehouse.query(_DECISIONS, params)),
    )


def _finished(processors: str) -> tuple[FinishedProcessor, ...]:
    """The phase's processors JSON (processor -> state, attempt, records, expected, finished_utc)."""
    found = []
    for name, run in sorted(json.loads(processors).items()):
        finished = run.get("finished_utc")
        found.append(FinishedProcessor(
            processor=name,
            state=str(run.get("state", "")),
            attempt=int(run.get("attempt") or 1),
            records=run.get("records"),
            expected=run.get("expected"),
            finished_utc=None if finished is None else datetime.fromisoformat(finished).replace(tzinfo=None),
        ))
    return tuple(found)
