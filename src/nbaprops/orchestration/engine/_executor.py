"""The executor: DBOS launched in this process as an executor of the home, with the runtime.

On the embedded default one process at a time executes the workflows of a home, since DuckDB lets
one process write the warehouse: it holds `<home>/executor.lock` for as long as DBOS is launched.
With the warehouse and the system database on PostgreSQL (`shares_execution`) any number of
executors run at once, sharing the home's queues; each leaves the others' work alone while they
heartbeat.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from dbos import DBOS, SetWorkflowID, WorkflowHandle, WorkflowStatus

from nbaprops.config import Settings
from nbaprops.errors import NbaPropsError, OrchestrationError
from nbaprops.home import Home
from nbaprops.orchestration.dbos_logs import keep_dbos_off_the_terminal
from nbaprops.orchestration.engine._executors import (
    ExecutorRegistry,
    ExecutorRow,
    this_host,
    this_pid,
)
from nbaprops.orchestration.engine._fencing import end_sessions, session_name
from nbaprops.orchestration.engine._lock import ExecutorLock
from nbaprops.orchestration.engine._recovery import (
    UNFINISHED,
    Carried,
    carry_over,
    gone_executors,
    recover_executor,
    stale_version,
)
from nbaprops.orchestration.engine._system_db import (
    POLL_SECONDS,
    QUEUE_NAME,
    Role,
    dbos_config,
    executor_id,
    shares_execution,
    system_database_url,
    use_write_ahead_log,
)
from nbaprops.orchestration.engine._version import application_version
from nbaprops.orchestration.engine._work import Work, WorkflowOutcome, workflow_of
from nbaprops.orchestration.runtime import (
    Runtime,
    SourceFactory,
    WarehouseLease,
    default_source,
    exit_process,
    install_runtime,
)
from nbaprops.orchestration.stuck import abandon_running_runs

WAREHOUSE_WAIT_SECONDS = 60.0


class _QuietWorkflowErrors(logging.Filter):
    """A workflow that ends with an nbaprops error has recorded why; DBOS need not print a
    traceback for it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, NbaPropsError)



