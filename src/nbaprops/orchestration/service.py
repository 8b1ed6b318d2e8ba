"""What commands ask of the orchestrator: run a day, backfill a range, apply an event.

Each call runs the work here as the home's executor, or hands it to the process that is, and
reports from the warehouse afterwards. Work that has finished is not run again unless asked
(`rerun`): the report then says which attempt did it, and re-running makes the next attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any

from nbaprops.clock import Clock, SystemClock
from nbaprops.config import Settings
from nbaprops.errors import WarehouseBusyError
from nbaprops.home import Home
from nbaprops.orchestration.attempts import (
    backfill_attempt,
    backfill_prefixes,
    day_attempt,
    finished_outcome,
    workflow_statuses,
)
from nbaprops.orchestration.engine import FINISHED, Engine, WorkflowOutcome, execute
from nbaprops.orchestration.faults import DeliveryFaultKind, FaultPlan
from nbaprops.orchestration.interventions import record_intervention
from nbaprops.orchestration.requests import (
    Backfill,
    DailyRun,
    DataEvent,
    EventKind,
    Scope,
    SourceKind,
    split_faults,
)
from nbaprops.orchestration.runtime import SourceFactory, default_source
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.status import build_status
from nbaprops.orchestration.summary import season_summary
from nbaprops.pipeline.plan import daily_plan
from nbaprops.processors.history import HistoryGap, find_history_gap
from nbaprops.sources.live.factory import check_live_config
from nbaprops.suggestions import regrade_day, rerun_day, rerun_range
from nbaprops.warehouse import Warehouse

READ_WAIT_SECONDS = 60.0
INTERVENTION_WAIT_SECONDS = 5.0


def processor_names() -> tuple[str, ...]:
    """Every processor of the daily plan, in order."""
    return tuple(step.processor.name for phase in daily_plan() for step in phase.steps)


def parse_faults(specs: Sequence[str]) -> tuple[tuple[str, ...], FaultPlan]:
    """`--inject` specs: the run's faults, and the process's (kill, deliver)."""
    return split_faults(list(specs), processors=processor_names())


def check_source(kind: SourceKind, settings: Settings) -> None:
    """Fail now, with the reason, for a source that cannot work (before any workflow exists)."""
    if kind is SourceKind.LIVE:
        check_live_config(settings.sources)


@dataclass(frozen=True)
class DayReport:
    """`already_done`: the attempt had finished before; nothing ran, the outcome is its record.
    `regrade`: the results run that graded the day again after its re-run."""

    request: DailyRun
    outcome: WorkflowOutcome
    status: dict[str, Any]
    elapsed_seconds: float
    already_done: bool = False
    regrade: DayReport | None = None

    @property
    def ok(self) -> bool:
        return self.outcome.ok and (self.regrade is None or self.regrade.outcome.ok)

    @property
    def rerun_command(self) -> str:
        """What runs this day (or its results) again as the next attempt."""
        run = self.request
        build = rerun_day if run.scope is Scope.DAY else regrade_day
        return str(build(run.game_date, mode=run.mode.value, source=run.source.value))

    def to_json(self) -> dict[str, Any]:
        result = self.outcome.result or {}
        return {
            "workflow_id": self.outcome.workflow_id,
            "attempt": self.request.attempt,
            "already_done": self.already_done,
            "rerun_command": self.rerun_command,
            "regraded_by": None if self.regrade is None else self.regrade.outcome.workflow_id,
            "workflow_status": self.outcome.status,
            "status": result.get("status", "failed" if not self.outcome.ok else None),
            "error": self.outcome.error,
            "game_date": self.request.game_date.isoformat(),
            "mode": self.request.mode.value,
            "source": self.request.source.value,
            "faults": list(self.request.faults),
            "retries": result.get("retries"),
            "alerts": result.get("alerts", []),
            "waited_seconds": result.get("waited_seconds"),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "processors": result.get("processors", {}),
            "notes": result.get("notes", {}),
            "gates": result.get("gates", {}),
            "report": self.status,
        }


@dataclass(frozen=True)
class BackfillSummary:
    """`already_done`: the attempt had finished before; nothing ran, the outcome is its record."""

    backfill: Backfill
    outcome: WorkflowOutcome
    season: dict[str, Any]
    elapsed_seconds: float
    already_done: bool = False

    @property
    def rerun_command(self) -> str:
        """What runs this backfill again as the next attempt."""
        backfill = self.backfill
        return str(
            rerun_range(
                backfill.start, backfill.end, mode=backfill.mode.value, source=backfill.source.value
            )
        )

    @property
    def days(self) -> dict[str, Any]:
        return (self.outcome.result or {}).get("days", {})

    def to_json(self) -> dict[str, Any]:
        result = self.outcome.result or {}
        return {
            "workflow_id": self.outcome.workflow_id,
            "attempt": self.backfill.attempt,
            "already_done": self.already_done,
            "rerun_command": self.rerun_command,
            "workflow_status": self.outcome.status,
            "error": self.outcome.error,
            "start": self.backfill.start.isoformat(),
            "end": self.backfill.end.isoformat(),
            "mode": self.backfill.mode.value,
            "source": self.backfill.source.value,
            "faults": list(self.backfill.faults),
            "game_days": result.get("game_days"),
            "complete": result.get("complete"),
            "degraded": result.get("degraded"),
            "failed": result.get("failed"),
            "last_results": result.get("last_results"),
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "season": self.season,
        }


def run_day(
    home: Home,
    settings: Settings,
    *,
    game_date: date,
    mode: RunMode = RunMode.SAME_DAY,
    source: SourceKind = SourceKind.SIM,
    faults: Sequence[str] = (),
    virtual: bool | None = None,
    results_only: bool = False,
    rerun: bool = False,
    notify: Callable[[str], None] = lambda message: None,
    source_factory: SourceFactory = default_source,
    clock: Clock | None = None,
) -> DayReport:
    """Run the daily pipeline of `game_date` (virtual time unless the source is live), or with
    `results_only` its results half for `game_date` itself (box scores through grading).

    The latest attempt of the day runs, or is reported when it has finished; `rerun` runs the
    next attempt (joining one that is still running), whose rows supersede the earlier ones.
    A re-run of a day that was graded grades it again, so no grade is left on a superseded
    prediction. A re-run is an operator's intervention, recorded at `clock`'s now (default: the
    wall clock).
    """
    # Imported here: the executor re-triggers through the events module, which imports this one.
    from nbaprops.orchestration.remediate import remediate_after_day

    check_source(source, settings)
    run_faults, process = parse_faults(faults)
    request = DailyRun(
        game_date,
        mode,
        source,
        faults=run_faults,
        virtual=source is not SourceKind.LIVE if virtual is None else virtual,
        scope=Scope.RESULTS if results_only else Scope.DAY,
    )
    launch = _launcher(home, settings, process, notify=notify, source_factory=source_factory)
    duplicate = process.delivers(DeliveryFaultKind.DUPLICATE)

    def attempt(request: DailyRun, *, at_least: int = 1) -> DayReport:
        started = time.perf_counter()
        statuses = workflow_statuses(home, settings, [request.first_workflow_id])
        number = day_attempt(statuses, request, rerun=rerun, at_least=at_least)
        request = replace(request, attempt=number)
        done = _already_done(home, settings, request.workflow_id, statuses, rerun=rerun)
        intervention: Callable[[Warehouse], object] | None = None
        if rerun and done is None:
            intervention = partial(
                record_intervention,
                command="regrade" if request.scope is Scope.RESULTS else "rerun",
                target=request.workflow_id,
                game_date=game_date,
                details=f"attempt {request.attempt}",
                clock=clock,
            )
            # Recorded before the run, so the incidents it ends are resolved as manual; after it
            # when another process (a worker) holds the warehouse now.
            try:
                with Warehouse.open(home.warehouse_target, wait_seconds=INTERVENTION_WAIT_SECONDS) as warehouse:
                    intervention(warehouse)
                intervention = None
            except WarehouseBusyError:
                pass
        outcome = done or execute(
            home, settings, request, notify=notify, duplicate=duplicate, launch=launch,
            after=partial(remediate_after_day, clock=clock or SystemClock(), notify=notify),
        )
        with Warehouse.open(home.warehouse_target, wait_seconds=READ_WAIT_SECONDS) as warehouse:
            if intervention is not None:
                intervention(warehouse)
            status = build_status(warehouse, game_date=game_date)
        elapsed = time.perf_counter() - started
        return DayReport(request, outcome, status, elapsed, already_done=done is not None)

    report = attempt(request)
    if rerun and not results_only and report.outcome.ok and report.status["graded"]:
        regrade = attempt(replace(request, scope=Scope.RESULTS), at_least=report.request.attempt)
        report = replace(
            report,
            status=regrade.status,
            elapsed_seconds=report.elapsed_seconds + regrade.elapsed_seconds,
            regrade=regrade,
        )
    return report


def run_backfill(
    home: Home,
    settings: Settings,
    *,
    start: date,
    end: date,
    source: SourceKind = SourceKind.SIM,
    faults: Sequence[str] = (),
    mode: RunMode = RunMode.BACKFILL,
    rerun: bool = False,
    history: bool = False,
    on_day: Callable[[date, str], None] = lambda game_date, status: None,
    notify: Callable[[str], None] = lambda message: None,
    source_factory: SourceFactory = default_source,
) -> BackfillSummary:
    """Every game day in [start, end] through the orchestrator on virtual time, then the results
    of the last day (`history`: Phases 2-4 of every day only); `on_day` hears of each day as it
    ends.

    The latest attempt of the backfill runs, or is reported when it has finished; `rerun` runs
    every day again as the next attempt, past any attempt a day of the range has had.
    """
    check_source(source, settings)
    run_faults, process = parse_faults(faults)
    backfill = Backfill(
        start=start,
        end=end,
        source=source,
        mode=mode,
        faults=run_faults,
        duplicate=process.delivers(DeliveryFaultKind.DUPLICATE),
        reorder=process.delivers(DeliveryFaultKind.REORDER),
        history=history,
    )
    started = time.perf_counter()
    statuses = workflow_statuses(home, settings, backfill_prefixes(backfill))
    backfill = replace(backfill, attempt=backfill_attempt(statuses, backfill, rerun=rerun))
    done = _already_done(home, settings, backfill.workflow_id, statuses, rerun=rerun)
    outcome = done or execute(
        home,
        settings,
        backfill,
        notify=notify,
        duplicate=backfill.duplicate,
        launch=_launcher(
            home, settings, process, notify=notify, on_day=on_day, source_factory=source_factory
        ),
    )
    with Warehouse.open(home.warehouse_target, wait_seconds=READ_WAIT_SECONDS) as warehouse:
        if rerun and done is None:
            record_intervention(
                warehouse,
                command="rerun",
                target=backfill.workflow_id,
                game_date=start,
                details=f"{start}..{end}, attempt {backfill.attempt}: {outcome.status}",
            )
        season = season_summary(warehouse, start=start, end=end)
    return BackfillSummary(
        backfill, outcome, season, time.perf_counter() - started, already_done=done is not None
    )


def _already_done(
    home: Home, settings: Settings, workflow_id: str, statuses: dict[str, str], *, rerun: bool
) -> WorkflowOutcome | None:
    """The recorded outcome of `workflow_id` when it has finished and is not to run again."""
    if rerun or statuses.get(workflow_id) not in FINISHED:
        return None
    return finished_outcome(home, settings, workflow_id)


def history_gap(
    home: Home,
    settings: Settings,
    *,
    game_date: date,
    source: SourceKind,
    source_factory: SourceFactory = default_source,
) -> HistoryGap:
    """What of the history `game_date`'s features need the home has not built yet."""
    check_source(source, settings)
    if not home.warehouse_exists:
        return HistoryGap(game_date, (), (), ())
    with Warehouse.open(
        home.warehouse_target, read_only=True, wait_seconds=READ_WAIT_SECONDS
    ) as warehouse:
        return find_history_gap(warehouse, source_factory(source, warehouse, settings, home), game_date)


