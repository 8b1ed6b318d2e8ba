"""Where a game_date stands: each processor's latest run (of the latest attempt), each gate's
latest decision, the retries, give-ups and timeouts, and the predictions and grades the warehouse
holds, read from the warehouse."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.orchestration.store import EVENTS, PHASES
from nbaprops.processors.grading import PredictionAccuracyProcessor
from nbaprops.processors.phase5 import PREDICTIONS
from nbaprops.processors.runner import RUN_HISTORY
from nbaprops.warehouse import Warehouse

# A run's place in time is when it last recorded a phase (wall clock: re-runs of a day run on the
# same virtual clock as the first run); a run that has recorded none yet is still going, so the
# latest. Each processor's latest run counts its attempts within that run only.
_LATEST_RUNS = f"""
    WITH recorded AS (
        SELECT run_id, max(completed_utc) AS recorded_utc FROM {PHASES} GROUP BY run_id
    ), latest AS (
        SELECT DISTINCT ON (h.processor) h.processor, h.run_id
        FROM {RUN_HISTORY} AS h LEFT JOIN recorded AS r USING (run_id)
        WHERE h.game_date = $game_date
        ORDER BY h.processor, coalesce(r.recorded_utc, TIMESTAMP 'infinity') DESC,
                 h.started_at DESC, length(h.run_id) DESC, h.run_id DESC
    )
    SELECT processor, phase, count(*) AS attempts,
           arg_max(status, attempt) AS state, arg_max(records, attempt) AS records,
           arg_max(expected, attempt) AS expected, any_value(run_id) AS run_id,
           arg_max(error_message, attempt) AS error, max(started_at) AS last_started_at
    FROM {RUN_HISTORY} JOIN latest USING (processor, run_id) WHERE game_date = $game_date
    GROUP BY processor, phase ORDER BY phase, processor
"""
_LATEST_GATES = f"""
    SELECT gate, arg_max(decision, recorded_utc) AS decision,
           arg_max(reason, recorded_utc) AS reason,
           arg_max(alert, recorded_utc) AS alert, arg_max(workflow_id, recorded_utc) AS workflow_id,
           count(*) AS evaluations
    FROM {EVENTS} WHERE game_date = $game_date AND kind = 'gate'
    GROUP BY gate ORDER BY gate
"""
_OTHER_EVENTS = f"""
    SELECT kind, decision, processor, reason, alert, workflow_id, decided_at
    FROM {EVENTS} WHERE game_date = $game_date AND kind <> 'gate'
    ORDER BY recorded_utc
"""
_PHASES = f"""
    SELECT workflow_id, phase, status, completed_at FROM {PHASES} WHERE game_date = $game_date
    ORDER BY completed_utc
"""
_PREDICTIONS = f"""
    SELECT count(*) FILTER (WHERE is_active) AS active, count(*) FILTER (WHERE NOT is_active) AS superseded
    FROM {PREDICTIONS} WHERE game_date = $game_date
"""
_GRADED = f"SELECT count(*) FROM {PredictionAccuracyProcessor.output_table} WHERE game_date = $game_date"


def latest_game_date(warehouse: Warehouse) -> date | None:
    """The latest game_date any processor ran for."""
    return warehouse.scalar(f"SELECT max(game_date) FROM {RUN_HISTORY}")


def build_status(warehouse: Warehouse, *, game_date: date) -> dict[str, Any]:
    """The status of `game_date` as plain data."""
    params = {"game_date": game_date}
    processors = [
        {
            "processor": row["processor"],
            "phase": row["phase"],
            "state": row["state"],
            "attempts": int(row["attempts"]),
            "records": row["records"],
            "expected": row["expected"],
            "completeness": _ratio(row["records"], row["expected"]),
            "run_id": row["run_id"],
            "error": row["error"],
        }
        for row in warehouse.query(_LATEST_RUNS, params)
    ]
    gates = [
        {
            "gate": row["gate"],
            "decision": row["decision"],
            "reason": row["reason"],
            "alert": row["alert"],
            "workflow_id": row["workflow_id"],
            "evaluations": int(row["evaluations"]),
        }
        for row in warehouse.query(_LATEST_GATES, params)
    ]
    events = warehouse.query(_OTHER_EVENTS, params)
    phases = [
        {"workflow_id": r["workflow_id"], "phase": r["phase"], "status": r["status"]}
        for r in warehouse.query(_PHASES, params)
    ]
    predictions = warehouse.query(_PREDICTIONS, params)[0]
    return {
        "game_date": game_date.isoformat(),
        "latest_workflow_id": phases[-1]["workflow_id"] if phases else None,
        "predictions": {
            "active": int(predictions["active"]),
            "superseded": int(predictions["superseded"]),
        },
        "graded": int(warehouse.scalar(_GRADED, params) or 0),
        "processors": processors,
        "gates": gates,
        "phases": phases,
        "retries": sum(1 for e in events if e["kind"] == "retry"),
        "events": [
            {
                key: e[key]
                for key in ("kind", "decision", "processor", "reason", "alert", "workflow_id")
            }
            for e in events
        ],
    }


def _ratio(records: int | None, expected: int | None) -> float | None:
    if records is None or expected is None:
        return None
    return 1.0 if expected == 0 else round(records / expected, 4)
