"""Reads of the schedule: the games of a day, the game day before it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from nbaprops.state._calendar import ScheduledDay, utc, warehouse_instant
from nbaprops.state._sql import RUNS_AS_OF
from nbaprops.warehouse import Warehouse

PREVIOUS_GAME_DAY_LOOKBACK_DAYS = 14


def scheduled_days(warehouse: Warehouse, game_dates: Iterable[date]) -> dict[date, ScheduledDay]:
    """The games scheduled on each of `game_dates` (postponed ones left out), in one query."""
    wanted = sorted(set(game_dates))
    rows = warehouse.query(
        "SELECT game_date, count(DISTINCT game_id) AS games, max(tipoff_utc) AS last_tipoff "
        "FROM nba_raw.schedule WHERE list_contains($dates, game_date) AND status <> 'postponed' "
        "GROUP BY game_date",
        {"dates": wanted},
    )
    found = {
        row["game_date"]: ScheduledDay(row["game_date"], int(row["games"]), utc(row["last_tipoff"]))
        for row in rows
    }
    return {day: found.get(day, ScheduledDay(day, 0, None)) for day in wanted}


def previous_game_day(warehouse: Warehouse, *, game_date: date, now_utc: datetime) -> date | None:
    """The last game day before `game_date` (two weeks back at most), from the schedule and runs."""
    found: date | None = warehouse.scalar(
        f"""
        SELECT max(game_date) FROM (
            SELECT game_date FROM nba_raw.schedule WHERE status <> 'postponed'
            UNION ALL SELECT game_date FROM ({RUNS_AS_OF})
        ) WHERE game_date < $game_date AND game_date >= $first
        """,
        {
            "game_date": game_date,
            "first": game_date - timedelta(days=PREVIOUS_GAME_DAY_LOOKBACK_DAYS),
            "now": warehouse_instant(now_utc),
        },
    )
    return found


def table_exists(warehouse: Warehouse, table: str) -> bool:
    """Whether `schema.table` exists (tables of later migrations may be absent)."""
    schema, name = table.split(".")
    return bool(
        warehouse.scalar(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = $schema AND table_name = $name",
            {"schema": schema, "name": name},
        )
    )
