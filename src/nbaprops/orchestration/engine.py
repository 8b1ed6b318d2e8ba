"""The orchestration engine: DBOS launched in this process as the home's one executor.

One process at a time executes the workflows of a home, since DuckDB lets one process write the
warehouse: it holds `<home>/executor.lock` for as long as DBOS is launched. Another process that
wants work done hands it over instead (`execute`): it enqueues the workflow, with its
deterministic ID, on the home's queue, which the worker consumes, and waits for it; when the
executor was a command that does not consume the queue, the waiting process takes over the
executor role once it is free and runs the work itself. Either way the work runs once.

The system database is SQLite under the home unless `[orchestration] database_url` names a
PostgreSQL database, where each home has a schema of its own (`system_schema`), so homes sharing
the database never recover, dequeue or list each other's workflows.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeAlias, assert_never

import sqlalchemy as sa
from dbos import DBOS, DBOSClient, DBOSConfig, SetWorkflowID, WorkflowHandle, WorkflowStatus

from nbaprops.config import Settings
from nbaprops.errors import NbaPropsError, OrchestrationError
from nbaprops.home import Home
from nbaprops.orchestration.dbos_logs import keep_dbos_off_the_terminal
from nbaprops.orchestration.requests import Backfill, DailyRun, DataEvent
from nbaprops.orchestration.runtime import (
    Runtime,
    SourceFactory,
    WarehouseLease,
    default_source,
    exit_process,
    install_runtime,
)
from nbaprops.orchestration.stuck import abandon_running_runs
from nbaprops.orchestration.workflows import (
    BACKFILL_WORKFLOW,
    DAILY_WORKFLOW,
    EVENT_WORKFLOW,
    backfill_workflow,
    daily_workflow,
    event_workflow,
)

WAREHOUSE_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.2
FINISHED = frozenset({"SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"})

Work: TypeAlias = DailyRun | Backfill | DataEvent


class Role(StrEnum):
    """What the executing process is: a command runs its own work; the worker also consumes
    the queue other processes hand work to."""

    COMMAND = "command"
    WORKER = "worker"


APP_NAME = "nbaprops"
QUEUE_NAME = "nbaprops"


def system_schema(home: Home, settings: Settings) -> str:
    """The schema of the home's DBOS tables: homes sharing one PostgreSQL database each get
    their own, so their workflow IDs (`daily:2025-01-10:same_day:replay`) never meet."""
    if settings.orchestration.database_url is None:
        return "dbos"
    return "dbos_" + hashlib.sha1(str(home.root).encode()).hexdigest()[:12]


def system_database_url(home: Home, settings: Settings) -> str:
    """`[orchestration] database_url`, else SQLite at the home's orchestration_db_path."""
    configured = settings.orchestration.database_url
    if configured is not None:
        return configured.get_secret_value()
    return f"sqlite:///{home.orchestration_db_path}"


def workflow_name(work: Work) -> str:
    match work:
        case DailyRun():
            return DAILY_WORKFLOW
        case Backfill():
            return BACKFILL_WORKFLOW
        case DataEvent():
            return EVENT_WORKFLOW
        case _:
            assert_never(work)


@dataclass(frozen=True)
class WorkflowOutcome:
    """How a workflow ended: DBOS status, its result, or its error message."""

    workflow_id: str
    status: str
    result: dict[str, Any] | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status == "SUCCESS"


class ExecutorLock:
    """`<home>/executor.lock`, held by the one process that executes the home's workflows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def holder_pid(self) -> int | None:
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class _QuietWorkflowErrors(logging.Filter):
    """A workflow that ends with an nbaprops error has recorded why; DBOS need not print a
    traceback for it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, NbaPropsError)


def executor_id(role: Role) -> str:
    """The worker keeps one executor ID, so DBOS recovers its own unfinished work when it comes
    back; each command has its own, so a short command never picks up unrelated work."""
    return "worker" if role is Role.WORKER else f"command-{os.getpid()}"


def dbos_config(home: Home, settings: Settings, *, role: Role) -> DBOSConfig:
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": system_database_url(home, settings),
        "dbos_system_schema": system_schema(home, settings),
        "executor_id": executor_id(role),
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.1,
        "scheduler_polling_interval_sec": 1.0,
    }
    if settings.orchestration.database_url is None:
        config["system_database_engine"] = sqlite_engine(home.orchestration_db_path)
    return config


def sqlite_engine(path: Path) -> sa.Engine:
    """The SQLite system database engine: DBOS's own connection settings plus synchronous=NORMAL.

    Every step commits; in WAL mode NORMAL skips the fsync per commit yet survives any process
    crash (a power loss can drop the last commits, never corrupt the file). Measured on the
    2024-25 season through the orchestrator: see benchmarks/bench_orchestrator.py.
    """
    engine = sa.create_engine(f"sqlite:///{path}")

    @sa.event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = "IMMEDIATE"  # as DBOS does: serialise writers
        dbapi_connection.execute("PRAGMA busy_timeout=30000")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    return engine


