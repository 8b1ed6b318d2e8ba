"""The one read model of the pipeline's state: what was scheduled, how far Phase 3 got, what is
graded, what is still running, for a game_date as things stood at an instant.

Health and alert signals read the plain frozen `PipelineState` that `read_pipeline_state`
returns, and `status` the day's record (`DayRecord`, from `read_day_record`; also a section of
`PipelineState` when asked for), instead of querying these facts themselves; self-diagnosis and
the dashboard are to read the same values. It sits below alerting, ops and orchestration, and
imports only the warehouse.

Each job lives in its own private module: `_sql` (the shared as-of queries and statuses),
`_calendar` (game dates, the warehouse's naive-UTC clock), `_error_text` (one line per error),
`_schedule` (schedule reads), `_phase3` (Phase 3 progress), `_grading` (grading counts),
`_in_progress` (runs in progress), `_day_record` (the day's latest attempt, decisions, phases,
prediction and grade counts), `_runs` (recent failures, last writes), `_timeline` (when the day's
latest attempt ran and waited), `_picks` (a day's picks), `_reliability` (incidents, interventions
and phase completions for SLOs), `_model` (the value) and `_read` (reading it).
"""

from nbaprops.state._calendar import (
    EASTERN,
    ScheduledDay,
    day_is_over,
    eastern_date,
    required_utc,
    utc,
    warehouse_instant,
)
from nbaprops.state._day_record import (
    AttemptRun,
    DayEvent,
    DayRecord,
    GateDecision,
    PhaseRecord,
    latest_gate_decisions,
    latest_run_date,
    read_day_record,
)
from nbaprops.state._error_text import error_text, shorten
from nbaprops.state._grading import (
    GRADING_HISTORY_DAYS,
    GradingCounts,
    grading_counts,
    over_days,
    ungraded_game_dates,
)
from nbaprops.state._in_progress import RunInProgress, runs_in_progress
from nbaprops.state._model import PipelineState
from nbaprops.state._phase3 import (
    RESULTS_PROCESSORS,
    ProcessorProgress,
    is_complete,
    judge_progress,
    phase3_finished,
    phase3_progress,
    phase3_targets,
)
from nbaprops.state._picks import PICK_CSV_COLUMNS, DayPick, DayPicks, picks_csv, read_day_picks
from nbaprops.state._read import read_pipeline_state
from nbaprops.state._reliability import (
    latest_reliability_date,
    open_incident_causes,
    open_incidents,
    reliability_rows,
)
from nbaprops.state._runs import LastWrite, RunError, last_writes, recent_errors
from nbaprops.state._schedule import previous_game_day, scheduled_days, table_exists
from nbaprops.state._sql import ERROR_STATUSES, PREDICTIONS_AS_OF, RUNS_AS_OF, WROTE_STATUSES
from nbaprops.state._systems import SystemRecord, read_system_records
from nbaprops.state._timeline import DayTimeline, FinishedProcessor, TimedDecision, TimedPhase, read_day_timeline

__all__ = [
    "DayPick",
    "DayPicks",
    "PICK_CSV_COLUMNS",
    "picks_csv",
    "read_day_picks",
    "read_system_records",
    "EASTERN",
    "ERROR_STATUSES",
    "GRADING_HISTORY_DAYS",
    "PREDICTIONS_AS_OF",
    "RESULTS_PROCESSORS",
    "RUNS_AS_OF",
    "WROTE_STATUSES",
    "AttemptRun",
    "DayEvent",
    "DayRecord",
    "DayTimeline",
    "FinishedProcessor",
    "GateDecision",
    "GradingCounts",
    "LastWrite",
    "PhaseRecord",
    "PipelineState",
    "ProcessorProgress",
    "RunError",
    "RunInProgress",
    "ScheduledDay",
    "SystemRecord",
    "TimedDecision",
    "TimedPhase",
    "day_is_over",
    "eastern_date",
    "error_text",
    "grading_counts",
    "is_complete",
    "judge_progress",
    "last_writes",
    "latest_gate_decisions",
    "latest_reliability_date",
    "open_incident_causes",
    "open_incidents",
    "latest_run_date",
    "over_days",
    "phase3_finished",
    "phase3_progress",
    "phase3_targets",
    "previous_game_day",
    "read_day_record",
    "read_day_timeline",
    "read_pipeline_state",
    "recent_errors",
    "reliability_rows",
    "required_utc",
    "runs_in_progress",
    "scheduled_days",
    "shorten",
    "table_exists",
    "ungraded_game_dates",
    "utc",
    "warehouse_instant",
]
