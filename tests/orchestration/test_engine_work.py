"""The engine's table of work to workflows, and which finished statuses are final."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nbaprops.orchestration.engine import FINISHED, SETTLED, WorkflowRow, workflow_of
from nbaprops.orchestration.requests import Backfill, DailyRun, DataEvent, EventKind, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.workflows import backfill_workflow, daily_workflow, event_workflow

DAY = DailyRun(date(2025, 1, 10), RunMode.SAME_DAY, SourceKind.SIM)


@pytest.mark.parametrize(
    ("work", "name", "function"),
    [
        (DAY, "nbaprops_daily", daily_workflow),
        (Backfill(date(2025, 1, 1), date(2025, 1, 3), SourceKind.SIM), "nbaprops_backfill",
         backfill_workflow),
        (DataEvent(EventKind.PROPS, DAY, datetime(2025, 1, 10, 18, tzinfo=UTC)), "nbaprops_event",
         event_workflow),
    ],
)
def test_each_kind_of_work_has_one_workflow_name_and_function(
    work: DailyRun | Backfill | DataEvent, name: str, function: object
) -> None:
    assert workflow_of(work) == (name, function)


def test_a_settled_workflow_is_finished_but_a_cancelled_one_can_still_be_resumed() -> None:
    assert SETTLED < FINISHED
    assert {"CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"} <= FINISHED - SETTLED


@pytest.mark.parametrize(
    ("status", "settled"),
    [("SUCCESS", True), ("ERROR", True), ("CANCELLED", False), ("PENDING", False),
     ("ENQUEUED", False), ("MAX_RECOVERY_ATTEMPTS_EXCEEDED", False)],
)
def test_workflow_row_is_settled_only_on_success_or_error(status: str, settled: bool) -> None:
    row = WorkflowRow("daily:x", status, "nbaprops_daily", None, None, None, None)
    assert row.settled is settled
