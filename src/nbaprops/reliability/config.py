"""Reliability config: retry budgets and the SLO targets, with their defaults.

Kept free of `nbaprops.config` imports, which composes these sections into the settings.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from nbaprops.config_base import Section


class RetryBudgetConfig(Section):
    """Attempt budgets that make a retry storm impossible, whatever triggers the attempts."""

    enabled: bool = Field(True, description="Turn off only to reproduce a storm on purpose.")
    max_attempts_per_processor_day: int = Field(
        30, ge=1,
        description="Attempts of one processor for one game_date, across every run, re-run and event "
        "(a day run uses at most a handful); past it the processor is refused for that date.",
    )
    storm_max_attempts: int = Field(
        600, ge=1,
        description="Attempts of all processors together within storm_window_minutes (the run's clock); "
        "past it every attempt is refused until the window slides.",
    )
    storm_window_minutes: float = Field(
        10.0, gt=0, description="The sliding window of the global storm guard."
    )


class RemediationLimit(Section):
    """One remediation's switch and safety limit: past the limit it stops and pages a person."""

    enabled: bool = Field(True, description="Off: the remediation never acts (its incidents wait for a person).")
    max_per_date: int = Field(2, ge=0, description="Times it may act on one game_date (of one target).")
    max_per_day: int = Field(10, ge=0, description="Times it may act in one UTC day of the clock, all dates.")


class SwitchSourceLimit(RemediationLimit):
    """Recording the fallback source as the remedy of a failing source's incident."""

    max_per_date: int = Field(5, ge=0, description="Times for one processor and game_date.")
    max_per_day: int = Field(50, ge=0, description="Times in one UTC day of the clock, all dates.")


class RequeueStuckLimit(RemediationLimit):
    """Requeueing runs stuck 'running' past their timeout."""

    max_per_date: int = Field(3, ge=0, description="Requeues of one processor for one game_date.")
    max_per_day: int = Field(20, ge=0, description="Requeues in one UTC day of the clock, all dates.")


class PausePollingLimit(RemediationLimit):
    """Pausing a source's window polls while its request quota is low."""

    max_per_date: int = Field(1, ge=0, description="Pauses of one source a game_date.")
    max_per_day: int = Field(3, ge=0, description="Pauses of all sources in one UTC day of the clock.")
    pause_minutes: float = Field(
        60.0, gt=0, le=24 * 60, description="How long a pause lasts when the source names no quota reset time."
    )
    quota_low_requests: int = Field(
        50, ge=0, description="Requests left at or below which the source's polls pause until the reset."
    )


class RemediationConfig(Section):
    """Auto-remediation for known causes; each action has its switch and limits
    (`[reliability.remediation.<action>]`)."""

    retrigger_phase: RemediationLimit = Field(
        default_factory=RemediationLimit, description="Re-running Phase 3+ of a date once its late inputs arrived."
    )
    switch_source: SwitchSourceLimit = Field(default_factory=SwitchSourceLimit)
    requeue_stuck: RequeueStuckLimit = Field(default_factory=RequeueStuckLimit)
    regrade: RemediationLimit = Field(
        default_factory=RemediationLimit, description="Grading a date again once its box scores changed."
    )
    pause_polling: PausePollingLimit = Field(default_factory=PausePollingLimit)
    check_interval_seconds: float = Field(
        300.0, gt=0, description="How often the worker looks for something to remediate (the run's clock)."
    )
    regrade_lookback_days: int = Field(
        3, ge=0, description="Graded game_dates this many days back are checked for changed box scores."
    )


class AccuracyPageConfig(Section):
    """When the accuracy check after grading pages: the investigation's verdict (model drift, a system
    regressed) must also hold on a two-proportion test at `page_alpha`, split over the systems compared."""

    page_alpha: float = Field(
        0.001, gt=0, lt=1, description="Significance a drop needs to page, before the split over systems "
        "(the platform's 9/48 against 385/700 gives p = 5.6e-07).",
    )
    min_history: int = Field(
        100, ge=1, description="Graded picks of history a system (or the whole) needs before its drop can page.",
    )


class ReliabilityConfig(Section):
    """Self-healing: retry budgets, auto-remediation (breakers live per source under
    [sources.<name>.breaker])."""

    budgets: RetryBudgetConfig = Field(default_factory=RetryBudgetConfig)
    remediation: RemediationConfig = Field(default_factory=RemediationConfig)
    accuracy: AccuracyPageConfig = Field(default_factory=AccuracyPageConfig)


class SloConfig(Section):
    """Targets of `nbaprops slo`, from the platform's success metrics."""

    recovery_rate_min: float = Field(
        0.95, ge=0, le=1, description="Share of resolved incidents resolved by the system itself (> 95%)."
    )
    recovered_within_minutes: float = Field(
        15.0, gt=0, description="The recovery time counted as quick (the share recovered within it)."
    )
    recovered_within_share_min: float = Field(
        0.90, ge=0, le=1, description="Share of incidents recovered within recovered_within_minutes."
    )
    mttr_p50_minutes_max: float = Field(15.0, gt=0, description="Median time to recovery (< 15 min).")
    mttr_p95_minutes_max: float = Field(
        60.0, gt=0, description="95th percentile of time to recovery: the heavy tail a mean hides."
    )
    interventions_per_week_max: float = Field(
        1.0, ge=0, description="Manual interventions a week (fewer than one)."
    )
    phase3_completion_rate_min: float = Field(
        0.95, ge=0, le=1, description="Share of Phase 3 completions that ended complete."
    )
    phase3_to_phase4_p50_minutes_max: float = Field(
        10.0, ge=0, description="Median minutes from Phase 3's end to Phase 4's start."
    )
    phase3_to_phase4_p95_minutes_max: float = Field(
        30.0, ge=0, description="95th percentile minutes from Phase 3's end to Phase 4's start."
    )
    end_to_end_p95_minutes_max: dict[str, float] = Field(
        default_factory=lambda: {"overnight": 240.0, "same_day": 120.0, "tomorrow": 240.0, "backfill": 240.0},
        description="95th percentile of a run's first start to last phase end, per run mode (minutes).",
    )


class ChaosConfig(Section):
    """`nbaprops chaos`: the small synthetic league its scenarios play, and its targets."""

    teams: int = Field(4, ge=2, description="Teams of the chaos league (small: every scenario replays it).")
    players_per_team: int = Field(8, ge=5, description="Players a team in the chaos league.")
    days: int = Field(3, ge=2, description="Days the scenarios run through the orchestrator (virtual time).")
    history_days: int = Field(4, ge=2, description="Days built as history before the first run day.")
    markets: list[str] = Field(
        default_factory=lambda: ["points", "threes"], description="Prop markets predicted (fewer: faster)."
    )
    mttr_p95_minutes_max: float = Field(
        15.0, gt=0, description="95th percentile of the recoverable scenarios' time to recovery (virtual)."
    )
    data_start: date = Field(
        date(2024, 11, 12), description="`chaos --data`: the first day of the real season the scenarios replay."
    )
    data_days: int = Field(
        2, ge=2, description="`chaos --data`: game days the scenarios run from data_start (few: minutes each)."
    )
    data_history_days: int = Field(
        10, ge=2, description="`chaos --data`: calendar days before data_start built as history."
    )
    data_markets: list[str] = Field(
        default_factory=lambda: ["threes"], description="`chaos --data`: prop markets predicted (with real lines)."
    )
