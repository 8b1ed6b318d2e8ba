"""Grading counts: the latest graded game_date and the days before it; dates left ungraded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nbaprops.state._calendar import (
    ScheduledDay,
    day_is_over,
    eastern_date,
    required_utc,
    utc,
    warehouse_instant,
)
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings

GRADING_HISTORY_DAYS = 14


@dataclass(frozen=True)
class GradingCounts:
    """Graded predictions of the latest graded game_date, and of the days before it."""

    game_date: date
    graded: int
    correct: int
    total: int
    """Graded recommendations that won or lost (pushes, voids, PASS and NO_LINE excluded)."""
    mean_absolute_error: float | None
    last_graded_utc: datetime
    history_correct: int
    history_total: int
    history_days: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def history_accuracy(self) -> float | None:
        return self.history_correct / self.history_total if self.history_total else None


def grading_counts(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    history_days: int = GRADING_HISTORY_DAYS,
) -> GradingCounts | None:
    """Counts of the latest game_date graded by `now_utc`, on or before `game_date` (None: none)."""
    params: dict[str, Any] = {"game_date": game_date, "now": warehouse_instant(now_utc)}
    graded_date = warehouse.scalar(
        "SELECT max(game_date) FROM nba_predictions.prediction_accuracy "
        "WHERE game_date <= $game_date AND graded_at <= $now",
        params,
    )
    if graded_date is None:
        return None
    rows = warehouse.query(
        """
        SELECT game_date = $graded_date AS on_day,
               count(*) AS graded,
               count(*) FILTER (WHERE prediction_correct) AS correct,
               count(prediction_correct) AS total,
               avg(absolute_error) AS mae,
               max(graded_at) AS last_graded
        FROM nba_predictions.prediction_accuracy
        WHERE game_date BETWEEN $history_start AND $graded_date AND graded_at <= $now
        GROUP BY ALL
        """,
        {
            **params,
            "graded_date": graded_date,
            "history_start": graded_date - timedelta(days=history_days),
        },
    )
    day = next(row for row in rows if row["on_day"])
    history = next((row for row in rows if not row["on_day"]), None)
    return GradingCounts(
        game_date=graded_date,
        graded=int(day["graded"]),
        correct=int(day["correct"]),
        total=int(day["total"]),
        mean_absolute_error=None if day["mae"] is None else float(day["mae"]),
        last_graded_utc=required_utc(day["last_graded"]),
        history_correct=int(history["correct"]) if history else 0,
        history_total=int(history["total"]) if history else 0,
        history_days=history_days,
    )


def ungraded_game_dates(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> tuple[date, ...]:
    """Dates with predictions whose games are over at `now_utc` but that have no grades.

    Looks `health.grading_lookback_days` back from the earlier of `game_date` and today. A day
    is over `replay.game_duration_hours` after its last tip-off; a day without a schedule, once
    the US Eastern day after it has begun.
    """
    first = min(game_date, eastern_date(now_utc)) - timedelta(
        days=settings.health.grading_lookback_days
    )
    days = read_predicted_ungraded_days(warehouse, first=first, now_utc=now_utc)
    return over_days(days, now_utc=now_utc, game_duration_hours=settings.replay.game_duration_hours)


def read_predicted_ungraded_days(
    warehouse: Warehouse, *, first: date, now_utc: datetime
) -> tuple[ScheduledDay, ...]:
    """Dates from `first` to today with predictions and no grades at `now_utc`, with their last
    tip-off (`games` is not read: 0)."""
    rows = warehouse.query(
        """
        WITH predicted AS (
            SELECT DISTINCT game_date FROM nba_predictions.player_prop_predictions
            WHERE game_date BETWEEN $first AND $today AND created_at <= $now
        ), graded AS (
            SELECT DISTINCT game_date FROM nba_predictions.prediction_accuracy
            WHERE game_date BETWEEN $first AND $today AND graded_at <= $now
        ), tipoffs AS (
            SELECT game_date, max(tipoff_utc) AS last_tipoff FROM nba_raw.schedule
            WHERE game_date BETWEEN $first AND $today AND status <> 'postponed'
            GROUP BY game_date
        )
        SELECT p.game_date, t.last_tipoff FROM predicted AS p
        LEFT JOIN tipoffs AS t USING (game_date)
        WHERE p.game_date NOT IN (SELECT game_date FROM graded)
        ORDER BY p.game_date
        """,
        {"first": first, "today": eastern_date(now_utc), "now": warehouse_instant(now_utc)},
    )
    return tuple(ScheduledDay(row["game_date"], 0, utc(row["last_tipoff"])) for row in rows)


def over_days(
    days: Sequence[ScheduledDay], *, now_utc: datetime, game_duration_hours: float
) -> tuple[date, ...]:
    """The dates of `days` whose games are over at `now_utc`."""
    return tuple(
        day.game_date
        for day in days
        if day_is_over(day, now_utc=now_utc, game_duration_hours=game_duration_hours)
    )
