"""How many queries one `nbaprops health` costs: the warehouse's and the orchestration database's.

`nbaprops health` picks its clock (`home_clock`) and checks one game_date (`check_health`); both
read the warehouse only. The read model reads each fact of the game_date once, so the count is
a budget that a new consumer reading the same facts again would break.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.ops.test_health_builder import NOW, PipelineDays

from nbaprops.config import Settings
from nbaprops.ops import check_health, home_clock
from nbaprops.warehouse import Warehouse
from nbaprops.warehouse._backend import Backend, Result

WAREHOUSE_QUERIES_PER_HEALTH_CHECK = 28
"""Measured on the healthy day: 28 (3 to pick the clock, 25 for the check). Before the read
model it was 43 (3 + 40): health facts and alert signals each read the schedule, the previous
game day, Phase 3 progress, grading counts, ungraded dates, runs in progress, failed runs and
last writes themselves. The read model brought it to 25; self-healing added three facts read
once each: the retry budget's refusals, whether the incidents table exists, and the open
incidents' diagnoses."""


class CountingWarehouse(Warehouse):
    """A warehouse that counts the statements it sends to its backend."""

    def __init__(self, backend: Backend, path: Path) -> None:
        super().__init__(backend, path)
        self.statements = 0
        self.connections = 0

    def _run(self, sql: str, params: Any) -> Result:
        self.statements += 1
        return super()._run(sql, params)


@contextmanager
def counting_warehouse(path: Path) -> Iterator[CountingWarehouse]:
    """`path` opened read-only as a `CountingWarehouse` whose `connections` counts the
    orchestration (SQLite) database connections opened meanwhile."""
    connect = sqlite3.connect

    with pytest.MonkeyPatch.context() as patch, Warehouse.open(path, read_only=True) as opened:
        warehouse = CountingWarehouse(opened._backend, path)

        def counting_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            warehouse.connections += 1
            return connect(*args, **kwargs)

        patch.setattr(sqlite3, "connect", counting_connect)
        yield warehouse


def count_health_queries(path: Path, *, now_utc: datetime) -> tuple[int, int]:
    """(warehouse statements, orchestration database connections) of one health check of `path`
    as `nbaprops health` runs it: its clock, then the check of the chosen game_date."""
    with counting_warehouse(path) as warehouse:
        clock = home_clock(warehouse, wall_now=now_utc, as_of=None, game_date=None)
        check_health(warehouse, now_utc=clock.now_utc, settings=Settings())
        return warehouse.statements, warehouse.connections


def test_one_health_check_reads_each_fact_once(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        PipelineDays(warehouse).healthy()
    statements, connections = count_health_queries(path, now_utc=NOW.astimezone(UTC))
    assert connections == 0  # health reads the warehouse only, never the DBOS system database
    assert statements <= WAREHOUSE_QUERIES_PER_HEALTH_CHECK
