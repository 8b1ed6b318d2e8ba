"""A few graded picks, today's picks and incidents written into a home's warehouse, for digest tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from nbaprops.warehouse import Warehouse

CREATED = datetime(2025, 1, 1, 12, 0)


def prediction(prediction_id: str, game_date: date, system_id: str, *, pick: str, line: float | None = None,
               price: int | None = None, ev: float | None = None, player: str = "p1", market: str = "points",
               stake: float = 0.01) -> dict[str, Any]:
    return {"prediction_id": prediction_id, "game_date": game_date, "game_id": "g1", "player_lookup": player,
            "market": market, "system_id": system_id, "predicted_value": 20.0, "line_value": line,
            "line_source": "preferred", "recommendation": pick if pick in ("OVER", "UNDER") else "PASS",
            "is_active": True, "created_at": CREATED, "pick": pick, "pick_line": line, "pick_price": price,
            "pick_bookmaker": "draftkings", "pick_ev": ev, "pick_p": 0.55, "stake": stake,
            "over_price": price, "under_price": price,
            # the ensemble is the champion, similarity the canary making its picks in threes
            "system_role": "champion" if system_id == "ensemble" else "canary", "makes_pick": True}


def seed(warehouse: Warehouse, *, earlier: date, yesterday: date, today: date) -> None:
    """ensemble: yesterday a win at -110, a loss at +120 and a void, earlier a win at +100; similarity:
    yesterday a win at -120; a PASS that must not count; today three ensemble bets and a PASS."""
    graded = [  # (prediction, actual value or None for void)
        (prediction("e1", yesterday, "ensemble", pick="OVER", line=20.5, price=-110), 25.0),
        (prediction("e2", yesterday, "ensemble", pick="UNDER", line=5.5, price=120, player="p2"), 7.0),
        (prediction("e3", yesterday, "ensemble", pick="OVER", line=10.5, price=-110, player="p3"), None),
        (prediction("e4", earlier, "ensemble", pick="OVER", line=15.5, price=100), 18.0),
        (prediction("e5", yesterday, "ensemble", pick="PASS", line=12.5, price=-110, player="p4"), 3.0),
        (prediction("s1", yesterday, "similarity", pick="OVER", line=3.5, price=-120, market="threes"), 4.0),
    ]
    todays = [
        prediction("t1", today, "ensemble", pick="OVER", line=22.5, price=-105, ev=0.05, player="t1"),
        prediction("t2", today, "ensemble", pick="UNDER", line=8.5, price=110, ev=0.12, player="t2"),
        prediction("t3", today, "ensemble", pick="OVER", line=4.5, price=-115, ev=0.08, player="t3"),
        prediction("t4", today, "ensemble", pick="PASS", line=9.5, price=-110, ev=0.01, player="t4"),
    ]
    for row, _ in graded:
        _insert(warehouse, "nba_predictions.player_prop_predictions", row)
    for row in todays:
        _insert(warehouse, "nba_predictions.player_prop_predictions", row)
    for row, actual in graded:
        _insert(warehouse, "nba_predictions.prediction_accuracy", {
            "prediction_id": row["prediction_id"], "game_date": row["game_date"], "game_id": "g1",
            "player_lookup": row["player_lookup"], "market": row["market"], "system_id": row["system_id"],
            "recommendation": row["recommendation"], "line_value": row["line_value"], "actual_value": actual,
            "is_push": False, "is_void": actual is None, "graded_at": CREATED})
    for incident_id, status in (("open-1", "open"), ("done-1", "resolved")):
        _insert(warehouse, "nba_orchestration.incidents", {
            "incident_id": incident_id, "fingerprint": incident_id, "component": "player_game_summary",
            "error_class": "ProcessorError", "game_date": yesterday, "status": status,
            "opened_at": datetime(2025, 1, 1, 10), "detected_at": datetime(2025, 1, 1, 10),
            "last_failure_at": datetime(2025, 1, 1, 11), "failures": 2, "failure_keys": ["a", "b"],
            "remediation": "[]", "alerts": "[]", "recorded_utc": CREATED,
            "root_cause": "box scores late" if status == "open" else None})


def _insert(warehouse: Warehouse, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    warehouse.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
