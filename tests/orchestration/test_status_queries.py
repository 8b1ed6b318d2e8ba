"""How many queries one `nbaprops status` costs: it reads the day's record from the warehouse
only (the read model's `read_day_record`), never the orchestration database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ops.test_health_builder import D, PipelineDays
from tests.ops.test_health_queries import counting_warehouse

from nbaprops.orchestration.status import build_status, latest_game_date
from nbaprops.warehouse import Warehouse

WAREHOUSE_QUERIES_PER_STATUS = 6  # the day's record in 5, its incidents in 1
"""Measured on the healthy day: 5 (1 to pick the latest game_date, 4 for the day's record).
Before status read the read model it was 7 (1 + 6): the latest runs, the gates, the other
events, the phases, the predictions and the graded count each had their own query."""


def count_status_queries(path: Path) -> tuple[int, int, dict[str, Any]]:
    """(warehouse statements, orchestration database connections, the status) of one
    `nbaprops status` of `path` without --date: the latest game_date, then its status."""
    with counting_warehouse(path) as warehouse:
        chosen = latest_game_date(warehouse)
        assert chosen is not None
        status = build_status(warehouse, game_date=chosen)
        return warehouse.statements, warehouse.connections, status


def test_one_status_reads_the_days_record_once(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        PipelineDays(warehouse).healthy()
    statements, connections, status = count_status_queries(path)
    assert status["game_date"] == D.isoformat() and status["processors"]
    assert connections == 0  # status reads the warehouse only, never the DBOS system database
    assert statements <= WAREHOUSE_QUERIES_PER_STATUS
