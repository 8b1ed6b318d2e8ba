"""The side effects of workflows: plain functions of the runtime.

The ones run as durable steps return JSON-able data, which is what the engine records and
replays; the recording ones are idempotent and run as plain calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from nbaprops.backtest.runner import RESULTS_DELAY, prediction_time
from nbaprops.clock import Clock, SystemClock, VirtualClock
from nbaprops.errors import FailureKind, ProcessorError
from nbaprops.ops.config_history import record_config
from nbaprops.orchestration.faulted import FaultedProcessor, FaultedSource
from nbaprops.orchestration.requests import DailyRun, Scope
from nbaprops.orchestration.runtime import Runtime
from nbaprops.orchestration.store import (
    Decision,
    PhaseCompletion,
    applied_events,
    record_decision,
    record_phase,
)
from nbaprops.orchestration.stuck import DeadlineClock, DeadlineGuard, mark_timed_out, run_timeout_minutes
from nbaprops.orchestration.system_alerts import raise_system_alerts
from nbaprops.processors.base import Processor, ProcessorContext
from nbaprops.processors.history import find_history_gap, history_built
from nbaprops.processors.phase5 import PlayerPropPredictionsProcessor
from nbaprops.processors.runner import run_processor
from nbaprops.reliability.budgets import AttemptCounts, BudgetDecision, attempt_counts, judge_attempt
from nbaprops.reliability.incidents import IncidentStore, Observation
from nbaprops.warehouse import Warehouse

# How far back a run looks for the previous game day whose results it finishes.
PREVIOUS_DAY_LOOKBACK = timedelta(days=14)


def plan_day(runtime: Runtime, request: DailyRun) -> dict[str, Any]:
    """The previous game day of the run (None when there is none) and, on virtual time, its start:
    just before the day's last tip-off, or RESULTS_DELAY after it for a results-only run."""
    with runtime.lease.hold() as warehouse:
        source = runtime.source(request.source, warehouse)
        previous: date | None = None
        if request.scope is not Scope.RESULTS:
            first = request.since or request.game_date - PREVIOUS_DAY_LOOKBACK
            earlier = source.game_dates(first, request.game_date - timedelta(days=1))
            previous = earlier[-1] if earlier else None
        start_at: datetime | None = None
        if request.virtual:
            start_at = prediction_time(source, request.game_date)
            if request.scope is Scope.RESULTS:
                start_at += RESULTS_DELAY
    return {
        "previous": None if previous is None else previous.isoformat(),
        "start_at": None if start_at is None else start_at.isoformat(),
    }