class Engine:
    """DBOS launched as the executor of one home, with the runtime installed.

    Get one with `Engine.try_launch` (None when another process is the executor) or `launched`.
    """

    def __init__(
        self, home: Home, settings: Settings, *, runtime: Runtime, lock: ExecutorLock, role: Role
    ) -> None:
        self.home = home
        self.settings = settings
        self.runtime = runtime
        self.role = role
        self.executor_id = executor_id(role, settings)
        self.application_version = application_version(settings)
        self.registry = ExecutorRegistry.of(home, settings, application_name=session_name(self.executor_id))
        self._lock = lock
        self.shared = lock.shared
        self._filter = _QuietWorkflowErrors()
        self._heartbeat: _Heartbeat | None = None

    @classmethod
    def try_launch(
        cls,
        home: Home,
        settings: Settings,
        *,
        role: Role = Role.COMMAND,
        source_factory: SourceFactory = default_source,
        kill_after_step: int | None = None,
        killer: Callable[[str], None] = exit_process,
        notify: Callable[[str], None] = lambda message: None,
        on_day: Callable[[date, str], None] = lambda game_date, status: None,
    ) -> Engine | None:
        """Launch as the home's executor; None when another process is the executor."""
        home.ensure()
        lock = ExecutorLock.of(home, shared=shares_execution(settings))
        if not lock.acquire():
            return None
        lease = WarehouseLease(
            home.warehouse_target, pinned=role is Role.COMMAND, wait_seconds=WAREHOUSE_WAIT_SECONDS,
            threads=settings.warehouse.threads, application_name=session_name(executor_id(role, settings)),
        )
        runtime = Runtime(
            home=home,
            settings=settings,
            lease=lease,
            source_factory=source_factory,
            kill_after_step=kill_after_step,
            killer=killer,
            notify=notify,
            on_day=on_day,
        )
        engine = cls(home, settings, runtime=runtime, lock=lock, role=role)
        try:
            engine._start()
        except BaseException:
            engine.close()
            raise
        return engine

    def _start(self) -> None:
        abandoned = []
        if not self.shared:
            with self.runtime.lease.hold() as warehouse:
                # We hold the executor lock, so nothing else can be running a processor of this home.
                abandoned = abandon_running_runs(warehouse, now=datetime.now(UTC))
        if abandoned:
            self.runtime.notify(
                f"Marked {len(abandoned)} processor runs left 'running' by a stopped process as "
                "abandoned; their workflows resume now."
            )
        install_runtime(self.runtime)
        if self.settings.orchestration.database_url is None:
            use_write_ahead_log(self.home.orchestration_db_path)
        keep_dbos_off_the_terminal()
        DBOS(config=dbos_config(
            self.home, self.settings, role=self.role, application_version=self.application_version
        ))
        logging.getLogger("dbos").addFilter(self._filter)
        DBOS.listen_queues([QUEUE_NAME] if self.role is Role.WORKER else [])
        # Registered before DBOS recovers anything, so no other worker takes us for gone.
        self._register()
        DBOS.launch()
        DBOS.register_queue(
            QUEUE_NAME,
            worker_concurrency=self.settings.orchestration.worker.queue_concurrency,
            global_concurrency=self.settings.orchestration.worker.queue_global_concurrency,
            polling_interval_sec=POLL_SECONDS,
        )

    def _register(self) -> None:
        self.registry.create()
        now_ms = _now_ms()
        self.registry.register(ExecutorRow(
            executor_id=self.executor_id,
            role=self.role.value,
            host=this_host(),
            pid=this_pid(),
            application_version=self.application_version,
            started_at_ms=now_ms,
            heartbeat_at_ms=now_ms,
        ))
        self._heartbeat = _Heartbeat(
            self.registry, self.executor_id,
            interval_seconds=self.settings.orchestration.worker.heartbeat_interval_seconds,
        )
        self._heartbeat.start()

    def close(self) -> None:
        # Workflows still running here stop at their next step, unrecorded, and resume later.
        self.runtime.lease.shut()
        if self._heartbeat is not None:
            self._heartbeat.stop()
            if self.role is Role.COMMAND:
                # A command's ID is never used again; work it left pending is found by its workflows.
                self.registry.forget(self.executor_id)
            else:
                self.registry.stop(self.executor_id, now_ms=_now_ms())
        self.registry.close()
        DBOS.destroy()
        logging.getLogger("dbos").removeFilter(self._filter)
        install_runtime(None)
        self.runtime.lease.close()
        self._lock.release()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- work ----------------------------------------------------------------------------------

    def start(self, work: Work) -> str:
        """Start `work` (or attach to the workflow that already has its ID); returns the ID."""
        workflow_id = work.workflow_id
        with SetWorkflowID(workflow_id):
            DBOS.start_workflow(workflow_of(work).function, work.to_json())
        self.resume_orphans(workflow_id)
        return workflow_id

    def resume_orphans(self, workflow_id: str | None = None) -> list[str]:
        """Resume the unfinished workflows no live process executes: those of `workflow_id` and
        its descendants (None: all of the home's). As the one executor of the home, every
        PENDING workflow of another executor belongs to a process that has stopped; one of another
        application version is carried over to this one, since no executor of ours would run it.
        Sharing execution, the work of executors still heartbeating is theirs and left alone."""
        live = self._live_others()
        if workflow_id is None:
            candidates = DBOS.list_workflows(status=list(UNFINISHED), load_input=False, load_output=False)
        else:
            candidates = _tree(workflow_id)
        resumed = []
        for status in candidates:
            if status.status == "PENDING" and status.executor_id in live:
                continue
            if stale_version(status, self.application_version):
                carry_over(status, version=self.application_version, queue_name=self._queue_of(status))
                resumed.append(status.workflow_id)
                continue
            orphan = status.status == "PENDING" and status.executor_id != self.executor_id
            # Handed to the queue by a process that found us executing: a command does not
            # consume the queue, so it runs the work itself.
            queued = (
                status.status == "ENQUEUED"
                and status.queue_name == QUEUE_NAME
                and self.role is Role.COMMAND
                and not self.shared  # sharing, the workers consume the queue
            )
            if orphan or queued:
                DBOS.resume_workflow(status.workflow_id)
                resumed.append(status.workflow_id)
        return resumed

    def recover(self) -> list[tuple[ExecutorRow, Carried]]:
        """Re-enqueue the pending work of every gone executor whose recovery this engine claims,
        and carry over to this version any unfinished work of older ones; returns, per gone
        executor that held work, what moved (this engine's own older work under its own row)."""
        unfinished = DBOS.list_workflows(status=list(UNFINISHED), load_input=False, load_output=False)
        known = {row.executor_id for row in self.registry.executors()}
        # Work of executors that never registered (a command killed at once, an older nbaprops).
        for unregistered in {s.executor_id for s in unfinished if s.status == "PENDING"} - known:
            if unregistered is not None and unregistered != self.executor_id:
                self.registry.note_unregistered(unregistered)
        rows = self.registry.executors()
        now_ms = _now_ms()
        gone = gone_executors(
            rows,
            own=self.executor_id,
            now_ms=now_ms,
            watchdog_ms=int(self.settings.orchestration.worker.silence_limit_seconds * 1000),
            # We hold the home's executor lock, which no live executor lets go of.
            exclusive=not self.shared,
        )
        moved: list[tuple[ExecutorRow, Carried]] = []
        for row in gone:
            if not self.registry.claim_recovery(row, by=self.executor_id, now_ms=now_ms):
                continue  # another worker claimed it first, or it beat again
            fenced = 0
            if self.shared:
                # Its sessions' locks would block the abandoning UPDATE and the re-run partitions.
                fenced = self._fence(row)
                self._abandon_runs_of(row.executor_id)
            carried = recover_executor(row.executor_id, version=self.application_version, queue_of=self._queue_of)
            carried.fenced = fenced
            if carried.workflow_ids or carried.fenced:
                moved.append((row, carried))
        leftover = Carried()
        for status in DBOS.list_workflows(status=list(UNFINISHED), load_input=False, load_output=False):
            # Our own older work (DBOS recovers only this version's) and older work still queued.
            mine = status.executor_id == self.executor_id or status.status == "ENQUEUED"
            if mine and stale_version(status, self.application_version):
                carry_over(status, version=self.application_version, queue_name=self._queue_of(status))
                leftover.upgraded.append(status.workflow_id)
        if leftover.workflow_ids:
            own = next(row for row in self.registry.executors() if row.executor_id == self.executor_id)
            moved.append((own, leftover))
        return moved

    def _fence(self, gone: ExecutorRow) -> int:
        """End the sessions the silent executor `gone` still holds on the warehouse and the system
        database (see `_fencing`); how many ended. One that stopped cleanly closed its own. A
        failure (no right to end them) is told and recovery goes on: the sessions end at TCP
        keepalive, and until then what needs their locks waits."""
        if gone.stopped_at_ms is not None or not self.settings.orchestration.worker.fence_gone_executors:
            return 0
        ended = 0
        name = session_name(gone.executor_id)
        for url in (str(self.runtime.lease.path), system_database_url(self.home, self.settings)):
            try:
                ended += end_sessions(url, application_name=name)
            except OrchestrationError as e:
                logging.getLogger(__name__).warning("%s", e)
                self.runtime.notify(f"{e} Recovering its work anyway; what needs their locks waits for them.")
        return ended

    def _abandon_runs_of(self, gone: str) -> None:
        """Mark the processor runs the gone executor left 'running' as abandoned, before its
        workflows go back on the queue (a run's ID is its workflow's), so no live run is touched."""
        pending = DBOS.list_workflows(status="PENDING", executor_id=gone, load_input=False, load_output=False)
        if pending:
            with self.runtime.lease.hold() as warehouse:
                abandon_running_runs(
                    warehouse, now=datetime.now(UTC), run_ids={status.workflow_id for status in pending}
                )

    def _live_others(self) -> set[str]:
        """Sharing execution, the other executors heartbeating within the watchdog interval (none
        otherwise: holding the lock, we are the only live one)."""
        if not self.shared:
            return set()
        rows = self.registry.executors()
        gone = gone_executors(
            rows,
            own=self.executor_id,
            now_ms=_now_ms(),
            watchdog_ms=int(self.settings.orchestration.worker.silence_limit_seconds * 1000),
            exclusive=False,
        )
        gone_ids = {row.executor_id for row in gone}
        return {
            row.executor_id
            for row in rows
            if row.executor_id != self.executor_id and row.executor_id not in gone_ids
            and row.stopped_at_ms is None and row.recovered_at_ms is None
        }

    def _queue_of(self, status: WorkflowStatus) -> str | None:
        """Where carried-over work waits: on its own queue (None: DBOS's internal one, which every
        executor consumes), except that a command, not consuming the worker's queue, runs it itself."""
        if status.queue_name == QUEUE_NAME and self.role is Role.COMMAND:
            return None
        return status.queue_name

    def wait(self, workflow_id: str) -> WorkflowOutcome:
        handle: WorkflowHandle[dict[str, Any]] = DBOS.retrieve_workflow(workflow_id)
        try:
            result = handle.get_result(polling_interval_sec=POLL_SECONDS)
        except Exception as e:  # noqa: BLE001 - the workflow's error is its outcome
            return WorkflowOutcome(
                workflow_id, _status(DBOS.get_workflow_status(workflow_id)), None, str(e)
            )
        return WorkflowOutcome(workflow_id, "SUCCESS", result, None)

    def run(self, work: Work) -> WorkflowOutcome:
        return self.wait(self.start(work))

    def statuses(self, prefixes: Sequence[str]) -> dict[str, str]:
        """The status of every workflow whose ID starts with one of `prefixes`, by ID."""
        rows = DBOS.list_workflows(workflow_id_prefix=list(prefixes), load_input=False, load_output=False)
        return {row.workflow_id: str(row.status) for row in rows}



