"""Reads of graded predictions per graded day over a trailing window, kept between days (`DatedReads`):
a day's review, evidence and blend read only the day graded since the last, and a day again only when
its grades or predictions were written again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nbaprops.warehouse import DatedReads, Warehouse, by_date

GRADED_TABLES = ("nba_predictions.prediction_accuracy", "nba_predictions.player_prop_predictions")


def graded_days(
    warehouse: Warehouse, reads: DatedReads | None, sql: str, params: dict[str, Any], *, game_date: date,
    window_days: int,
) -> list[dict[str, Any]]:
    """The rows of `sql` (per graded day, over [$start, $end)) for the `window_days` before `game_date`, by
    day: read through `reads`, earlier days come from its kept reads unless their grades moved."""
    def fetch(start: date, end: date) -> dict[date, list[dict[str, Any]]]:
        return by_date(warehouse.query(sql, {**params, "start": start, "end": end}))

    found = (reads or DatedReads()).read(
        warehouse, key=(sql, tuple(sorted(params.items()))), tables=GRADED_TABLES,
        start=game_date - timedelta(days=window_days), end=game_date, fetch=fetch)
    return [row for rows in found.values() for row in rows]
