"""The executor registry: registration, heartbeats, and the recovery claim that exactly one of
several workers noticing a gone executor at once wins; the rule of which executors are gone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.orchestration.conftest import make_settings

from nbaprops.home import Home
from nbaprops.orchestration.engine import ExecutorRegistry, ExecutorRow, gone_executors
from nbaprops.orchestration.engine._recovery import next_step
from nbaprops.orchestration.engine._version import application_version, code_hash

WATCHDOG_MS = 60_000


def row(executor_id: str, *, heartbeat_at_ms: int = 0, stopped: bool = False, recovered: bool = False) -> ExecutorRow:
    return ExecutorRow(
        executor_id=executor_id, role="worker", host="h", pid=1, application_version="v1",
        started_at_ms=0, heartbeat_at_ms=heartbeat_at_ms,
        stopped_at_ms=heartbeat_at_ms if stopped else None,
        recovered_at_ms=1 if recovered else None,
    )


@pytest.fixture
def registry(tmp_path: Path, backend: str | None) -> Iterator[ExecutorRegistry]:
    home = Home(tmp_path / "home").ensure()
    made = ExecutorRegistry.of(home, make_settings(backend))
    made.create()
    yield made
    made.close()


@pytest.mark.parametrize(
    ("case", "executor", "exclusive", "gone"),
    [
        ("beating within the watchdog interval", row("a", heartbeat_at_ms=100_000), False, False),
        ("silent past the watchdog interval", row("a", heartbeat_at_ms=39_999), False, True),
        ("silent exactly the watchdog interval", row("a", heartbeat_at_ms=40_000), False, False),
        ("stopped cleanly a moment ago", row("a", heartbeat_at_ms=99_000, stopped=True), False, True),
        ("already recovered", row("a", heartbeat_at_ms=0, recovered=True), False, False),
        ("the caller itself", row("me", heartbeat_at_ms=0), False, False),
        ("beating, but the caller holds the executor lock", row("a", heartbeat_at_ms=100_000), True, True),
        ("recovered, though the caller holds the lock", row("a", recovered=True), True, False),
    ],
)
def test_which_executors_are_gone(case: str, executor: ExecutorRow, exclusive: bool, gone: bool) -> None:
    found = gone_executors([executor], own="me", now_ms=100_000, watchdog_ms=WATCHDOG_MS, exclusive=exclusive)
    assert (found == [executor]) is gone, case


@pytest.mark.parametrize(("recorded", "expected"), [([], 1), ([1, 2, 3], 4), ([5, 2], 6)])
def test_carried_over_work_starts_after_its_last_recorded_step(recorded: list[int], expected: int) -> None:
    assert next_step(recorded) == expected


def test_a_restarted_executor_is_live_again_under_its_id(registry: ExecutorRegistry) -> None:
    registry.register(row("worker-a", heartbeat_at_ms=1_000))
    registry.stop("worker-a", now_ms=2_000)
    assert registry.claim_recovery(registry.executors()[0], by="worker-b", now_ms=3_000)
    registry.register(row("worker-a", heartbeat_at_ms=4_000))
    [again] = registry.executors()
    assert (again.stopped_at_ms, again.recovered_at_ms, again.recovered_by) == (None, None, None)


def test_an_executor_that_beat_after_it_was_seen_is_not_claimed(registry: ExecutorRegistry) -> None:
    registry.register(row("worker-a", heartbeat_at_ms=1_000))
    [seen] = registry.executors()
    registry.heartbeat("worker-a", now_ms=1_500)
    assert not registry.claim_recovery(seen, by="worker-b", now_ms=2_000)
    assert registry.executors()[0].recovered_by is None


def test_an_unregistered_executor_is_noted_once_as_long_gone(registry: ExecutorRegistry) -> None:
    registry.note_unregistered("worker")
    registry.note_unregistered("worker")
    [noted] = registry.executors()
    assert (noted.executor_id, noted.role, noted.heartbeat_at_ms) == ("worker", "unregistered", 0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claimants=st.integers(min_value=2, max_value=6), beats_between=st.booleans())
def test_exactly_one_of_several_workers_claims_a_gone_executor(
    registry: ExecutorRegistry, claimants: int, beats_between: bool
) -> None:
    registry.register(row("gone", heartbeat_at_ms=1_000))
    [seen] = [r for r in registry.executors() if r.executor_id == "gone"]
    if beats_between:  # it came back between being seen and being claimed: nobody may claim it
        registry.heartbeat("gone", now_ms=1_001)
    barrier = threading.Barrier(claimants)
    won: list[str] = []

    def claim(name: str) -> None:
        barrier.wait()
        if registry.claim_recovery(seen, by=name, now_ms=5_000):
            won.append(name)

    threads = [threading.Thread(target=claim, args=(f"worker-{n}",)) for n in range(claimants)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == (0 if beats_between else 1)
    [stored] = [r for r in registry.executors() if r.executor_id == "gone"]
    assert stored.recovered_by == (won[0] if won else None)


def test_the_configured_application_version_is_pinned() -> None:
    assert application_version(make_settings(application_version="2026.12.1")) == "2026.12.1"
    assert application_version(make_settings()).startswith("0.1.0+")


def test_the_default_version_changes_with_the_orchestration_code(tmp_path: Path) -> None:
    (tmp_path / "daily.py").write_text("def run(): return 1\n")
    before = code_hash(tmp_path)
    assert code_hash(tmp_path) == before
    (tmp_path / "daily.py").write_text("def run(): return 2\n")
    assert code_hash(tmp_path) != before
