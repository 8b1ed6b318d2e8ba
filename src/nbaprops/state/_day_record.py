"""The record of a game_date: each processor's latest run (of the latest attempt), every
orchestration decision, the phases completed, and the predictions and grades the warehouse holds.

Read as the warehouse stands now (no as-of clock): it is the day's record, which `status` shows
and a run reports. The reader fetches rows; `latest_gate_decisions` is the pure fold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from nbaprops.warehouse import Warehouse

# A run's place in time is when it last recorded a phase (wall clock: re-runs of a day run on the
# same virtual clock as the first run); a run that has recorded none yet is still going, so the
# latest. Each processor's latest run counts its attempts within that run only.
_LATEST_RUNS = """
    WITH recorded AS (
        SELECT run_id, max(completed_utc) AS recorded_utc
        FROM nba_orchestration.phase_completions GROUP BY run_id
    ), latest AS (
        SELECT DISTINCT ON (h.processor) h.processor, h.run_id
        FROM nba_orchestration.processor_run_history AS h LEFT JOIN recorded AS r USING (run_id)
        WHERE h.game_date = $game_date
        ORDER BY h.processor, coalesce(r.recorded_utc, TIMESTAMP 'infinity') DESC,
                 h.started_at DESC, length(h.run_id) DESC, h.run_id DESC
    )
    SELECT processor, phase, count(*) AS attempts,
           arg_max(status, attempt) AS state, arg_max(records, attempt) AS records,
           arg_max(expected, attempt) AS expected, any_value(run_id) AS run_id,
           arg_max(error_message, attempt) AS error
    FROM nba_orchestration.processor_run_history JOIN latest USING (processor, run_id)
    WHERE game_date = $game_date
    GROUP BY processor, phase ORDER BY phase, processor
"""
_EVENTS = """
    SELECT kind, gate, decision, processor, reason, alert, workflow_id
    FROM nba_orchestration.orchestration_events WHERE game_date = $game_date
    ORDER BY recorded_utc, event_id
"""
_PHASES = """
    SELECT workflow_id, phase, status FROM nba_orchestration.phase_completions
    WHERE game_date = $game_date ORDER BY completed_utc
"""
_COUNTS = """
    SELECT
        (SELECT count(*) FILTER (WHERE is_active) FROM nba_predictions.player_prop_predictions
         WHERE game_date = $game_date) AS active,
        (SELECT count(*) FILTER (WHERE NOT is_active) FROM nba_predictions.player_prop_predictions
         WHERE game_date = $game_date) AS superseded,
        (SELECT count(*) FROM nba_predictions.prediction_accuracy
         WHERE game_date = $game_date) AS graded
"""


@dataclass(frozen=True)
class AttemptRun:
    """One processor's latest run of a game_date, within the day's latest attempt."""

    processor: str
    phase: str
    state: str
    """The run's status (running, success, partial, failed, ...)."""
    attempts: int
    """Runs of the processor within that attempt."""
    records: int | None
    expected: int | None
    run_id: str
    error: str | None


@dataclass(frozen=True)
class DayEvent:
    """One orchestration decision: a gate's, a retry, a give-up, a timeout, a data event."""

    kind: str
    gate: str | None
    decision: str
    processor: str | None
    reason: str
    alert: bool
    workflow_id: str


@dataclass(frozen=True)
class GateDecision:
    """A gate's latest decision of a game_date, and how often it was evaluated."""

    gate: str
    decision: str
    reason: str
    alert: bool
    workflow_id: str
    evaluations: int


@dataclass(frozen=True)
class PhaseRecord:
    """A phase a workflow completed (or gave up on) for the game_date."""

    workflow_id: str
    phase: str
    status: str


@dataclass(frozen=True)
class DayRecord:
    """What the warehouse records of a game_date's runs."""

    game_date: date
    runs: tuple[AttemptRun, ...]
    """Each processor's latest run of the latest attempt, by phase and processor."""
    events: tuple[DayEvent, ...]
    """Every decision, in the order recorded."""
    phases: tuple[PhaseRecord, ...]
    """In the order completed."""
    active_predictions: int
    superseded_predictions: int
    graded: int

    @property
    def gates(self) -> tuple[GateDecision, ...]:
        """Each gate's latest decision, by gate."""
        return latest_gate_decisions(self.events)

    @property
    def latest_workflow_id(self) -> str | None:
        """The workflow that completed the latest phase (None: none has)."""
        return self.phases[-1].workflow_id if self.phases else None


def read_day_record(warehouse: Warehouse, *, game_date: date) -> DayRecord:
    """The record of `game_date` as the warehouse holds it now, in four queries."""
    params = {"game_date": game_date}
    counts = warehouse.query(_COUNTS, params)[0]
    return DayRecord(
        game_date=game_date,
        runs=tuple(
            AttemptRun(
                processor=row["processor"],
                phase=row["phase"],
                state=row["state"],
                attempts=int(row["attempts"]),
                records=row["records"],
                expected=row["expected"],
                run_id=row["run_id"],
                error=row["error"],
            )
            for row in warehouse.query(_LATEST_RUNS, params)
        ),
        events=tuple(DayEvent(**row) for row in warehouse.query(_EVENTS, params)),
        phases=tuple(PhaseRecord(**row) for row in warehouse.query(_PHASES, params)),
        active_predictions=int(counts["active"]),
        superseded_predictions=int(counts["superseded"]),
        graded=int(counts["graded"]),
    )


def latest_run_date(warehouse: Warehouse) -> date | None:
    """The latest game_date any processor ran for."""
    found: date | None = warehouse.scalar(
        "SELECT max(game_date) FROM nba_orchestration.processor_run_history"
    )
    return found


def latest_gate_decisions(events: Iterable[DayEvent]) -> tuple[GateDecision, ...]:
    """Each gate's latest decision among `events` (in the order recorded), by gate."""
    latest: dict[str, GateDecision] = {}
    for event in events:
        if event.kind != "gate" or event.gate is None:
            continue
        before = latest.get(event.gate)
        latest[event.gate] = GateDecision(
            gate=event.gate,
            decision=event.decision,
            reason=event.reason,
            alert=event.alert,
            workflow_id=event.workflow_id,
            evaluations=1 if before is None else before.evaluations + 1,
        )
    return tuple(latest[gate] for gate in sorted(latest))
