"""Orchestration config: phase gates, run modes and retry schedules, with their defaults.

Each gate and each mode is its own class so that a partial override in `nbaprops.toml`
(`[orchestration.gates.phase4_to_phase5] max_wait_minutes = 90`) keeps that gate's other defaults.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, assert_never

from pydantic import Field, model_validator

from nbaprops.config_base import Section


class TriggerMode(StrEnum):
    """What a gate needs before the next phase may start."""

    CRITICAL_ONLY = "critical_only"  # every critical processor complete; optional ones may fail
    ALL_COMPLETE = "all_complete"  # every processor complete
    ANY_COMPLETE = "any_complete"  # at least one processor complete


class RunMode(StrEnum):
    """Why the pipeline runs for a game_date: sets how complete data must be, how long to wait."""

    OVERNIGHT = "overnight"  # last night's games, finished and graded before morning
    SAME_DAY = "same_day"  # today's games, predictions due before tip-off
    TOMORROW = "tomorrow"  # tomorrow's games, lines still being published
    BACKFILL = "backfill"  # recorded history: whatever exists has arrived


class Backoff(Section):
    """A growing retry schedule: the wait after attempt n is initial * multiplier^(n-1) minutes."""

    initial_delay_minutes: float = Field(5.0, gt=0, description="Wait before the first retry.")
    backoff_multiplier: float = Field(
        2.0, gt=1, description="Each wait is this many times the one before, so waits grow."
    )
    max_attempts: int = Field(
        3, ge=1, description="Every run counts, the first included: max_attempts - 1 retries."
    )


class RetryPolicy(Backoff):
    """Completeness-driven retry: re-run a processor that wrote too few of its expected records."""

    threshold: float = Field(
        0.5, gt=0, le=1, description="Records / expected at or above this is complete (0.5 = 50%)."
    )
    initial_delay_minutes: float = Field(
        30.0, gt=0, description="Late data needs time to arrive: the first retry waits 30 minutes."
    )


class GateConfig(Section):
    """When the next phase may start, from the states of the processors of the phase before."""

    name: str = Field(description="Names the gate in events, alerts and messages.")
    trigger_mode: TriggerMode = TriggerMode.CRITICAL_ONLY
    critical: tuple[str, ...] = Field(
        (), description="Processors the next phase cannot run without."
    )
    optional: tuple[str, ...] = Field(
        (), description="Processors the next phase can run without, with degraded features."
    )
    alert_on_optional_failure: bool = Field(
        True, description="Alert when proceeding while an optional processor failed or is missing."
    )
    max_wait_minutes: float = Field(
        60.0, ge=0, description="Longest wait, unless the run mode sets its own."
    )
    retry: Backoff = Field(
        default_factory=Backoff, description="How a failed processor is re-run before giving up."
    )

    @model_validator(mode="after")
    def _check_processors(self) -> GateConfig:
        seen: set[str] = set()
        for processor in self.processors:
            if processor in seen:
                raise ValueError(
                    f"Processor '{processor}' is listed twice in gate {self.name}; "
                    "list each processor once, as critical or optional."
                )
            seen.add(processor)
        if not seen:
            raise ValueError(
                f"Gate {self.name} lists no processors; add critical or optional processors."
            )
        if self.trigger_mode is TriggerMode.CRITICAL_ONLY and not self.critical:
            raise ValueError(
                f"Gate {self.name} uses trigger_mode critical_only but lists no critical "
                "processors; add one or choose all_complete or any_complete."
            )
        return self

    @property
    def processors(self) -> tuple[str, ...]:
        """Critical processors first, then optional ones."""
        return self.critical + self.optional


class Phase3ToPhase4Gate(GateConfig):
    """Analytics -> precompute: Phase 4 needs the upcoming-game context; summaries enrich it."""

    name: Literal["phase3_to_phase4"] = "phase3_to_phase4"
    critical: tuple[str, ...] = ("upcoming_player_game_context", "upcoming_team_game_context")
    optional: tuple[str, ...] = (
        "player_game_summary",
        "team_offense_game_summary",
        "team_defense_game_summary",
    )


class Phase4ToPhase5Gate(GateConfig):
    """Precompute -> predictions: predictions read the feature store; the cache speeds them up."""

    name: Literal["phase4_to_phase5"] = "phase4_to_phase5"
    critical: tuple[str, ...] = ("ml_feature_store",)
    optional: tuple[str, ...] = ("player_daily_cache",)


class Phase3ToGradingGate(GateConfig):
    """Analytics -> grading: grading compares predictions with the player game summaries."""

    name: Literal["phase3_to_grading"] = "phase3_to_grading"
    critical: tuple[str, ...] = ("player_game_summary",)


class GatesConfig(Section):
    """Every phase gate."""

    phase3_to_phase4: Phase3ToPhase4Gate = Field(default_factory=Phase3ToPhase4Gate)
    phase4_to_phase5: Phase4ToPhase5Gate = Field(default_factory=Phase4ToPhase5Gate)
    phase3_to_grading: Phase3ToGradingGate = Field(default_factory=Phase3ToGradingGate)


class ModeConfig(Section):
    """How complete critical processors must be, and how long a gate waits, in one run mode."""

    mode: RunMode
    min_completeness: float = Field(
        1.0, ge=0, le=1, description="Records / expected each critical processor needs (0.8 = 80%)."
    )
    max_wait_minutes: float | None = Field(
        None, ge=0, description="Longest gate wait in this mode; unset: the gate's own."
    )

    def max_wait_for(self, gate: GateConfig) -> float:
        """The wait `gate` allows in this mode, in minutes."""
        return gate.max_wait_minutes if self.max_wait_minutes is None else self.max_wait_minutes


class OvernightMode(ModeConfig):
    """Last night's games: the data is final and nobody needs it before morning, so demand all of
    it and wait each gate's own hour, which covers its retries several times over."""

    mode: Literal[RunMode.OVERNIGHT] = RunMode.OVERNIGHT
    min_completeness: float = Field(1.0, ge=0, le=1)
    max_wait_minutes: float | None = Field(None, ge=0)


