"""Builds the `AlertSignals` the rules look at from the warehouse, as things stood at an instant.

Every read is "as of" `now_utc`, so checking a backfilled day (whose runs carry virtual times)
reads the way it did then, and checking now reads the warehouse as it is. The facts the health
check shares come from the read model (`nbaprops.state.PipelineState`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from nbaprops.alerting.collect._runs import (
    budget_refusals,
    incident_diagnoses,
    phase4_started,
    predictions_count_when_due,
    retry_pending_components,
    sources_down,
)
from nbaprops.alerting.signals import AlertSignals
from nbaprops.state import PipelineState, open_incident_causes, phase3_finished, read_pipeline_state
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    # For types only: nbaprops.config imports the alerting package, so a runtime import cycles.
    from nbaprops.config import Settings


def collect_signals(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    settings: Settings,
    state: PipelineState | None = None,
) -> AlertSignals:
    """Every signal the warehouse can tell about `game_date` at `now_utc`; None where unknown.
    `state`: the pipeline's state of `game_date` at `now_utc`, when already read."""
    if state is None:
        state = read_pipeline_state(
            warehouse, game_date=game_date, now_utc=now_utc, settings=settings
        )
    progress = state.phase3
    grading = state.grading
    complete = [p for p in progress if p.complete]
    starts = [p.first_started_utc for p in progress if p.first_started_utc is not None]
    finished = phase3_finished(progress)
    return AlertSignals(
        now_utc=now_utc,
        game_date=game_date,
        games_scheduled=state.day.games,
        phase3_processors_expected=tuple(p.processor for p in progress),
        phase3_processors_complete=tuple(p.processor for p in complete),
        phase3_started_utc=min(starts, default=None),
        phase3_last_success_utc=state.last_phase_write("phase3"),
        phase2_last_success_utc=state.last_phase_write("phase2"),
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
        ungraded_game_dates=state.ungraded_game_dates,
        predictions_count=predictions_count_when_due(warehouse, day=state.day, now_utc=now_utc),
        worker_error_times_utc=tuple(sorted(error.failed_utc for error in state.errors)),
        sources_down=sources_down(
            warehouse,
            dates=[d for d in (game_date, state.previous_game_day) if d],
            now_utc=now_utc,
        ),
        runs_in_progress=state.runs_in_progress,
        budget_refusals=budget_refusals(
            warehouse,
            now_utc=now_utc,
            lookback_hours=settings.alerting.rules.retry_budget_exhausted.lookback_hours,
            events_table=state.has_orchestration_events,
        ),
        diagnoses=incident_diagnoses(open_incident_causes(warehouse, now_utc=now_utc)),
        retry_pending_components=retry_pending_components(
            warehouse,
            game_date=game_date,
            now_utc=now_utc,
            events_table=state.has_orchestration_events,
        ),
    )
