"""The DBOS workflows, and the `Durable` the plain orchestration code runs on.

DBOS finds workflow functions by name when it recovers or dequeues them, so they are declared
here at module level; each is one line that hands the request to plain code, with the runtime
the engine installed in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from dbos import DBOS, SetWorkflowID, WorkflowHandle

from nbaprops.errors import OrchestrationError
from nbaprops.orchestration.backfill import run_backfill_days
from nbaprops.orchestration.daily import run_daily
from nbaprops.orchestration.durable import ChildKind, ChildOutcome
from nbaprops.orchestration.events import run_event
from nbaprops.orchestration.requests import Backfill, DailyRun, DataEvent
from nbaprops.orchestration.runtime import Runtime, current_runtime
from nbaprops.orchestration.steps import advance_clock, read_clock

T = TypeVar("T")

DAILY_WORKFLOW = "nbaprops_daily"
EVENT_WORKFLOW = "nbaprops_event"
BACKFILL_WORKFLOW = "nbaprops_backfill"
# How often a workflow waiting for a child it did not start itself checks on it.
CHILD_POLL_SECONDS = 0.1


@DBOS.workflow(name=DAILY_WORKFLOW)
def daily_workflow(request: dict[str, Any]) -> dict[str, Any]:
    run = DailyRun.from_json(request)
    return run_daily(DbosDurable.for_current_workflow(virtual=run.virtual), run)


@DBOS.workflow(name=EVENT_WORKFLOW)
def event_workflow(event: dict[str, Any]) -> dict[str, Any]:
    data_event = DataEvent.from_json(event)
    return run_event(DbosDurable.for_current_workflow(virtual=data_event.run.virtual), data_event)


@DBOS.workflow(name=BACKFILL_WORKFLOW)
def backfill_workflow(request: dict[str, Any]) -> dict[str, Any]:
    backfill = Backfill.from_json(request)
    return run_backfill_days(DbosDurable.for_current_workflow(virtual=backfill.virtual), backfill)


WORKFLOWS: dict[ChildKind, Callable[[dict[str, Any]], dict[str, Any]]] = {
    ChildKind.DAILY: daily_workflow,
    ChildKind.EVENT: event_workflow,
}


class DbosChild:
    """A child workflow started from a workflow."""

    def __init__(self, handle: WorkflowHandle[dict[str, Any]]) -> None:
        self._handle = handle
        self.workflow_id = handle.get_workflow_id()

    def outcome(self) -> ChildOutcome:
        try:
            result = self._handle.get_result(polling_interval_sec=CHILD_POLL_SECONDS)
            return ChildOutcome(self.workflow_id, result, None)
        except Exception as e:  # noqa: BLE001 - a child's error is an outcome of the parent
            return ChildOutcome(self.workflow_id, None, str(e))


class DbosDurable:
    """`Durable` on DBOS: steps via `DBOS.run_step`, waits via `DBOS.sleep` (live time) or a
    recorded move of the clock (virtual time), children via `DBOS.start_workflow`."""

    def __init__(self, runtime: Runtime, workflow_id: str, *, virtual: bool) -> None:
        self.runtime = runtime
        self.workflow_id = workflow_id
        self.virtual = virtual
        self._now: datetime | None = None

    @classmethod
    def for_current_workflow(cls, *, virtual: bool) -> DbosDurable:
        workflow_id = DBOS.workflow_id
        if workflow_id is None:
            raise OrchestrationError("A DbosDurable exists only inside a running workflow.")
        return cls(current_runtime(), workflow_id, virtual=virtual)

    def step(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        executed = False

        def execute() -> T:
            nonlocal executed
            executed = True
            return fn(*args, **kwargs)

        result = DBOS.run_step({"name": name}, execute)
        if executed:
            self.runtime.step_executed(f"{name} of {self.workflow_id}")
        return result

    def start_clock(self, instant: datetime) -> None:
        if self.virtual:
            self._now = instant

    def now(self) -> datetime:
        if not self.virtual:
            return datetime.fromisoformat(self.step("read_clock", read_clock))
        if self._now is None:
            raise OrchestrationError(
                f"Workflow {self.workflow_id} read the virtual clock before it started."
            )
        return self._now

    def sleep(self, seconds: float, *, reason: str) -> None:
        self.runtime.notify(f"{self.workflow_id}: waiting {_duration(seconds)} ({reason})")
        if self.virtual:
            self._now = datetime.fromisoformat(
                self.step(f"sleep:{seconds:g}s", advance_clock, self.now().isoformat(), seconds)
            )
        else:
            DBOS.sleep(seconds)

    def advance_to(self, instant: datetime) -> None:
        if self.virtual and instant > self.now():
            self._now = instant

    def start_child(
        self, kind: ChildKind, request: dict[str, Any], *, workflow_id: str
    ) -> DbosChild:
        with SetWorkflowID(workflow_id):
            handle = DBOS.start_workflow(WORKFLOWS[kind], request)
        return DbosChild(handle)


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.3g} h"
    if seconds >= 60:
        return f"{seconds / 60:.3g} min"
    return f"{seconds:.0f} s"