class SameDayMode(ModeConfig):
    """Today's games: predictions are due before tip-off, so 80% of the slate is enough and a
    human hears within 45 minutes (the default gate retries use 5 + 10 of them)."""

    mode: Literal[RunMode.SAME_DAY] = RunMode.SAME_DAY
    min_completeness: float = Field(0.8, ge=0, le=1)
    max_wait_minutes: float | None = Field(45.0, ge=0)


class TomorrowMode(ModeConfig):
    """Tomorrow's games: lines are still being published (weekend lines have come 21 h late), so
    75% is enough, and waiting three hours costs nothing a day before tip-off."""

    mode: Literal[RunMode.TOMORROW] = RunMode.TOMORROW
    min_completeness: float = Field(0.75, ge=0, le=1)
    max_wait_minutes: float | None = Field(180.0, ge=0)


class BackfillMode(ModeConfig):
    """Recorded history: expected records count only what exists, so demand all of it; nothing
    arrives later, so wait only for the gate retries (5 + 10 minutes) and fail fast after that."""

    mode: Literal[RunMode.BACKFILL] = RunMode.BACKFILL
    min_completeness: float = Field(1.0, ge=0, le=1)
    max_wait_minutes: float | None = Field(30.0, ge=0)


class ModesConfig(Section):
    """Every run mode."""

    overnight: OvernightMode = Field(default_factory=OvernightMode)
    same_day: SameDayMode = Field(default_factory=SameDayMode)
    tomorrow: TomorrowMode = Field(default_factory=TomorrowMode)
    backfill: BackfillMode = Field(default_factory=BackfillMode)

    def get(self, mode: RunMode) -> ModeConfig:
        """The config of `mode`."""
        match mode:
            case RunMode.OVERNIGHT:
                return self.overnight
            case RunMode.SAME_DAY:
                return self.same_day
            case RunMode.TOMORROW:
                return self.tomorrow
            case RunMode.BACKFILL:
                return self.backfill
            case _:
                assert_never(mode)


class WorkerSchedule(Section):
    """A run the worker starts every day: for which game_date, at what hour, in which mode."""

    mode: RunMode = Field(description="The run mode of the scheduled run.")
    hour_utc: float = Field(
        ge=0, lt=24, description="Start at this hour (UTC) each day, e.g. 15.5 = 15:30."
    )
    date_offset_days: int = Field(
        0, ge=-7, le=7, description="game_date = today + this many days (-1: yesterday's games)."
    )


