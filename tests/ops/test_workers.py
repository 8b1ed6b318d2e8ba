"""What the health check and `nbaprops workers` say about the home's executors."""

from __future__ import annotations

import pytest

from nbaprops.ops.health._report import HealthStatus
from nbaprops.ops.health._sections import workers_section
from nbaprops.ops.workers import ExecutorView, WorkersView, executor_state, workers_warnings


def executor(state: str, *, pending: tuple[str, ...] = (), role: str = "worker") -> ExecutorView:
    return ExecutorView(executor_id="worker-a", role=role, host="h", pid=7, application_version="v1",
                        heartbeat_age_seconds=75.0, state=state, pending=pending)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stopped", "recovered", "age", "state"),
    [
        (False, False, 10.0, "live"),
        (False, False, 60.0, "live"),
        (False, False, 60.5, "silent"),
        (True, False, 1.0, "stopped"),
        (True, True, 1.0, "recovered"),
        (False, True, 999.0, "recovered"),
    ],
)
def test_executor_state(stopped: bool, recovered: bool, age: float, state: str) -> None:
    assert executor_state(stopped=stopped, recovered=recovered, heartbeat_age_seconds=age,
                          watchdog_interval_seconds=60.0) == state


@pytest.mark.parametrize(
    ("case", "view", "expected"),
    [
        ("a live worker holding work", WorkersView("v1", 60.0, (executor("live", pending=("daily:x",)),)), []),
        ("a silent worker holding nothing", WorkersView("v1", 60.0, (executor("silent"),)), []),
        ("a recovered worker", WorkersView("v1", 60.0, (executor("recovered"),)), []),
        (
            "a silent worker holding work",
            WorkersView("v1", 60.0, (executor("silent", pending=("daily:x",)),)),
            ["Worker worker-a has not heartbeaten for 75 s and its 1 pending workflow(s) are not yet recovered: "
             "daily:x; a running worker recovers them within 60 s (start one with `nbaprops worker`)."],
        ),
        (
            "a stopped worker holding work",
            WorkersView("v1", 60.0, (executor("stopped", pending=("daily:x", "daily:y")),)),
            ["Worker worker-a stopped and its 2 pending workflow(s) are not yet recovered: daily:x, daily:y; "
             "a running worker recovers them within 60 s (start one with `nbaprops worker`)."],
        ),
        (
            "work of an older version",
            WorkersView("v2", 60.0, other_versions=(("backfill:a", "v1"),)),
            ["1 unfinished workflow(s) of another application version wait for a worker of version v2 to carry "
             "them over: backfill:a (v1)."],
        ),
    ],
)
def test_workers_warnings(case: str, view: WorkersView, expected: list[str]) -> None:
    assert workers_warnings(view) == expected, case


def test_the_health_section_appears_only_with_something_to_say() -> None:
    assert workers_section(WorkersView("v1", 60.0, (executor("live"),))) is None
    section = workers_section(WorkersView("v2", 60.0, other_versions=(("backfill:a", "v1"),)))
    assert section is not None and section.status is HealthStatus.WARNING and "backfill:a" in section.reason
