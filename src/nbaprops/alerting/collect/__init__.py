"""What the warehouse says about a game_date's pipeline, as things stood at an instant: the
signals the alert rules look at, and the building blocks the health check shares.

Each job lives in its own private module: `_sql` (the shared as-of queries and statuses),
`_calendar` (game dates, the warehouse's naive-UTC clock), `_error_text` (one line per error),
`_schedule` (schedule reads), `_phase3` (Phase 3 progress), `_grading` (grading counts),
`_runs` (run-history reads, each beside its pure rule) and `_signals` (the `AlertSignals`).
"""

from nbaprops.alerting.collect._calendar import (
    EASTERN,
    ScheduledDay,
    day_is_over,
    eastern_date,
    required_utc,
    utc,
    warehouse_instant,
)
from nbaprops.alerting.collect._error_text import error_text, shorten
from nbaprops.alerting.collect._grading import (
    GRADING_HISTORY_DAYS,
    GradingCounts,
    grading_counts,
    over_days,
    ungraded_game_dates,
)
from nbaprops.alerting.collect._phase3 import (
    RESULTS_PROCESSORS,
    ProcessorProgress,
    is_complete,
    judge_progress,
    phase3_finished,
    phase3_progress,
    phase3_targets,
)
from nbaprops.alerting.collect._runs import (
    PHASE_COMPONENTS,
    components_of,
    down_sources,
    first_phase4_start,
    phase4_started,
    predictions_due,
    runs_in_progress,
)
from nbaprops.alerting.collect._schedule import previous_game_day, scheduled_day, table_exists
from nbaprops.alerting.collect._signals import collect_signals
from nbaprops.alerting.collect._sql import (
    ERROR_STATUSES,
    PREDICTIONS_AS_OF,
    RUNS_AS_OF,
    WROTE_STATUSES,
)

__all__ = [
    "EASTERN",
    "ERROR_STATUSES",
    "GRADING_HISTORY_DAYS",
    "PHASE_COMPONENTS",
    "PREDICTIONS_AS_OF",
    "RESULTS_PROCESSORS",
    "RUNS_AS_OF",
    "WROTE_STATUSES",
    "GradingCounts",
    "ProcessorProgress",
    "ScheduledDay",
    "collect_signals",
    "components_of",
    "day_is_over",
    "down_sources",
    "eastern_date",
    "error_text",
    "first_phase4_start",
    "grading_counts",
    "is_complete",
    "judge_progress",
    "over_days",
    "phase3_finished",
    "phase3_progress",
    "phase3_targets",
    "phase4_started",
    "predictions_due",
    "previous_game_day",
    "required_utc",
    "runs_in_progress",
    "scheduled_day",
    "shorten",
    "table_exists",
    "ungraded_game_dates",
    "utc",
    "warehouse_instant",
]
