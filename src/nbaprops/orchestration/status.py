"""Where a game_date stands: each processor's latest run, each gate's latest decision, the
retries, give-ups and timeouts, read from the warehouse."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.orchestration.store import EVENTS, PHASES
from nbaprops.processors.runner import RUN_HISTORY
from nbaprops.warehouse import Warehouse

_LATEST_RUNS = f"""
    SELECT processor, phase, count(*) AS attempts,
           arg_max(status, started_at) AS state, arg_max(records, started_at) AS records,
           arg_max(expected, started_at) AS expected, arg_max(run_id, started_at) AS run_id,
           arg_max(error_message, started_at) AS error, max(started_at) AS last_started_at
    FROM {RUN_HISTORY} WHERE game_date = $game_date
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
    return {
        "game_date": game_date.isoformat(),
        "processors": processors,
        "gates": gates,
        "phases": [
            {"workflow_id": r["workflow_id"], "phase": r["phase"], "status": r["status"]}
            for r in warehouse.query(_PHASES, params)
        ],
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
