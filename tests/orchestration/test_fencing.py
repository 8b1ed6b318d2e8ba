"""Fencing a gone executor: every PostgreSQL session of an executor is named for it, and ending the
sessions of one ends exactly its own, rolling back its transactions and releasing their row locks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.postgres import created_database, database_url, server_url

from nbaprops.config import load_settings
from nbaprops.errors import OrchestrationError
from nbaprops.home import Home
from nbaprops.orchestration.engine import Carried, Engine, ExecutorRow, Role
from nbaprops.orchestration.engine._fencing import MAX_BYTES, end_sessions, session_name
from nbaprops.orchestration.executor_recovery import recovery_failure
from nbaprops.orchestration.stuck import abandon_running_runs
from nbaprops.orchestration.worker_processes import EXECUTOR_ID_VAR, worker_config
from nbaprops.warehouse import Warehouse

RUN_HISTORY = "nba_orchestration.processor_run_history"
LONG_ID = "worker-" + "x" * 60


@pytest.mark.parametrize(
    ("executor_id", "expected"),
    [
        ("worker-a", "nbaprops:worker-a"),
        ("command-host-4242", "nbaprops:command-host-4242"),
        ("w" * 54, "nbaprops:" + "w" * 54),  # exactly 63 bytes: kept whole
        (LONG_ID, "nbaprops:" + LONG_ID[:41] + "~" + "{digest}"),  # shortened, with its digest
        ("worker-é", "nbaprops:worker-?~{digest}"),  # PostgreSQL would show é as ?
    ],
)
def test_session_name(executor_id: str, expected: str) -> None:
    name = session_name(executor_id)
    digest = name.rpartition("~")[2]
    assert name == expected.format(digest=digest)
    assert len(name.encode()) <= MAX_BYTES


@given(st.text(min_size=1, max_size=80), st.text(min_size=1, max_size=80))
def test_session_names_fit_postgres_and_never_collide(first: str, second: str) -> None:
    for name in (session_name(first), session_name(second)):
        assert len(name.encode()) <= MAX_BYTES and all(" " <= c <= "~" for c in name)
    assert (session_name(first) == session_name(second)) is (first == second)


def test_the_incident_tells_the_sessions_ended() -> None:
    row = ExecutorRow(executor_id="worker-b", role="worker", host="h2", pid=7, application_version="v1",
                      started_at_ms=0, heartbeat_at_ms=1_000)
    failure = recovery_failure(row, Carried(recovered=["daily:x"], fenced=3), own="worker-a", version="v1",
                               now=datetime(2026, 12, 7, tzinfo=UTC))
    assert failure.remediation == (
        "worker-a ended 3 database session(s) it still held and re-enqueued daily:x onto their queues."
    )


@pytest.fixture
def warehouse_url(postgres_template: str) -> Iterator[str]:
    """A migrated warehouse database of this test only."""
    with created_database(template=postgres_template) as name:
        yield database_url(name)


def connect(url: str, executor_id: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True, application_name=session_name(executor_id))


def sessions(url: str) -> dict[str, int]:
    """The sessions on the database at `url`, counted by application_name."""
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() GROUP BY application_name"
        ).fetchall()
    return {name: count for name, count in rows}


def running_run(warehouse: Warehouse, run_id: str) -> None:
    warehouse.execute(
        f"INSERT INTO {RUN_HISTORY} (processor, phase, game_date, run_id, attempt, status, started_at) "
        "VALUES ('player_game_summary', 'phase3', ?, ?, 1, 'running', ?)",
        [date(2025, 1, 10), run_id, datetime(2025, 1, 10, 12)],
    )


def test_fencing_ends_exactly_the_gone_executors_sessions_and_frees_its_locks(warehouse_url: str) -> None:
    with Warehouse.open(warehouse_url) as setup:
        running_run(setup, "daily:2025-01-10:x")
    # worker-a was mid-run: its run-history UPDATE is not committed, and its row lock is held.
    gone = Warehouse.open(warehouse_url, application_name=session_name("worker-a"))
    idle = gone.cursor()
    gone.execute("BEGIN")
    gone.execute(f"UPDATE {RUN_HISTORY} SET status = 'success' WHERE run_id = 'daily:2025-01-10:x'")
    alive = Warehouse.open(warehouse_url, application_name=session_name("worker-b"))
    live = Warehouse.open(f"{warehouse_url}?options=-c%20lock_timeout%3D2s")
    try:
        with pytest.raises(live.errors, match="lock timeout"):
            abandon_running_runs(live, now=datetime.now(UTC), run_ids={"daily:2025-01-10:x"})
        assert session_name("worker-a") in sessions(warehouse_url)

        assert end_sessions(warehouse_url, application_name=session_name("worker-a")) == 2

        found = sessions(warehouse_url)
        assert session_name("worker-a") not in found and found[session_name("worker-b")] == 1
        abandoned = abandon_running_runs(live, now=datetime.now(UTC), run_ids={"daily:2025-01-10:x"})
        assert [run.run_id for run in abandoned] == ["daily:2025-01-10:x"]
        assert live.scalar(f"SELECT status FROM {RUN_HISTORY}") == "abandoned"  # worker-a's UPDATE rolled back
        assert alive.scalar("SELECT 1") == 1
        with pytest.raises(gone.errors, match="terminat"):
            idle.scalar("SELECT 1")
    finally:
        for warehouse in (live, alive, idle, gone):
            warehouse.close()


@pytest.fixture(scope="module")
def bare_database() -> Iterator[str]:
    with created_database() as name:
        yield database_url(name)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(st.sampled_from(["worker-a", "worker-b", "worker-c", "command-h-1"]),
                    st.integers(min_value=0, max_value=2), min_size=1),
    st.data(),
)
def test_fencing_one_executor_ends_exactly_its_sessions(
    bare_database: str, counts: dict[str, int], data: st.DataObject
) -> None:
    fenced = data.draw(st.sampled_from(sorted(counts)))
    opened = [connect(bare_database, executor) for executor, n in counts.items() for _ in range(n)]
    try:
        assert end_sessions(bare_database, application_name=session_name(fenced)) == counts[fenced]
        expected = {session_name(e): n for e, n in counts.items() if n and e != fenced}
        assert {name: n for name, n in sessions(bare_database).items() if name.startswith("nbaprops:")} == expected
    finally:
        for connection in opened:
            connection.close()


def test_a_fence_without_the_right_to_end_the_sessions_says_what_to_grant(bare_database: str) -> None:
    role = f"nbaprops_fence_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
    try:
        # The superuser's sessions are out of reach of an ordinary role.
        with connect(bare_database, "worker-a"):
            url = bare_database.replace("postgres@", f"{role}@")
            with pytest.raises(OrchestrationError, match=(
                "Cannot end the sessions named nbaprops:worker-a on .* grant the role pg_signal_backend"
            )):
                end_sessions(url, application_name=session_name("worker-a"))
    finally:
        with psycopg.connect(server_url(), autocommit=True) as admin:
            admin.execute(f"DROP ROLE {role}")


@pytest.fixture
def worker_home(tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Home]:
    """A worker's home with its warehouse and system database on PostgreSQL, its executor ID worker-live."""
    monkeypatch.setenv(EXECUTOR_ID_VAR, "worker-live")
    with created_database() as system:
        home = Home(tmp_path / "home").ensure()
        home.config_path.write_text(worker_config(
            heartbeat_interval_seconds=0.5, watchdog_interval_seconds=8.0,
            warehouse_url=warehouse_url, database_url=database_url(system),
        ))
        yield home


