"""Stuck work: processor runs past their timeout, and runs left 'running' by a dead process.

A run's deadline is its processor's own (`run_timeout_minutes`): a few times its usual duration over
its recent successes, so a stall is cut off within minutes while work that is always long keeps a
long deadline; without enough history, `[orchestration.stuck] processor_timeout_minutes`.

Three ways a run gets stuck, three answers:
- it takes longer than its deadline on the run's clock: `DeadlineClock` ends a wait that would
  pass the deadline at the deadline (the watchdog cancels the work there, not when the stall
  ends), `DeadlineGuard` refuses its write, the run is recorded 'timed_out' and requeued;
- it hangs in a live process: the worker's sweep (`sweep_stuck_runs`) records it 'timed_out'
  with an alert, and the runner refuses its write if it ever finishes;
- its process died: the next executor marks its leftover rows 'abandoned' at launch
  (`abandon_running_runs`), and DBOS recovery re-runs the step.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from nbaprops.clock import Clock
from nbaprops.errors import ProcessorError
from nbaprops.orchestration.faulted import ProcessorWrapper
from nbaprops.orchestration.settings import StuckConfig
from nbaprops.orchestration.store import naive_utc
from nbaprops.processors.base import Processor, ProcessorContext, Rows
from nbaprops.processors.runner import RUN_HISTORY
from nbaprops.warehouse import Warehouse


class DeadlineGuard(ProcessorWrapper):
    """Refuses to write rows built after `deadline` on `clock`: the run timed out."""

    def __init__(
        self, inner: Processor, *, deadline: datetime, clock: Clock, timeout_minutes: float
    ) -> None:
        super().__init__(inner)
        self._deadline = deadline
        self._clock = clock
        self._timeout_minutes = timeout_minutes

    def write(self, ctx: ProcessorContext, game_date: date, rows: Rows) -> int:
        if self.past_deadline():
            raise ProcessorError(
                f"Processor {self.name} for {game_date} ran past its "
                f"{self._timeout_minutes:g}-minute "
                "timeout; its rows were not written and the run will be retried."
            )
        return super().write(ctx, game_date, rows)

    def past_deadline(self) -> bool:
        return self._clock.now() >= self._deadline


class DeadlineClock:
    """`inner` as a run under a deadline sees it: a wait that would pass `deadline` ends there with
    a ProcessorError, as a watchdog cancels a stalled step at its deadline."""

    def __init__(self, inner: Clock, *, deadline: datetime, processor: str, timeout_minutes: float) -> None:
        self._inner = inner
        self._deadline = deadline
        self._processor = processor
        self._timeout_minutes = timeout_minutes

    def now(self) -> datetime:
        return self._inner.now()

    def sleep(self, seconds: float) -> None:
        left = (self._deadline - self._inner.now()).total_seconds()
        if seconds < left:
            self._inner.sleep(seconds)
            return
        self._inner.sleep(max(left, 0.0))
        raise ProcessorError(
            f"Processor {self._processor} stalled past its {self._timeout_minutes:g}-minute deadline; "
            "the run was cut off there and will be requeued."
        )


def expected_timeout_minutes(durations_minutes: Sequence[float], config: StuckConfig) -> float:
    """A run's deadline from its processor's recent successful durations: `expected_duration_factor`
    times the longest, at least `min_timeout_minutes`; `processor_timeout_minutes` without
    `min_history_runs` of them (or with `adaptive_timeout` off)."""
    if not config.adaptive_timeout or len(durations_minutes) < config.min_history_runs:
        return config.processor_timeout_minutes
    if any(minutes < 0 for minutes in durations_minutes):
        raise ValueError(f"durations must not be negative, got {sorted(durations_minutes)[:3]}.")
    return max(config.min_timeout_minutes, config.expected_duration_factor * max(durations_minutes))


def run_timeout_minutes(warehouse: Warehouse, *, processor: str, config: StuckConfig) -> float:
    """The deadline of a run of `processor`, in minutes, from its recorded successes."""
    rows = warehouse.query(
        f"SELECT epoch(finished_at - started_at) / 60.0 AS minutes FROM {RUN_HISTORY} "
        "WHERE processor = ? AND status = 'success' AND finished_at IS NOT NULL "
        "ORDER BY started_at DESC LIMIT ?",
        [processor, config.history_runs],
    )
    return expected_timeout_minutes([max(float(row["minutes"]), 0.0) for row in rows], config)


def mark_timed_out(
    warehouse: Warehouse, *, processor: str, game_date: date, run_id: str, attempt: int
) -> None:
    """Record a run that failed by running past its timeout as 'timed_out'."""
    warehouse.execute(
        f"UPDATE {RUN_HISTORY} SET status = 'timed_out' WHERE processor = ? AND game_date = ? AND "
        "run_id = ? "
        "AND attempt = ? AND status = 'failed'",
        [processor, game_date, run_id, attempt],
    )


@dataclass(frozen=True)
class StuckRun:
    """A run history row left 'running'."""

    processor: str
    game_date: date
    run_id: str
    attempt: int
    started_at: datetime
    running_minutes: float
    timeout_minutes: float = 0.0  # the deadline it ran past


def sweep_stuck_runs(
    warehouse: Warehouse, *, now: datetime, timeout_minutes: float
) -> list[StuckRun]:
    """Record every run 'running' for longer than `timeout_minutes` at `now` as 'timed_out'."""
    stuck = find_stuck_runs(warehouse, now=now, timeout_minutes=timeout_minutes)
    for run in stuck:
        time_out_run(warehouse, run, timeout_minutes=timeout_minutes)
    return stuck


def find_stuck_runs(
    warehouse: Warehouse, *, now: datetime, timeout_minutes: float, config: StuckConfig | None = None
) -> list[StuckRun]:
    """The runs 'running' for longer than `timeout_minutes` at `now` (nothing changed); with
    `config`, each past its own processor's deadline (`run_timeout_minutes`) instead."""
    if config is None:
        cutoff = naive_utc(now) - timedelta(minutes=timeout_minutes)
        return [replace(run, timeout_minutes=timeout_minutes)
                for run in _running(warehouse, before=cutoff, now=naive_utc(now))]
    stuck = []
    deadlines: dict[str, float] = {}
    for run in _running(warehouse, before=None, now=naive_utc(now)):
        if run.processor not in deadlines:
            deadlines[run.processor] = run_timeout_minutes(warehouse, processor=run.processor, config=config)
        if run.running_minutes > deadlines[run.processor]:
            stuck.append(replace(run, timeout_minutes=deadlines[run.processor]))
    return stuck


