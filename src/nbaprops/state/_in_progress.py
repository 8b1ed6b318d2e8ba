"""Runs in progress: processor runs started and not finished at an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from nbaprops.state._calendar import required_utc, warehouse_instant
from nbaprops.state._sql import RUNS_AS_OF
from nbaprops.warehouse import Warehouse


@dataclass(frozen=True)
class RunInProgress:
    """A processor run that has started and not finished."""

    processor: str
    phase: str
    game_date: date
    run_id: str
    started_utc: datetime


def runs_in_progress(warehouse: Warehouse, *, now_utc: datetime) -> tuple[RunInProgress, ...]:
    """Processor runs started and not finished at `now_utc`, oldest first."""
    rows = warehouse.query(
        f"SELECT * FROM ({RUNS_AS_OF}) WHERE status = 'running' ORDER BY started_at, processor",
        {"now": warehouse_instant(now_utc)},
    )
    return tuple(
        RunInProgress(
            processor=row["processor"],
            phase=row["phase"],
            game_date=row["game_date"],
            run_id=row["run_id"],
            started_utc=required_utc(row["started_at"]),
        )
        for row in rows
    )
