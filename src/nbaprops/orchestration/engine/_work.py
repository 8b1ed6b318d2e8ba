"""The work an engine runs, the workflow each kind of work is, and how a workflow ended."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeAlias, assert_never

from dbos import WorkflowStatus

from nbaprops.orchestration.requests import Backfill, DailyRun, DataEvent
from nbaprops.orchestration.workflows import (
    BACKFILL_WORKFLOW,
    DAILY_WORKFLOW,
    EVENT_WORKFLOW,
    backfill_workflow,
    daily_workflow,
    event_workflow,
)

Work: TypeAlias = DailyRun | Backfill | DataEvent

FINISHED = frozenset({"SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"})
"""DBOS statuses of a workflow that has stopped and has an outcome to report."""
SETTLED = frozenset({"SUCCESS", "ERROR"})
"""The finished statuses a workflow never leaves: its record replays the same way, so it can be
neither resumed nor cancelled (a cancelled or over-recovered workflow can be resumed)."""


class Workflow(NamedTuple):
    """The registered DBOS workflow that runs one kind of work."""

    name: str
    function: Callable[[dict[str, Any]], dict[str, Any]]


def workflow_of(work: Work) -> Workflow:
    """The workflow that runs `work`: the one table from work to workflow name and function."""
    match work:
        case DailyRun():
            return Workflow(DAILY_WORKFLOW, daily_workflow)
        case Backfill():
            return Workflow(BACKFILL_WORKFLOW, backfill_workflow)
        case DataEvent():
            return Workflow(EVENT_WORKFLOW, event_workflow)
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
    application_version: str | None = None
    queue_name: str | None = None

    @classmethod
    def of(cls, status: WorkflowStatus) -> WorkflowRow:
        """The row of one workflow DBOS listed."""
        return cls(
            workflow_id=status.workflow_id,
            status=status.status,
            name=status.name,
            created_at=_instant(status.created_at),
            updated_at=_instant(status.updated_at),
            executor_id=status.executor_id,
            error=None if status.error is None else str(status.error),
            application_version=status.app_version,
            queue_name=status.queue_name,
        )

    @property
    def settled(self) -> bool:
        """Whether the workflow has ended for good (see `SETTLED`)."""
        return self.status in SETTLED

    def to_json(self) -> dict[str, Any]:
        return {
            "workflow_id": self.workflow_id,
            "status": self.status,
            "name": self.name,
            "created_at": None if self.created_at is None else self.created_at.isoformat(),
            "updated_at": None if self.updated_at is None else self.updated_at.isoformat(),
            "executor_id": self.executor_id,
            "application_version": self.application_version,
            "queue_name": self.queue_name,
            "error": self.error,
        }


def _instant(epoch_ms: int | None) -> datetime | None:
    return None if epoch_ms is None else datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