@pytest.mark.parametrize("fence", [True, False])
def test_a_workers_sessions_are_named_for_it_and_a_gone_ones_are_ended_on_recovery(
    worker_home: Home, warehouse_url: str, fence: bool
) -> None:
    # The config's last section is [orchestration.worker].
    worker_home.config_path.write_text(
        worker_home.config_path.read_text() + f"fence_gone_executors = {str(fence).lower()}\n"
    )
    settings = load_settings(worker_home.config_path)
    assert settings.orchestration.worker.fence_gone_executors is fence
    assert settings.orchestration.database_url is not None
    system_url = settings.orchestration.database_url.get_secret_value()
    engine = Engine.try_launch(worker_home, settings, role=Role.WORKER)
    assert engine is not None
    try:
        with engine.runtime.lease.hold():
            on_warehouse = sessions(warehouse_url)
        on_system = sessions(system_url)
        name = session_name("worker-live")
        assert on_warehouse.get(name, 0) >= 1
        # DBOS's pool and listener and the registry's heartbeats: none left under DBOS's default name.
        assert on_system.get(name, 0) >= 2 and "dbos_transact" not in on_system, on_system

        # worker-gone fell silent long ago, still holding sessions on both databases.
        engine.registry.register(ExecutorRow(executor_id="worker-gone", role="worker", host="h2", pid=7,
                                             application_version=engine.application_version,
                                             started_at_ms=0, heartbeat_at_ms=0))
        held = [connect(url, "worker-gone") for url in (warehouse_url, warehouse_url, system_url)]
        moved = engine.recover()
        left = sessions(warehouse_url).get(session_name("worker-gone"), 0) + sessions(system_url).get(
            session_name("worker-gone"), 0)
        if fence:
            assert [(row.executor_id, carried.fenced) for row, carried in moved] == [("worker-gone", 3)]
            assert left == 0
        else:  # claimed, nothing to re-enqueue, and its sessions left to TCP keepalive
            rows = {row.executor_id: row for row in engine.registry.executors()}
            assert moved == [] and rows["worker-gone"].recovered_by == "worker-live"
            assert left == 3
        for connection in held:
            connection.close()
    finally:
        engine.close()
