"""What workflow code needs in this process: the warehouse, sources, processors, settings.

DBOS calls workflow functions by name, so they cannot be handed their dependencies; the engine
installs one `Runtime` per process at launch and the workflow functions look it up.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from nbaprops.config import Settings
from nbaprops.errors import OrchestrationError
from nbaprops.home import Home
from nbaprops.ops.config_history import ConfigSnapshot, snapshot
from nbaprops.orchestration.requests import SourceKind
from nbaprops.pipeline.plan import PhaseSteps, daily_plan
from nbaprops.processors.base import Processor
from nbaprops.processors.phase5 import PlayerPropPredictionsProcessor
from nbaprops.sources.base import Source
from nbaprops.sources.live.captured import CapturedReplaySource, captured_dates
from nbaprops.sources.replay import ReplaySource
from nbaprops.warehouse import Warehouse

KILLED_EXIT_CODE = 137  # what a shell reports for a process killed by SIGKILL


class EngineStopped(BaseException):  # noqa: N818 - not an error: an interruption, like SystemExit
    """Raised in a workflow that reaches a step while its executor stops.

    A BaseException, so DBOS records nothing: the workflow stays unfinished, as if the process
    had died there, and resumes from its last recorded step when an executor runs it again.
    """


SourceFactory = Callable[[SourceKind, Warehouse, Settings, Home], Source]


def default_source(kind: SourceKind, warehouse: Warehouse, settings: Settings, home: Home) -> Source:
    """Replay and sim serve history from the warehouse (`nbaprops ingest`, `nbaprops demo`), replay the days
    a live run kept in `<home>/raw/` through the live adapters; live asks the APIs of `[sources.<name>]`,
    keeping their payloads in the home and their breakers in its database."""
    match kind:
        case SourceKind.REPLAY:
            history = ReplaySource(warehouse, settings.replay)
            if not captured_dates(home.raw_dir):
                return history
            return CapturedReplaySource(home.raw_dir, history, settings.sources)
        case SourceKind.SIM:
            return ReplaySource(warehouse, settings.replay)
        case SourceKind.LIVE:
            # imported here: the live source reads the engine's database settings, and the engine imports this
            from nbaprops.orchestration.live import home_live_source

            return home_live_source(home, settings)


class WarehouseLease:
    """The warehouse of the executing process, one user at a time.

    DuckDB lets one process write a file, so the executor opens it only while work needs it:
    `pinned` keeps it open from first use to `close()` (a command that runs a backfill);
    unpinned, it closes once idle for `linger_seconds` (`close_if_idle`), so other commands such
    as `nbaprops status` can read between runs of a long-lived worker.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        pinned: bool,
        wait_seconds: float = 60.0,
        threads: int | None = None,
        application_name: str | None = None,
    ) -> None:
        self.path = path
        self.threads = threads  # DuckDB's worker threads ([warehouse] threads)
        self.application_name = application_name  # the PostgreSQL sessions' name (see engine._fencing)
        self.pinned = pinned
        self.wait_seconds = wait_seconds
        self.generation = 0
        self._lock = threading.RLock()
        self._warehouse: Warehouse | None = None
        self._depth = 0
        self._idle_since = time.monotonic()
        self._shut = False

    @contextmanager
    def hold(self) -> Iterator[Warehouse]:
        """The open warehouse, held by this thread until the block ends (re-entrant)."""
        with self._lock:
            if self._shut:
                where = self.path.parent if isinstance(self.path, Path) else self.path
                raise EngineStopped(f"The executor of {where} is stopping.")
            if self._warehouse is None:
                self._warehouse = Warehouse.open(
                    self.path, wait_seconds=self.wait_seconds, threads=self.threads,
                    application_name=self.application_name,
                )
                self.generation += 1
            self._depth += 1
            try:
                yield self._warehouse
            finally:
                self._depth -= 1
                self._idle_since = time.monotonic()

    @contextmanager
    def side_connection(self) -> Iterator[Warehouse]:
        """A second connection to the open warehouse that does not wait for the current user:
        the stuck-work sweep must get in while a hung processor holds the warehouse."""
        warehouse = self._warehouse
        if warehouse is None or self._shut:
            with self.hold() as opened:
                yield opened
            return
        side = warehouse.cursor()
        try:
            yield side
        finally:
            side.close()

    def close_if_idle(self, linger_seconds: float) -> bool:
        """Close the warehouse when unpinned and unused for `linger_seconds`; True when closed."""
        if self.pinned or not self._lock.acquire(blocking=False):
            return False
        try:
            idle = self._depth == 0 and time.monotonic() - self._idle_since >= linger_seconds
            if idle and self._warehouse is not None:
                self._warehouse.close()
                self._warehouse = None
                return True
            return False
        finally:
            self._lock.release()

    def shut(self) -> None:
        """Close for good once the current user is done; later users get EngineStopped."""
        with self._lock:
            self._shut = True
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._warehouse is not None:
                self._warehouse.close()
                self._warehouse = None


