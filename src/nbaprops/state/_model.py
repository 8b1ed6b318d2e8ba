"""The pipeline's state for one game_date at one instant: a plain frozen value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from nbaprops.state._calendar import ScheduledDay
from nbaprops.state._day_record import DayRecord
from nbaprops.state._grading import GradingCounts
from nbaprops.state._in_progress import RunInProgress
from nbaprops.state._phase3 import ProcessorProgress
from nbaprops.state._runs import LastWrite, RunError


@dataclass(frozen=True)
class PipelineState:
    """What was scheduled, how far Phase 3 got, what is graded and what is still running, for
    `game_date` as things stood at `now_utc`. Health facts and alert signals read this value
    instead of querying these facts themselves."""

    game_date: date
    now_utc: datetime
    day: ScheduledDay
    previous_game_day: date | None
    """The last game day before `game_date`, two weeks back at most."""
    previous_day: ScheduledDay | None
    """The schedule of `previous_game_day`."""
    phase3: tuple[ProcessorProgress, ...]
    grading: GradingCounts | None
    """The latest game_date graded by `now_utc`, on or before `game_date`."""
    ungraded_game_dates: tuple[date, ...]
    """Dates with predictions whose games are over but that have no grades."""
    runs_in_progress: tuple[RunInProgress, ...]
    errors: tuple[RunError, ...]
    """Runs that failed within `[health] errors_window_hours`, any date, newest first."""
    last_writes: tuple[LastWrite, ...]
    """Each processor's last write, any date."""
    has_orchestration_events: bool
    """Whether the orchestrator's events table exists (a later migration)."""
    record: DayRecord | None = None
    """The day's record (latest attempt's runs, decisions, phases, prediction and grade counts,
    as the warehouse holds them now); read only when asked for, None otherwise."""

    def last_write_of(self, processor: str) -> datetime | None:
        """When `processor` last wrote its partition (None: never)."""
        return next((w.finished_utc for w in self.last_writes if w.processor == processor), None)

    def last_phase_write(self, phase: str) -> datetime | None:
        """When a processor of `phase` last wrote its partition (None: never)."""
        return max((w.finished_utc for w in self.last_writes if w.phase == phase), default=None)
