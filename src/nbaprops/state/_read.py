"""Reading the pipeline's state for a game_date: each fact once, in as few queries as it can."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from nbaprops.state._calendar import warehouse_instant
from nbaprops.state._day_record import read_day_record
from nbaprops.state._grading import grading_counts, ungraded_game_dates
from nbaprops.state._in_progress import runs_in_progress
from nbaprops.state._model import PipelineState
from nbaprops.state._phase3 import phase3_progress
from nbaprops.state._runs import last_writes, recent_errors
from nbaprops.state._schedule import previous_game_day, scheduled_days, table_exists
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings

ORCHESTRATION_EVENTS = "nba_orchestration.orchestration_events"


def read_pipeline_state(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    settings: Settings,
    with_record: bool = False,
) -> PipelineState:
    """The state of `game_date`'s pipeline as it stood at `now_utc`; `with_record`: also its
    record (`read_day_record`, four more queries), which health does not need."""
    warehouse_instant(now_utc)  # refuses a naive now_utc before any read
    previous = previous_game_day(warehouse, game_date=game_date, now_utc=now_utc)
    days = scheduled_days(warehouse, [d for d in (game_date, previous) if d is not None])
    return PipelineState(
        game_date=game_date,
        now_utc=now_utc,
        day=days[game_date],
        previous_game_day=previous,
        previous_day=None if previous is None else days[previous],
        phase3=phase3_progress(
            warehouse, game_date=game_date, now_utc=now_utc, settings=settings, previous=previous
        ),
        grading=grading_counts(warehouse, game_date=game_date, now_utc=now_utc),
        ungraded_game_dates=ungraded_game_dates(
            warehouse, game_date=game_date, now_utc=now_utc, settings=settings
        ),
        runs_in_progress=runs_in_progress(warehouse, now_utc=now_utc),
        errors=recent_errors(
            warehouse, now_utc=now_utc, window_hours=settings.health.errors_window_hours
        ),
        last_writes=last_writes(warehouse, now_utc=now_utc),
        has_orchestration_events=table_exists(warehouse, ORCHESTRATION_EVENTS),
        record=read_day_record(warehouse, game_date=game_date) if with_record else None,
    )