def _tree(workflow_id: str) -> list[WorkflowStatus]:
    """The statuses of a workflow and all its descendants."""
    found = DBOS.list_workflows(workflow_ids=[workflow_id], load_input=False, load_output=False)
    parents = [workflow_id]
    while parents:
        children = DBOS.list_workflows(
            parent_workflow_id=parents, load_input=False, load_output=False
        )
        known = {status.workflow_id for status in found}
        children = [child for child in children if child.workflow_id not in known]
        found.extend(children)
        parents = [child.workflow_id for child in children]
    return found


class _Heartbeat(threading.Thread):
    """Records the executor's heartbeat every `interval_seconds` until stopped."""

    def __init__(self, registry: ExecutorRegistry, executor_id: str, *, interval_seconds: float) -> None:
        super().__init__(daemon=True, name="nbaprops-heartbeat")
        self.registry = registry
        self.executor_id = executor_id
        self.interval_seconds = interval_seconds
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval_seconds):
            try:
                self.registry.heartbeat(self.executor_id, now_ms=_now_ms())
            except Exception as e:  # noqa: BLE001 - a missed beat must not end the executor
                logging.getLogger(__name__).warning("Heartbeat of %s failed: %s", self.executor_id, e)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


def _now_ms() -> int:
    """Wall-clock epoch milliseconds: liveness is judged in real time, whatever clock runs the day."""
    return int(time.time() * 1000)


def _status(status: WorkflowStatus | None) -> str:
    return "UNKNOWN" if status is None else str(status.status)



@contextmanager
def launched(home: Home, settings: Settings, **options: Any) -> Iterator[Engine]:
    """The engine as executor, or an OrchestrationError saying who holds the role."""
    engine = Engine.try_launch(home, settings, **options)
    if engine is None:
        holder = ExecutorLock.of(home).holder_pid()
        raise OrchestrationError(
            f"Another nbaprops process (pid {holder}) is executing workflows on {home.root}; "
            "stop it or wait for it to finish, then try again."
        )
    with engine:
        yield engine
