"""Where a game_date stands: each processor's latest run (of the latest attempt), each gate's
latest decision, the retries, give-ups and timeouts, and the predictions and grades the warehouse
holds, shaped from the day's record in the read model (`nbaprops.state.read_day_record`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.reliability.incidents import IncidentStore
from nbaprops.state import DayRecord, latest_run_date, read_day_record
from nbaprops.warehouse import Warehouse


def latest_game_date(warehouse: Warehouse) -> date | None:
    """The latest game_date any processor ran for."""
    return latest_run_date(warehouse)


def build_status(warehouse: Warehouse, *, game_date: date) -> dict[str, Any]:
    """The status of `game_date` as plain data, with its incidents and their diagnosis."""
    status = status_of(read_day_record(warehouse, game_date=game_date))
    try:
        incidents = IncidentStore(warehouse).incidents(game_date=game_date)
    except warehouse.missing_table_errors:  # a warehouse from before 0009_incidents, opened read-only
        incidents = []
    return {**status, "incidents": [incident.to_json() for incident in incidents]}


def status_of(record: DayRecord) -> dict[str, Any]:
    """The status of the day `record` holds, as plain data."""
    events = [e for e in record.events if e.kind != "gate"]
    return {
        "game_date": record.game_date.isoformat(),
        "latest_workflow_id": record.latest_workflow_id,
        "predictions": {
            "active": record.active_predictions,
            "superseded": record.superseded_predictions,
        },
        "graded": record.graded,
        "processors": [
            {
                "processor": run.processor,
                "phase": run.phase,
                "state": run.state,
                "attempts": run.attempts,
                "records": run.records,
                "expected": run.expected,
                "completeness": _ratio(run.records, run.expected),
                "run_id": run.run_id,
                "error": run.error,
            }
            for run in record.runs
        ],
        "gates": [
            {
                "gate": g.gate,
                "decision": g.decision,
                "reason": g.reason,
                "alert": g.alert,
                "workflow_id": g.workflow_id,
                "evaluations": g.evaluations,
            }
            for g in record.gates
        ],
        "phases": [
            {"workflow_id": p.workflow_id, "phase": p.phase, "status": p.status}
            for p in record.phases
        ],
        "retries": sum(1 for e in events if e.kind == "retry"),
        "events": [
            {
                "kind": e.kind,
                "decision": e.decision,
                "processor": e.processor,
                "reason": e.reason,
                "alert": e.alert,
                "workflow_id": e.workflow_id,
            }
            for e in events
        ],
    }


def _ratio(records: int | None, expected: int | None) -> float | None:
    if records is None or expected is None:
        return None
    return 1.0 if expected == 0 else round(records / expected, 4)