def time_out_run(warehouse: Warehouse, run: StuckRun, *, timeout_minutes: float) -> None:
    """Record one stuck run as 'timed_out', so its workflow retries it."""
    _set_status(
        warehouse,
        run,
        "timed_out",
        f"Still running after {run.running_minutes:.0f} minutes, past the "
        f"{timeout_minutes:g}-minute "
        "timeout; recorded as timed out so the run is retried.",
    )


def abandon_running_runs(
    warehouse: Warehouse, *, now: datetime, run_ids: Collection[str] | None = None
) -> list[StuckRun]:
    """Record every 'running' row as 'abandoned': for a new executor, when none can be alive
    (`run_ids`: only the rows of those runs, the workflows of an executor that is gone)."""
    stuck = _running(warehouse, before=None, now=naive_utc(now))
    if run_ids is not None:
        stuck = [run for run in stuck if run.run_id in run_ids]
    for run in stuck:
        _set_status(
            warehouse,
            run,
            "abandoned",
            "The process running it stopped before it finished; the workflow re-runs it on "
            "recovery.",
        )
    return stuck


def _running(warehouse: Warehouse, *, before: datetime | None, now: datetime) -> list[StuckRun]:
    """The runs 'running' (started before `before`), aged on the wall clock where their wall start
    is recorded: a run on a virtual clock starts in the past, yet has run only as long as it has."""
    older = "" if before is None else "AND coalesce(started_utc, started_at) < $before "
    rows = warehouse.query(
        f"SELECT processor, game_date, run_id, attempt, coalesce(started_utc, started_at) AS started_at "
        f"FROM {RUN_HISTORY} WHERE status = 'running' {older}ORDER BY started_at, processor",
        {"before": before},
    )
    return [
        StuckRun(
            processor=row["processor"],
            game_date=row["game_date"],
            run_id=row["run_id"],
            attempt=row["attempt"],
            started_at=row["started_at"],
            running_minutes=max((now - row["started_at"]).total_seconds() / 60, 0.0),
        )
        for row in rows
    ]


def _set_status(warehouse: Warehouse, run: StuckRun, status: str, message: str) -> None:
    warehouse.execute(
        f"UPDATE {RUN_HISTORY} SET status = ?, error_class = 'StuckRun', error_message = ? "
        "WHERE processor = ? AND game_date = ? AND run_id = ? AND attempt = ? AND status = "
        "'running'",
        [status, message, run.processor, run.game_date, run.run_id, run.attempt],
    )