def build_history(
    home: Home,
    settings: Settings,
    *,
    gap: HistoryGap,
    source: SourceKind,
    on_day: Callable[[date, str], None] = lambda game_date, status: None,
    notify: Callable[[str], None] = lambda message: None,
    source_factory: SourceFactory = default_source,
) -> BackfillSummary | None:
    """Build the missing history of `gap` (Phases 2-4 of its days, from the earliest missing one,
    skipping days already built); None when nothing is missing."""
    if gap.start is None:
        return None
    return run_backfill(
        home,
        settings,
        start=gap.start,
        end=gap.end,
        source=source,
        history=True,
        on_day=on_day,
        notify=notify,
        source_factory=source_factory,
    )


def apply_event(
    home: Home,
    settings: Settings,
    *,
    kind: EventKind,
    run: DailyRun,
    observed_at: datetime,
    players: Sequence[str] = (),
    notify: Callable[[str], None] = lambda message: None,
    source_factory: SourceFactory = default_source,
) -> WorkflowOutcome:
    """Apply a data-availability event (once, however often it is delivered)."""
    event = DataEvent(kind, run, observed_at, tuple(players))
    return execute(
        home,
        settings,
        event,
        notify=notify,
        launch=_launcher(home, settings, FaultPlan(), notify=notify, source_factory=source_factory),
    )


def _launcher(
    home: Home,
    settings: Settings,
    process: FaultPlan,
    *,
    notify: Callable[[str], None],
    source_factory: SourceFactory,
    on_day: Callable[[date, str], None] = lambda game_date, status: None,
) -> Callable[[], Engine | None]:
    return lambda: Engine.try_launch(
        home,
        settings,
        kill_after_step=process.kill_after_step,
        notify=notify,
        on_day=on_day,
        source_factory=source_factory,
    )
