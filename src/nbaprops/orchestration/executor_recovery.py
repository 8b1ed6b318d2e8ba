"""The worker's watchdog over executors: recover the work of gone ones and record each recovery
as an incident (opened and resolved at once, so it is counted and timed, never left open)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from nbaprops.orchestration.engine import Carried, Engine, ExecutorRow
from nbaprops.reliability.incidents import Failure, IncidentStore, Recovery
from nbaprops.state import eastern_date

GONE = "executor_gone"
UPGRADED = "older_version_work"


def recover_gone_executors(engine: Engine, *, now: datetime, notify: Callable[[str], None]) -> list[str]:
    """Recover what gone executors (and older application versions) left unfinished; returns the
    workflow IDs moved."""
    moved = engine.recover()
    if not moved:
        return []
    with engine.runtime.lease.side_connection() as warehouse:
        store = IncidentStore(warehouse)
        for row, carried in moved:
            failure = recovery_failure(row, carried, own=engine.executor_id, version=engine.application_version,
                                       now=now)
            store.observe(failure)
            store.observe(Recovery(failure.component, failure.game_date, at=now))
            notify(f"{failure.error} {failure.remediation}")
    return [workflow_id for _, carried in moved for workflow_id in carried.workflow_ids]


def recovery_failure(row: ExecutorRow, carried: Carried, *, own: str, version: str, now: datetime) -> Failure:
    """The incident's failure for one recovery: whose work, since when, what moved where."""
    last_seen = datetime.fromtimestamp(row.heartbeat_at_ms / 1000, tz=UTC)
    if row.executor_id == own:
        error_class = UPGRADED
        error = (
            f"{len(carried.upgraded)} unfinished workflow(s) of {own} were recorded under an older "
            f"application version, which no executor of {version} would run."
        )
    else:
        error_class = GONE
        stopped = "stopped" if row.stopped_at_ms is not None else "stopped heartbeating"
        error = (
            f"Executor {row.executor_id} (pid {row.pid} on {row.host or 'an unknown host'}) {stopped}"
            f" at {last_seen:%Y-%m-%d %H:%M:%S} UTC with {len(carried.workflow_ids)} workflow(s) pending."
        )
    parts = []
    if carried.fenced:
        parts.append(f"ended {carried.fenced} database session(s) it still held")
    if carried.recovered:
        parts.append(f"re-enqueued {', '.join(carried.recovered)} onto their queues")
    if carried.upgraded:
        parts.append(f"carried {', '.join(carried.upgraded)} over to version {version}")
    return Failure(
        component=f"executor:{row.executor_id}",
        error_class=error_class,
        game_date=eastern_date(now),
        key=f"{row.executor_id}@{row.heartbeat_at_ms}:{','.join(carried.workflow_ids)}",
        started_at=min(last_seen, now),
        detected_at=now,
        error=error,
        remediation=f"{own} {' and '.join(parts)}.",
    )