class WorkerConfig(Section):
    """What `nbaprops worker` runs on its own, and how often it looks for work."""

    source: Literal["replay", "sim", "live"] = Field(
        "live", description="The source scheduled runs read."
    )
    schedules: tuple[WorkerSchedule, ...] = Field(
        default_factory=lambda: (
            WorkerSchedule(mode=RunMode.OVERNIGHT, hour_utc=9.0, date_offset_days=-1),
            WorkerSchedule(mode=RunMode.SAME_DAY, hour_utc=16.0, date_offset_days=0),
            WorkerSchedule(mode=RunMode.TOMORROW, hour_utc=22.0, date_offset_days=1),
        ),
        description="Daily runs: overnight for last night's games, same_day before tip-off, "
        "tomorrow once lines start to appear.",
    )
    poll_interval_seconds: float = Field(
        5.0, gt=0, le=3600, description="How often the worker checks its schedules and stuck work."
    )
    queue_concurrency: int = Field(
        2, ge=1, le=16, description="Workflows from the queue the worker runs at once."
    )
    queue_global_concurrency: int | None = Field(
        None,
        ge=1,
        le=256,
        description="Workflows from the queue all the home's workers run at once, together (several live "
        "workers need the warehouse and the system database on PostgreSQL). None: no limit but each "
        "worker's queue_concurrency.",
    )
    watch_interval_seconds: float = Field(
        300.0,
        gt=0,
        le=86400,
        description="How often the worker compares the source with the last run of today's and "
        "the next dates, and applies new lines, injury updates and schedule changes as events; "
        "only with [sources.windows] disabled (the windows' polls do it otherwise).",
    )
    watch_days_ahead: int = Field(
        1, ge=0, le=7, description="Dates after today (US/Eastern) the worker watches for new data."
    )
    executor_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="This worker's executor ID, stable across restarts and unique among the home's "
        "workers; default worker-<hostname>.",
    )
    heartbeat_interval_seconds: float = Field(
        10.0, gt=0, le=600, description="How often every executor records that it is alive."
    )
    watchdog_interval_seconds: float = Field(
        60.0,
        gt=0,
        le=3600,
        description="Within this long of an executor falling silent (or stopping), a live worker has "
        "re-enqueued its pending workflows: workers look every heartbeat interval for executors silent "
        "longer than `silence_limit_seconds`.",
    )
    fence_gone_executors: bool = Field(
        True,
        description="Sharing execution on PostgreSQL, before re-enqueueing a silent executor's work, end the "
        "database sessions it still holds (named nbaprops:<executor_id>): a lost host's sessions keep their "
        "transactions' row locks until TCP keepalive gives up, hours later. false only to measure that wait.",
    )

    @property
    def silence_limit_seconds(self) -> float:
        """How long an executor may be silent before it counts as gone: the watchdog interval less three
        heartbeats (the beat it missed before dying, one look of ours, one of slack for a busy machine),
        so its work moves within the watchdog interval of its end; at least half the interval."""
        return max(
            self.watchdog_interval_seconds - 3 * self.heartbeat_interval_seconds,
            self.watchdog_interval_seconds / 2,
        )


class StuckConfig(Section):
    """Stuck work: a processor run still 'running' past its timeout is recorded and retried."""

    enabled: bool = Field(True, description="On by default; turn off only to debug a hung run.")
    processor_timeout_minutes: float = Field(
        30.0,
        gt=0,
        description="A processor run longer than this counts as timed out (the stuck-work sweep's "
        "timeout, and a run's deadline when the processor has too little history for its own).",
    )
    adaptive_timeout: bool = Field(
        True,
        description="Give each processor run a deadline from its own recent successes "
        "(expected_duration_factor times their longest), so a stall is cut off in minutes while "
        "legitimately long work keeps a long deadline.",
    )
    expected_duration_factor: float = Field(
        3.0, gt=1, description="A run longer than this many times the processor's usual duration is stuck."
    )
    min_timeout_minutes: float = Field(
        5.0, gt=0, description="No adaptive deadline is shorter than this."
    )
    history_runs: int = Field(
        20, ge=1, description="The processor's most recent successful runs its usual duration is read from."
    )
    min_history_runs: int = Field(
        3, ge=1, description="Fewer successful runs than this: the deadline is processor_timeout_minutes."
    )


class OutageConfig(Section):
    """Waiting out a source outage: a Phase 2 feed whose source is down (connection refused, 5xx,
    timeouts, an open breaker) is retried on this longer schedule instead of given up on after the
    default 5 + 10 minutes, in the run modes that can wait for it (the day's results and grading
    come when the source is back). The retry budget bounds the attempts too."""

    enabled: bool = Field(True, description="Off: a down source is given up on after the default retries.")
    modes: tuple[RunMode, ...] = Field(
        (RunMode.BACKFILL, RunMode.OVERNIGHT),
        description="Run modes that wait out an outage; same_day and tomorrow runs cannot hold predictions "
        "for it (their fallback source and the regrade remediation cover it).",
    )
    initial_delay_minutes: float = Field(15.0, gt=0, description="Wait before the first retry.")
    backoff_multiplier: float = Field(2.0, ge=1, description="Each wait is this many times the one before.")
    max_delay_minutes: float = Field(
        60.0, gt=0, description="No wait longer than this: a source back is noticed within it."
    )
    max_wait_hours: float = Field(
        36.0, gt=0, description="Longest outage waited out, from the feed's first failure; then it gives up."
    )

    def delay_seconds(self, *, attempt: int, waited_seconds: float) -> float | None:
        """The wait after failed `attempt` (1-based), `waited_seconds` after the first failure;
        None when the outage has lasted `max_wait_hours`."""
        if attempt < 1:
            raise ValueError(f"attempt counts from 1, got {attempt}.")
        if waited_seconds >= self.max_wait_hours * 3600:
            return None
        minutes = min(self.initial_delay_minutes * self.backoff_multiplier ** (attempt - 1), self.max_delay_minutes)
        return minutes * 60
