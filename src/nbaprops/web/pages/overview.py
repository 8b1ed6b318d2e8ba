"""The home page: what the warehouse holds in a line each, and a link to every page."""

from __future__ import annotations

from typing import Any

from nbaprops.state import latest_run_date
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import iso

_COUNTS = """
    SELECT
        (SELECT count(DISTINCT game_date) FROM nba_orchestration.processor_run_history) AS days_run,
        (SELECT count(*) FROM nba_predictions.player_prop_predictions WHERE is_active) AS predictions,
        (SELECT count(*) FROM nba_predictions.prediction_accuracy) AS graded,
        (SELECT count(*) FROM nba_orchestration.alert_state WHERE status = 'firing') AS alerts_firing
"""
PAGES = (
    ("pipeline", "Pipeline", "Per game_date and processor: status, attempts, records/expected, gates, timeline."),
    ("predictions", "Predictions", "Volume, hit rate per system, MAE and Brier against the market, calibration, ROI."),
    ("today", "Today", "The day's gated picks as the picks command lists them, why the rest passed; sortable, CSV."),
    ("system", "System", "Latency, retries, breakers, incidents, alerts and silences, source freshness."),
)


def overview_data(warehouse: Warehouse) -> dict[str, Any]:
    """Counts of what the warehouse holds, the latest date run, and the pages."""
    counts = warehouse.query(_COUNTS)[0]
    return {
        "latest_run_date": iso(latest_run_date(warehouse)),
        **counts,
        "pages": [{"path": f"/{path}", "title": title, "about": about} for path, title, about in PAGES],
    }
