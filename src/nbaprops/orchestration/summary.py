"""A season (or any range of game dates) as the orchestrator left it: predictions, graded picks,
hit rate per system, gate decisions and retries."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.orchestration.store import EVENTS
from nbaprops.warehouse import Warehouse

_PICK = "NOT is_void AND NOT is_push AND recommendation IN ('OVER', 'UNDER')"
_PER_SYSTEM = f"""
    SELECT system_id,
           count(*) FILTER (WHERE NOT is_void) AS graded,
           count(*) FILTER (WHERE {_PICK}) AS picks,
           count(*) FILTER (WHERE {_PICK} AND prediction_correct) AS hits
    FROM nba_predictions.prediction_accuracy WHERE game_date BETWEEN $start AND $end
    GROUP BY system_id ORDER BY system_id
"""
_GATES = f"""
    SELECT gate, decision, count(*) AS n FROM {EVENTS}
    WHERE kind = 'gate' AND game_date BETWEEN $start AND $end
    GROUP BY gate, decision ORDER BY gate, decision
"""
_KINDS = f"""
    SELECT kind, count(*) AS n FROM {EVENTS}
    WHERE game_date BETWEEN $start AND $end AND kind <> 'gate' GROUP BY kind ORDER BY kind
"""


def season_summary(warehouse: Warehouse, *, start: date, end: date) -> dict[str, Any]:
    """What the orchestrator produced and decided for game dates in [start, end]."""
    params = {"start": start, "end": end}
    predictions = warehouse.query(
        "SELECT count(*) AS n, count(DISTINCT game_date) AS days FROM "
        "nba_predictions.player_prop_predictions "
        "WHERE is_active AND game_date BETWEEN $start AND $end",
        params,
    )[0]
    systems = []
    for row in warehouse.query(_PER_SYSTEM, params):
        picks, hits = int(row["picks"]), int(row["hits"])
        systems.append(
            {
                "system_id": row["system_id"],
                "graded": int(row["graded"]),
                "picks": picks,
                "hits": hits,
                "hit_rate": None if picks == 0 else round(hits / picks, 4),
            }
        )
    gates: dict[str, dict[str, int]] = {}
    for row in warehouse.query(_GATES, params):
        gates.setdefault(row["gate"], {})[row["decision"]] = int(row["n"])
    kinds = {row["kind"]: int(row["n"]) for row in warehouse.query(_KINDS, params)}
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "prediction_days": int(predictions["days"]),
        "predictions": int(predictions["n"]),
        "graded": sum(s["graded"] for s in systems),
        "picks": sum(s["picks"] for s in systems),
        "systems": systems,
        "gate_decisions": gates,
        "retries": kinds.get("retry", 0),
        "give_ups": kinds.get("give_up", 0),
        "timeouts": kinds.get("timeout", 0),
        "alerts": int(
            warehouse.scalar(
                f"SELECT count(*) FROM {EVENTS} WHERE alert AND game_date BETWEEN $start AND $end",
                params,
            )
        ),
    }