def use_write_ahead_log(path: Path) -> None:
    """Put the SQLite system database in WAL mode (it stays so): cheaper commits for every step,
    and processes that wait on a workflow read without blocking the executor's writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


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
        self._lock = lock
        self._filter = _QuietWorkflowErrors()

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
        lock = ExecutorLock(home.root / "executor.lock")
        if not lock.acquire():
            return None
        lease = WarehouseLease(
            home.warehouse_path, pinned=role is Role.COMMAND, wait_seconds=WAREHOUSE_WAIT_SECONDS
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
        DBOS(config=dbos_config(self.home, self.settings, role=self.role))
        logging.getLogger("dbos").addFilter(self._filter)
        DBOS.listen_queues([QUEUE_NAME] if self.role is Role.WORKER else [])
        DBOS.launch()
        DBOS.register_queue(
            QUEUE_NAME,
            worker_concurrency=self.settings.orchestration.worker.queue_concurrency,
            polling_interval_sec=POLL_SECONDS,
        )

    def close(self) -> None:
        # Workflows still running here stop at their next step, unrecorded, and resume later.
        self.runtime.lease.shut()
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
        function = {
            DAILY_WORKFLOW: daily_workflow,
            BACKFILL_WORKFLOW: backfill_workflow,
            EVENT_WORKFLOW: event_workflow,
        }[workflow_name(work)]
        with SetWorkflowID(workflow_id):
            DBOS.start_workflow(function, work.to_json())
        self.resume_orphans(workflow_id)
        return workflow_id

    def resume_orphans(self, workflow_id: str | None = None) -> list[str]:
        """Resume the unfinished workflows no live process executes: those of `workflow_id` and
        its descendants (None: all of the home's). As the one executor of the home, every
        PENDING workflow of another executor belongs to a process that has stopped."""
        own = executor_id(self.role)
        if workflow_id is None:
            candidates = DBOS.list_workflows(
                status=["PENDING", "ENQUEUED"], load_input=False, load_output=False
            )
        else:
            candidates = _tree(workflow_id)
        resumed = []
        for status in candidates:
            orphan = status.status == "PENDING" and status.executor_id != own
            # Handed to the queue by a process that found us executing: a command does not
            # consume the queue, so it runs the work itself.
            queued = (
                status.status == "ENQUEUED"
                and status.queue_name == QUEUE_NAME
                and self.role is Role.COMMAND
            )
            if orphan or queued:
                DBOS.resume_workflow(status.workflow_id)
                resumed.append(status.workflow_id)
        return resumed

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


def _status(status: WorkflowStatus | None) -> str:
    return "UNKNOWN" if status is None else str(status.status)


@dataclass(frozen=True)
class WorkflowRow:
    """One workflow as `nbaprops workflows list` shows it."""

    workflow_id: str
    status: str
    name: str
    created_at: datetime | None
    updated_at: datetime | None
    executor_id: str | None
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "workflow_id": self.workflow_id,
            "status": self.status,
            "name": self.name,
            "created_at": None if self.created_at is None else self.created_at.isoformat(),
            "updated_at": None if self.updated_at is None else self.updated_at.isoformat(),
            "executor_id": self.executor_id,
            "error": self.error,
        }


def _missing_table(error: sa.exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


class EngineClient:
    """Talks to the home's system database without executing anything: hands work over,
    lists, resumes and cancels workflows. Works whether or not an executor is running."""

    def __init__(self, home: Home, settings: Settings) -> None:
        self.home = home
        url = system_database_url(home, settings)
        if url.startswith("sqlite") and not home.orchestration_db_path.exists():
            raise OrchestrationError(
                f"No workflows have run on {home.root} yet ({home.orchestration_db_path} does not "
                "exist); start one with `nbaprops run` or `nbaprops backfill`."
            )
        keep_dbos_off_the_terminal()
        self._client = DBOSClient(
            system_database_url=url,
            dbos_system_schema=system_schema(home, settings),
            application_name=APP_NAME,
        )

    def enqueue(self, work: Work, *, ready_timeout_seconds: float = 30.0) -> str:
        """Hand `work` to the executor. An executor that has just started may still be creating
        the system tables, so a missing table is waited out (bounded), never reported as a crash."""
        deadline = time.monotonic() + ready_timeout_seconds
        while True:
            try:
                self._client.enqueue(
                    {
                        "queue_name": QUEUE_NAME,
                        "workflow_name": workflow_name(work),
                        "workflow_id": work.workflow_id,
                    },
                    work.to_json(),
                )
                return work.workflow_id
            except (sa.exc.OperationalError, sa.exc.ProgrammingError) as e:
                if not _missing_table(e) or time.monotonic() >= deadline:
                    raise OrchestrationError(
                        f"Could not hand {work.workflow_id} to the executor of {self.home.root}: {e.orig}. "
                        "Check that the executor started (`nbaprops workflows list`) and try again."
                    ) from e
                time.sleep(0.1)

    def outcome(self, workflow_id: str) -> WorkflowOutcome | None:
        """The outcome once the workflow has ended; None while it runs or waits."""
        status = self._client.retrieve_workflow(workflow_id).get_status()
        if status.status not in FINISHED:
            return None
        error = None if status.error is None else str(status.error)
        return WorkflowOutcome(workflow_id, status.status, status.output, error)

    def workflows(
        self, *, status: str | None = None, prefix: str | None = None, limit: int = 50
    ) -> list[WorkflowRow]:
        """The newest workflows first."""
        rows = self._client.list_workflows(
            status=status,
            workflow_id_prefix=prefix,
            limit=limit,
            sort_desc=True,
            load_input=False,
            load_output=False,
        )
        return [
            WorkflowRow(
                workflow_id=row.workflow_id,
                status=row.status,
                name=row.name,
                created_at=_instant(row.created_at),
                updated_at=_instant(row.updated_at),
                executor_id=row.executor_id,
                error=None if row.error is None else str(row.error),
            )
            for row in rows
        ]

    def workflow(self, workflow_id: str) -> WorkflowRow:
        rows = self._client.list_workflows(
            workflow_ids=[workflow_id], load_input=False, load_output=False
        )
        if not rows:
            raise OrchestrationError(
                f"No workflow {workflow_id!r} on {self.home.root}; `nbaprops workflows list` shows "
                "the IDs."
            )
        row = rows[0]
        return WorkflowRow(
            row.workflow_id,
            row.status,
            row.name,
            _instant(row.created_at),
            _instant(row.updated_at),
            row.executor_id,
            None if row.error is None else str(row.error),
        )

    def resume(self, workflow_id: str) -> None:
        """Queue an unfinished workflow to continue from its last recorded step."""
        row = self.workflow(workflow_id)
        if row.status in ("SUCCESS", "ERROR"):
            raise OrchestrationError(
                f"Workflow {workflow_id} has finished ({row.status}); a finished workflow replays "
                "its record the same way, so it cannot be resumed."
            )
        self._client.resume_workflow(workflow_id)

    def cancel(self, workflow_id: str) -> None:
        """Stop a workflow at its next step; it can be resumed later."""
        row = self.workflow(workflow_id)
        if row.status in ("SUCCESS", "ERROR"):
            raise OrchestrationError(
                f"Workflow {workflow_id} has already finished ({row.status}); nothing to cancel."
            )
        self._client.cancel_workflow(workflow_id)

    def close(self) -> None:
        self._client.destroy()

    def __enter__(self) -> EngineClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _instant(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)


def execute(
    home: Home,
    settings: Settings,
    work: Work,
    *,
    notify: Callable[[str], None] = lambda message: None,
    launch: Callable[[], Engine | None] | None = None,
    duplicate: bool = False,
) -> WorkflowOutcome:
    """Run `work` here as the executor, or hand it to the process that is, and wait for it."""
    start = launch or (lambda: Engine.try_launch(home, settings, notify=notify))
    handoff: EngineClient | None = None
    try:
        while True:
            engine = start()
            if engine is not None:
                with engine:
                    workflow_id = engine.start(work)
                    if duplicate:  # the fault deliver:duplicate: the same work, delivered again
                        engine.start(work)
                    return engine.wait(workflow_id)
            if handoff is None:
                handoff = _hand_over(home, settings, work, notify=notify)
                if handoff is None:
                    continue
            outcome = handoff.outcome(work.workflow_id)
            if outcome is not None:
                return outcome
            time.sleep(POLL_SECONDS)
    finally:
        if handoff is not None:
            handoff.close()


def _hand_over(
    home: Home, settings: Settings, work: Work, *, notify: Callable[[str], None]
) -> EngineClient | None:
    holder = ExecutorLock(home.root / "executor.lock").holder_pid()
    try:
        handoff = EngineClient(home, settings)
    except NbaPropsError:
        time.sleep(POLL_SECONDS)  # the executor is still creating its database
        return None
    try:
        handoff.enqueue(work)
    except BaseException:
        handoff.close()
        raise
    notify(
        f"Another nbaprops process (pid {holder}) is executing work on {home.root}; handed "
        f"{work.workflow_id} to it and waiting for it to finish."
    )
    return handoff


@contextmanager
def launched(home: Home, settings: Settings, **options: Any) -> Iterator[Engine]:
    """The engine as executor, or an OrchestrationError saying who holds the role."""
    engine = Engine.try_launch(home, settings, **options)
    if engine is None:
        holder = ExecutorLock(home.root / "executor.lock").holder_pid()
        raise OrchestrationError(
            f"Another nbaprops process (pid {holder}) is executing workflows on {home.root}; "
            "stop it or wait for it to finish, then try again."
        )
    with engine:
        yield engine