@dataclass(frozen=True)
class ProcessorAttempt:
    """One attempt of one processor for one date, as the step records it."""

    processor: str
    target_date: date
    attempt: int
    state: str  # success, partial, failed, timed_out, skipped
    records: int | None
    expected: int | None
    started_at: datetime
    finished_at: datetime
    finished_utc: datetime
    error: str | None = None
    note: str | None = None  # why a partial attempt fell short
    error_class: str | None = None  # of a failure: the exception class, a FailureKind, or a budget refusal

    @property
    def refused(self) -> bool:
        """The retry budget refused this attempt: the processor did not run."""
        return self.state == "refused"

    @classmethod
    def not_run(
        cls,
        processor: str,
        target_date: date,
        *,
        attempt: int,
        state: str,
        at: datetime,
        error: str | None = None,
        error_class: str | None = None,
    ) -> ProcessorAttempt:
        """An attempt that did not run (skipped, or refused by the budget): no records, over at `at`."""
        return cls(
            processor=processor, target_date=target_date, attempt=attempt, state=state, records=None,
            expected=None, started_at=at, finished_at=at, finished_utc=datetime.now(UTC), error=error,
            error_class=error_class,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "processor": self.processor,
            "target_date": self.target_date.isoformat(),
            "attempt": self.attempt,
            "state": self.state,
            "records": self.records,
            "expected": self.expected,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "finished_utc": self.finished_utc.isoformat(),
            "error": self.error,
            "note": self.note,
            "error_class": self.error_class,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProcessorAttempt:
        return cls(
            processor=data["processor"],
            target_date=date.fromisoformat(data["target_date"]),
            attempt=data["attempt"],
            state=data["state"],
            records=data["records"],
            expected=data["expected"],
            started_at=datetime.fromisoformat(data["started_at"]),
            finished_at=datetime.fromisoformat(data["finished_at"]),
            finished_utc=datetime.fromisoformat(data["finished_utc"]),
            error=data["error"],
            note=data.get("note"),
            error_class=data.get("error_class"),
        )


def run_processor_step(
    runtime: Runtime,
    request: DailyRun,
    *,
    run_id: str,
    processor: str,
    target_date: date,
    attempt: int,
    now: datetime,
) -> dict[str, Any]:
    """Run one attempt of `processor` for `target_date`, with the run's faults and the timeout."""
    plan = request.fault_plan
    clock: Clock = VirtualClock(now) if request.virtual else SystemClock()
    started_at = clock.now()
    unit: Processor = runtime.processor(processor)
    fault = plan.processor_fault(processor, attempt)
    if fault is not None:
        unit = FaultedProcessor(unit, fault)
    stuck = runtime.settings.orchestration.stuck
    guard: DeadlineGuard | None = None
    with runtime.lease.hold() as warehouse:
        if stuck.enabled:
            timeout = run_timeout_minutes(warehouse, processor=processor, config=stuck)
            deadline = started_at + timedelta(minutes=timeout)
            clock = DeadlineClock(clock, deadline=deadline, processor=processor, timeout_minutes=timeout)
            guard = DeadlineGuard(unit, deadline=deadline, clock=clock, timeout_minutes=timeout)
            unit = guard
        budget = _judge_budget(runtime, warehouse, processor=processor, target_date=target_date, now=started_at)
        if not budget.allowed:
            return ProcessorAttempt.not_run(
                processor, target_date, attempt=attempt, state="refused", at=started_at,
                error=budget.message, error_class=budget.error_class,
            ).to_json()
        source = runtime.source(request.source, warehouse)
        ctx = ProcessorContext(
            warehouse=warehouse,
            source=FaultedSource(source, plan) if plan else source,
            clock=clock,
            settings=runtime.settings,
            run_id=run_id,
            markets=runtime.markets,
        )
        try:
            run = run_processor(unit, ctx, target_date, attempt=attempt)
            if processor == PlayerPropPredictionsProcessor.name:  # the day's review of the systems: raise its decisions
                raise_system_alerts(warehouse, now=clock.now())
            state, records, expected, error = run.status, run.records, run.expected, None
            note, error_class = run.note, None
        except ProcessorError as e:
            state, records, expected, error, note = "failed", None, None, str(e), None
            error_class = failure_class(e)
            if guard is not None and guard.past_deadline():
                state = "timed_out"
                mark_timed_out(
                    warehouse,
                    processor=processor,
                    game_date=target_date,
                    run_id=run_id,
                    attempt=attempt,
                )
                error_class = "Timeout"
    return ProcessorAttempt(
        processor=processor,
        target_date=target_date,
        attempt=attempt,
        state=state,
        records=records,
        expected=expected,
        started_at=started_at,
        finished_at=clock.now(),
        finished_utc=datetime.now(UTC),
        error=error,
        note=note,
        error_class=error_class,
    ).to_json()


def _judge_budget(
    runtime: Runtime, warehouse: Warehouse, *, processor: str, target_date: date, now: datetime
) -> BudgetDecision:
    config = runtime.settings.reliability.budgets
    if not config.enabled:
        return judge_attempt(AttemptCounts(0, 0), config, processor=processor, game_date=target_date)
    counts = attempt_counts(
        warehouse,
        processor=processor,
        game_date=target_date,
        now=now,
        window_minutes=config.storm_window_minutes,
    )
    return judge_attempt(counts, config, processor=processor, game_date=target_date)


def failure_class(error: BaseException) -> str:
    """What a failure is, for incidents and diagnosis: a live source's FailureKind, else the class
    of the underlying exception (a ProcessorError wraps the one the processor raised)."""
    cause: BaseException = error
    while isinstance(cause, ProcessorError) and cause.__cause__ is not None:
        cause = cause.__cause__
    kind = getattr(cause, "kind", None)
    if isinstance(kind, FailureKind):
        return f"{type(cause).__name__}:{kind.value}"
    return type(cause).__name__


def history_gap_step(runtime: Runtime, request: DailyRun) -> dict[str, Any] | None:
    """What of the day's history is missing: the range a backfill must build, and in words."""
    with runtime.lease.hold() as warehouse:
        gap = find_history_gap(
            warehouse, runtime.source(request.source, warehouse), request.game_date
        )
    if gap.start is None:
        return None
    return {"start": gap.start.isoformat(), "end": gap.end.isoformat(), "text": gap.describe()}


def history_built_step(runtime: Runtime, request: DailyRun, *, previous: date | None) -> bool:
    """True when a history run of the request's date has nothing left to build."""
    with runtime.lease.hold() as warehouse:
        return history_built(warehouse, request.game_date, previous=previous)


def record_step(
    runtime: Runtime,
    *,
    decisions: list[tuple[Decision, int]],
    phases: list[PhaseCompletion],
    observations: Sequence[Observation] = (),
) -> None:
    """Record decisions (each with its ordinal), phase completions and what they tell the
    incidents, in one transaction; phase completions name the config they ran under, stored in
    the config history."""
    with runtime.lease.hold() as warehouse, warehouse.transaction():
        if phases:
            record_config(warehouse, runtime.config)
        for decision, ordinal in decisions:
            record_decision(warehouse, decision, ordinal=ordinal)
        for completion in phases:
            record_phase(warehouse, completion)
        IncidentStore(warehouse).observe_all(observations)


def applied_events_step(
    runtime: Runtime, *, game_date: date, kind: str, source_mode: str
) -> list[dict[str, Any]]:
    with runtime.lease.hold() as warehouse:
        return applied_events(warehouse, game_date=game_date, kind=kind, source_mode=source_mode)


def read_clock() -> str:
    return datetime.now(UTC).isoformat()


def advance_clock(now: str, seconds: float) -> str:
    return (datetime.fromisoformat(now) + timedelta(seconds=seconds)).isoformat()
