"""Orchestration records in the warehouse: decisions (orchestration_events) and phase completions.

Both writes are idempotent (keyed by workflow and place in it), so a step re-executed after a
crash cannot record anything twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from nbaprops.warehouse import Warehouse

EVENTS = "nba_orchestration.orchestration_events"
PHASES = "nba_orchestration.phase_completions"


@dataclass(frozen=True)
class Decision:
    """One decision of a workflow, as it goes into orchestration_events."""

    workflow_id: str
    game_date: date
    mode: str
    kind: str
    decision: str
    reason: str
    decided_at: datetime
    alert: bool = False
    gate: str | None = None
    processor: str | None = None
    inputs: dict[str, Any] | None = None

    def event_id(self, ordinal: int) -> str:
        """Stable across re-executions: the workflow and the decision's place in it."""
        key = f"{self.workflow_id}#{ordinal}#{self.kind}#{self.gate or ''}#{self.processor or ''}"
        return hashlib.sha1(key.encode()).hexdigest()[:24]


_INSERT_DECISION = f"""
    INSERT OR IGNORE INTO {EVENTS} (event_id, workflow_id, game_date, mode, kind, gate, processor,
        decision, reason, alert, inputs, decided_at, recorded_utc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_PHASE = f"""
    INSERT OR IGNORE INTO {PHASES} (workflow_id, run_id, game_date, mode, phase, status, processors,
        started_at, completed_at, started_utc, completed_utc, config_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_APPLIED_EVENTS = f"""
    SELECT workflow_id, inputs FROM {EVENTS}
    WHERE kind = 'data_event' AND decision = 'applied' AND game_date = ?
      AND json_extract_string(inputs, '$.event_kind') = ?
      AND json_extract_string(inputs, '$.source_mode') = ?
"""


def record_decision(warehouse: Warehouse, decision: Decision, *, ordinal: int) -> str:
    """Insert the decision once; returns its event_id."""
    event_id = decision.event_id(ordinal)
    warehouse.execute(
        _INSERT_DECISION,
        [
            event_id,
            decision.workflow_id,
            decision.game_date,
            decision.mode,
            decision.kind,
            decision.gate,
            decision.processor,
            decision.decision,
            decision.reason,
            decision.alert,
            json.dumps(decision.inputs or {}, sort_keys=True, default=str),
            naive_utc(decision.decided_at),
            naive_utc(datetime.now(UTC)),
        ],
    )
    return event_id


@dataclass(frozen=True)
class PhaseCompletion:
    """A phase of a workflow, over: how it ended and where each processor stood."""

    workflow_id: str
    run_id: str
    game_date: date
    mode: str
    phase: str
    status: str  # complete, degraded, failed, skipped
    processors: dict[str, dict[str, Any]]
    started_at: datetime
    completed_at: datetime
    started_utc: datetime
    completed_utc: datetime
    config_hash: str | None = None  # the effective config the phase ran under (config_history)


def record_phase(warehouse: Warehouse, completion: PhaseCompletion) -> None:
    """Record the completion once, in one statement, so atomically (a replay changes nothing)."""
    warehouse.execute(
        _INSERT_PHASE,
        [
            completion.workflow_id,
            completion.run_id,
            completion.game_date,
            completion.mode,
            completion.phase,
            completion.status,
            json.dumps(completion.processors, sort_keys=True, default=str),
            naive_utc(completion.started_at),
            naive_utc(completion.completed_at),
            naive_utc(completion.started_utc),
            naive_utc(completion.completed_utc),
            completion.config_hash,
        ],
    )


def applied_events(
    warehouse: Warehouse, *, game_date: date, kind: str, source_mode: str
) -> list[dict[str, Any]]:
    """Data events of `kind` applied to `game_date` in `source_mode` (mode:source), oldest first."""
    rows = warehouse.query(_APPLIED_EVENTS, [game_date, kind, source_mode])
    events = [{"workflow_id": row["workflow_id"], **json.loads(row["inputs"])} for row in rows]
    return sorted(events, key=lambda event: event["observed_at"])


def naive_utc(instant: datetime) -> datetime:
    """A naive UTC datetime, as DuckDB TIMESTAMP columns hold."""
    if instant.tzinfo is None:
        return instant
    return instant.astimezone(UTC).replace(tzinfo=None)
