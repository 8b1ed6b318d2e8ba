"""`nbaprops workers` and the health check's view of the home's executors: read from the executor
registry and DBOS's unfinished workflows, without executing anything."""

from __future__ import annotations

import time
from collections import Counter, defaultdict

import sqlalchemy as sa

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.ops.workers import ExecutorView, WorkersView, executor_state
from nbaprops.orchestration.engine import UNREGISTERED, EngineClient, ExecutorRegistry, application_version

INTERNAL_QUEUE = "_dbos_internal_queue"


def read_workers(home: Home, settings: Settings, *, now_ms: int | None = None) -> WorkersView | None:
    """The executors of `home` with their heartbeat age and pending work, each queue's depth and
    older versions' unfinished work; None when nothing has run on the home yet."""
    if settings.orchestration.database_url is None and not home.orchestration_db_path.exists():
        return None
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    version = application_version(settings)
    watchdog = settings.orchestration.worker.watchdog_interval_seconds
    registry = ExecutorRegistry.of(home, settings)
    try:
        rows = registry.executors() if registry.exists() else []
    finally:
        registry.close()
    try:
        with EngineClient(home, settings) as client:
            unfinished = client.unfinished()
    except sa.exc.DatabaseError:
        unfinished = []  # DBOS has not created its tables yet
    pending: dict[str, list[str]] = defaultdict(list)
    for row in unfinished:
        if row.status == "PENDING" and row.executor_id is not None:
            pending[row.executor_id].append(row.workflow_id)
    executors = tuple(
        ExecutorView(
            executor_id=row.executor_id,
            role=row.role,
            host=row.host,
            pid=row.pid,
            application_version=row.application_version,
            heartbeat_age_seconds=row.heartbeat_age_seconds(now_ms),
            state=executor_state(
                stopped=row.stopped_at_ms is not None,
                recovered=row.recovered_at_ms is not None,
                heartbeat_age_seconds=row.heartbeat_age_seconds(now_ms),
                watchdog_interval_seconds=watchdog,
            ),
            recovered_by=row.recovered_by,
            pending=tuple(sorted(pending.get(row.executor_id, ()))),
        )
        for row in rows
    )
    registered = {row.executor_id for row in rows}
    executors += tuple(
        # Work left by an executor that is not registered (a command that was killed): gone.
        ExecutorView(executor_id=executor, role=UNREGISTERED, host="", pid=0, application_version="",
                     heartbeat_age_seconds=now_ms / 1000, state="silent", pending=tuple(sorted(held)))
        for executor, held in sorted(pending.items())
        if executor not in registered
    )
    return WorkersView(
        current_version=version,
        watchdog_interval_seconds=watchdog,
        executors=executors,
        queue_depth=dict(sorted(Counter(
            row.queue_name or INTERNAL_QUEUE for row in unfinished if row.status == "ENQUEUED"
        ).items())),
        other_versions=tuple(
            (row.workflow_id, row.application_version)
            for row in unfinished
            if row.application_version not in (None, version)
        ),
    )
