"""Builds the `AlertSignals` the rules look at from the warehouse, as things stood at an instant.

Every read is "as of" `now_utc`, so checking a backfilled day (whose runs carry virtual times)
reads the way it did then, and checking now reads the warehouse as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from nbaprops.alerting.collect._calendar import warehouse_instant
from nbaprops.alerting.collect._grading import grading_counts, ungraded_game_dates
from nbaprops.alerting.collect._phase3 import phase3_finished, phase3_progress
from nbaprops.alerting.collect._runs import (
    error_times,
    last_success,
    phase4_started,
    predictions_count_when_due,
    retry_pending_components,
    runs_in_progress,
    sources_down,
)
from nbaprops.alerting.collect._schedule import previous_game_day, scheduled_day
from nbaprops.alerting.signals import AlertSignals
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    # For types only: nbaprops.config imports the alerting package, so a runtime import cycles.
    from nbaprops.config import Settings


def collect_signals(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> AlertSignals:
    """Every signal the warehouse can tell about `game_date` at `now_utc`; None where unknown."""
    warehouse_instant(now_utc)  # refuses a naive now_utc before any read
    day = scheduled_day(warehouse, game_date)
    previous = previous_game_day(warehouse, game_date=game_date, now_utc=now_utc)
    progress = phase3_progress(
        warehouse, game_date=game_date, now_utc=now_utc, settings=settings, previous=previous
    )
    grading = grading_counts(warehouse, game_date=game_date, now_utc=now_utc)
    complete = [p for p in progress if p.complete]
    starts = [p.first_started_utc for p in progress if p.first_started_utc is not None]
    finished = phase3_finished(progress)
    return AlertSignals(
        now_utc=now_utc,
        game_date=game_date,
        games_scheduled=day.games,
        phase3_processors_expected=tuple(p.processor for p in progress),
        phase3_processors_complete=tuple(p.processor for p in complete),
        phase3_started_utc=min(starts, default=None),
        phase3_last_success_utc=last_success(warehouse, phase="phase3", now_utc=now_utc),
        phase2_last_success_utc=last_success(warehouse, phase="phase2", now_utc=now_utc),
        phase3_finished_utc=finished,
        phase4_started_utc=phase4_started(
            warehouse,
            game_date=game_date,
            now_utc=now_utc,
            settings=settings,
            phase3_finished_utc=finished,
        ),
        grading_game_date=grading.game_date if grading else None,
        grading_correct=grading.correct if grading else None,
        grading_total=grading.total if grading else None,
        grading_history_correct=grading.history_correct if grading else None,
        grading_history_total=grading.history_total if grading else None,
        ungraded_game_dates=ungraded_game_dates(
            warehouse, game_date=game_date, now_utc=now_utc, settings=settings
        ),
        predictions_count=predictions_count_when_due(warehouse, day=day, now_utc=now_utc),
        worker_error_times_utc=error_times(
            warehouse, now_utc=now_utc, window_hours=settings.health.errors_window_hours
        ),
        sources_down=sources_down(
            warehouse, dates=[d for d in (game_date, previous) if d], now_utc=now_utc
        ),
        runs_in_progress=runs_in_progress(warehouse, now_utc=now_utc),
        retry_pending_components=retry_pending_components(
            warehouse, game_date=game_date, now_utc=now_utc
        ),
    )
