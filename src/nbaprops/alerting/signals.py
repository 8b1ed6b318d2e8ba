"""The facts alert rules look at, gathered by the health check or the orchestrator each cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from nbaprops.state import RunInProgress


@dataclass(frozen=True)
class AlertSignals:
    """A snapshot of the pipeline's health.

    `None` means "not known yet": the rules that need the value stay quiet.

    Every datetime is timezone-aware UTC.
    """

    now_utc: datetime
    game_date: date | None = None
    """The game_date the pipeline is working on (labels phase alerts)."""
    games_scheduled: int | None = None
    """Games on `game_date`; scales the prediction volume threshold."""

    phase3_processors_expected: tuple[str, ...] = ()
    """Phase 3 processors that must succeed for `game_date`."""
    phase3_processors_complete: tuple[str, ...] = ()
    """Those of them that have succeeded."""
    phase3_started_utc: datetime | None = None
    """When the first Phase 3 processor started for `game_date`."""
    phase3_last_success_utc: datetime | None = None
    """The last successful Phase 3 write (any processor, any day): how fresh the analytics are."""
    phase2_last_success_utc: datetime | None = None
    """The last successful Phase 2 write (any feed, any day): the newest input Phase 3 could use."""
    phase3_finished_utc: datetime | None = None
    """When every expected Phase 3 processor had succeeded for `game_date`."""
    phase4_started_utc: datetime | None = None
    """When Phase 4 started for `game_date`."""

    grading_game_date: date | None = None
    """The game_date the grading counts below belong to."""
    grading_correct: int | None = None
    """Correct graded recommendations (pushes and voids excluded) on `grading_game_date`."""
    grading_total: int | None = None
    grading_history_correct: int | None = None
    """Correct graded recommendations over the reference history before `grading_game_date`."""
    grading_history_total: int | None = None
    ungraded_game_dates: tuple[date, ...] = ()
    """Dates whose games are final but whose predictions are not graded."""

    predictions_count: int | None = None
    """Active predictions for `game_date`; leave None until Phase 5 should have finished."""

    worker_error_times_utc: tuple[datetime, ...] = ()
    """When workers raised errors (at least the last few minutes' worth)."""
    sources_down: tuple[tuple[str, str], ...] = ()
    """(source, reason) for every data source the health check found down."""
    breakers_open: tuple[str, ...] = ()
    """Open circuit breakers; a breaker that guards a source is named after the source."""
    runs_in_progress: tuple[RunInProgress, ...] = ()
    """Processor runs started and not finished."""

    budget_refusals: tuple[tuple[str, date, str, datetime], ...] = ()
    """(processor, game_date, reason, decided_utc) of every attempt the retry budget refused lately."""

    retry_pending_components: frozenset[str] = frozenset()
    """Components with a retry scheduled: their alerts are recorded, not notified."""
    diagnoses: Mapping[str, str] = field(default_factory=dict)
    """Known diagnoses by component (from the diagnosis step), attached to its alerts."""
