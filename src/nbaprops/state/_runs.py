"""Run-history reads every consumer shares: recent failures and each processor's last write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nbaprops.state._calendar import required_utc, warehouse_instant
from nbaprops.state._sql import ERROR_STATUSES, RUNS_AS_OF, WROTE_STATUSES
from nbaprops.warehouse import Warehouse


@dataclass(frozen=True)
class RunError:
    """A run that failed, timed out or was abandoned."""

    processor: str
    phase: str
    game_date: date
    attempt: int
    status: str
    failed_utc: datetime
    error_class: str | None
    error_message: str | None
    recovered: bool
    """A later run of the same processor and date wrote its partition."""


@dataclass(frozen=True)
class LastWrite:
    """When a processor last wrote its partition (a success or a partial run), any date."""

    phase: str
    processor: str
    finished_utc: datetime


def recent_errors(
    warehouse: Warehouse, *, now_utc: datetime, window_hours: float
) -> tuple[RunError, ...]:
    """Runs that failed within `window_hours` before `now_utc`, newest first."""
    now = warehouse_instant(now_utc)
    rows = warehouse.query(
        f"""
        WITH runs AS ({RUNS_AS_OF})
        SELECT e.processor, e.phase, e.game_date, e.attempt, e.status, e.error_class,
               e.error_message, coalesce(e.finished_at, e.started_at) AS failed_at,
               EXISTS (
                   SELECT 1 FROM runs AS s
                   WHERE s.processor = e.processor AND s.game_date = e.game_date
                     AND s.started_at > e.started_at AND list_contains($wrote, s.status)
               ) AS recovered
        FROM runs AS e
        WHERE list_contains($errors, e.status) AND coalesce(e.finished_at, e.started_at) > $since
        ORDER BY failed_at DESC, e.processor
        """,
        {
            "now": now,
            "since": now - timedelta(hours=window_hours),
            "errors": list(ERROR_STATUSES),
            "wrote": list(WROTE_STATUSES),
        },
    )
    return tuple(
        RunError(
            processor=row["processor"],
            phase=row["phase"],
            game_date=row["game_date"],
            attempt=int(row["attempt"]),
            status=row["status"],
            failed_utc=required_utc(row["failed_at"]),
            error_class=row["error_class"],
            error_message=row["error_message"],
            recovered=bool(row["recovered"]),
        )
        for row in rows
    )


def last_writes(warehouse: Warehouse, *, now_utc: datetime) -> tuple[LastWrite, ...]:
    """Each processor's last write by `now_utc`, whatever its date."""
    rows = warehouse.query(
        f"""
        SELECT phase, processor, max(finished_at) AS last_write FROM ({RUNS_AS_OF})
        WHERE list_contains($wrote, status) AND finished_at IS NOT NULL
        GROUP BY phase, processor ORDER BY phase, processor
        """,
        {"now": warehouse_instant(now_utc), "wrote": list(WROTE_STATUSES)},
    )
    return tuple(
        LastWrite(row["phase"], row["processor"], required_utc(row["last_write"])) for row in rows
    )