def exit_process(message: str) -> None:
    """Die at once, as a killed process does: no cleanup, no flushing, no recorded outcome."""
    os._exit(KILLED_EXIT_CODE)


@dataclass
class Runtime:
    """Per-process dependencies of workflow code.

    `kill_after_step`: the fault `kill:after_step=N` of this process: it dies right after the
    N-th step it executes (steps replayed from the record do not count), via `killer`.
    `notify`: progress in words (waits, retries, kills) for whoever started the work;
    `on_day`: a backfill's day ended, with its status.
    """

    home: Home
    settings: Settings
    lease: WarehouseLease
    source_factory: SourceFactory = default_source
    kill_after_step: int | None = None
    killer: Callable[[str], None] = exit_process
    notify: Callable[[str], None] = lambda message: None
    on_day: Callable[[date, str], None] = lambda game_date, status: None
    executed_steps: int = 0
    _sources: dict[tuple[SourceKind, int], Source] = field(default_factory=dict, repr=False)
    _predictions: PlayerPropPredictionsProcessor = field(
        default_factory=PlayerPropPredictionsProcessor, repr=False
    )
    _count_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _plan: tuple[PhaseSteps, ...] | None = field(default=None, repr=False)
    _config: ConfigSnapshot | None = field(default=None, repr=False)

    @property
    def config(self) -> ConfigSnapshot:
        """The effective config this process runs under, as the config history stores it."""
        if self._config is None:
            self._config = snapshot(self.settings)
        return self._config

    @property
    def markets(self) -> tuple[str, ...]:
        return tuple(self.settings.predictions.markets)

    def plan(self) -> tuple[PhaseSteps, ...]:
        """The daily plan, sharing one predictions processor (its systems keep trained models)."""
        if self._plan is None:
            self._plan = daily_plan(self._predictions)
        return self._plan

    def processor(self, name: str) -> Processor:
        for phase in self.plan():
            for step in phase.steps:
                if step.processor.name == name:
                    return step.processor
        raise OrchestrationError(f"No processor named {name!r} in the daily plan.")

    def source(self, kind: SourceKind, warehouse: Warehouse) -> Source:
        """The source of `kind` over the currently open warehouse (rebuilt when it was reopened)."""
        key = (kind, self.lease.generation)
        if key not in self._sources:
            self._sources = {
                k: v for k, v in self._sources.items() if k[1] == self.lease.generation
            }
            self._sources[key] = self.source_factory(kind, warehouse, self.settings, self.home)
        return self._sources[key]

    def step_executed(self, description: str) -> None:
        """Count a step this process executed; die after the N-th when `kill:after_step=N`."""
        with self._count_lock:
            self.executed_steps += 1
            count = self.executed_steps
        if self.kill_after_step is not None and count == self.kill_after_step:
            message = (
                f"Killed after step {count} ({description}) by fault kill:after_step="
                f"{self.kill_after_step}; run the same command again to resume."
            )
            self.notify(message)
            self.killer(message)


class _Installed:
    runtime: Runtime | None = None


def install_runtime(runtime: Runtime | None) -> None:
    """Make `runtime` the one workflow code of this process uses (None: uninstall)."""
    _Installed.runtime = runtime


def current_runtime() -> Runtime:
    runtime = _Installed.runtime
    if runtime is None:
        raise OrchestrationError(
            "No orchestration runtime is installed in this process; launch the engine first."
        )
    return runtime
