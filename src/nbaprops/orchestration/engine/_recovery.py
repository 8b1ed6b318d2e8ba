"""Carrying work over from executors that are gone and from older application versions.

`gone_executors` is the pure rule: an executor is gone when it stopped, fell silent for the
watchdog interval, or (when the caller holds the home's executor lock, which no live executor
lets go of) simply is not the caller. A gone executor's PENDING workflows of this version go back
onto their own queues through DBOS's own recovery; those of another version are carried over to
this one (`carry_over`): cancelled, then rewound past their last recorded step under this
version, so they keep their IDs and recorded steps and finish here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from dbos import DBOS, WorkflowStatus

from nbaprops.orchestration.engine._executors import ExecutorRow

UNFINISHED = ("PENDING", "ENQUEUED")


def gone_executors(
    executors: Iterable[ExecutorRow], *, own: str, now_ms: int, watchdog_ms: int, exclusive: bool
) -> list[ExecutorRow]:
    """The executors other than `own`, not yet recovered, that are gone at `now_ms`."""
    return [
        row
        for row in executors
        if row.executor_id != own
        and row.recovered_at_ms is None
        and (exclusive or row.stopped_at_ms is not None or now_ms - row.heartbeat_at_ms > watchdog_ms)
    ]


def stale_version(status: WorkflowStatus, version: str) -> bool:
    """Whether `status` is unfinished work recorded under another application version (one that
    no executor of `version` would recover or dequeue)."""
    return status.status in UNFINISHED and status.app_version not in (None, version)


def next_step(function_ids: Sequence[int]) -> int:
    """The first step not yet recorded (1 when none is)."""
    return max(function_ids, default=0) + 1


@dataclass
class Carried:
    """What one recovery moved: re-enqueued under their version, or carried over to this one; and
    how many database sessions the gone executor still held were ended first (`fenced`)."""

    recovered: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)
    fenced: int = 0

    @property
    def workflow_ids(self) -> list[str]:
        return [*self.recovered, *self.upgraded]

    def extend(self, other: Carried) -> None:
        self.recovered += other.recovered
        self.upgraded += other.upgraded
        self.fenced += other.fenced


def recover_executor(
    executor_id: str, *, version: str, queue_of: Callable[[WorkflowStatus], str | None]
) -> Carried:
    """Re-enqueue the PENDING workflows of the gone `executor_id` (call only with its recovery
    claimed): those of `version` onto their own queues, the others carried over to `version` onto
    the queue `queue_of` names."""
    pending = DBOS.list_workflows(
        status="PENDING", executor_id=executor_id, load_input=False, load_output=False
    )
    carried = Carried()
    if any(status.app_version == version for status in pending):
        handles = DBOS._recover_pending_workflows([executor_id])
        carried.recovered = sorted(handle.get_workflow_id() for handle in handles)
    for status in pending:
        if stale_version(status, version):
            carry_over(status, version=version, queue_name=queue_of(status))
            carried.upgraded.append(status.workflow_id)
    return carried


def carry_over(status: WorkflowStatus, *, version: str, queue_name: str | None) -> None:
    """Move one unfinished workflow of another version to `version`, keeping its ID and recorded
    steps: the next executor of `version` replays them and runs the rest. `queue_name` None: DBOS's
    internal queue, which every executor consumes."""
    DBOS.cancel_workflow(status.workflow_id)
    steps = DBOS.list_workflow_steps(status.workflow_id, load_output=False)
    DBOS.rewind_workflow(
        status.workflow_id,
        start_step=next_step([step["function_id"] for step in steps]),
        application_version=version,
        queue_name=queue_name,
    )
