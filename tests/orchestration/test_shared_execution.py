"""When several processes may execute a home's workflows at once, and how long an executor may be silent."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tests.postgres import created_database, database_url

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import ExecutorLock, ExecutorRegistry
from nbaprops.orchestration.engine._system_db import shares_execution
from nbaprops.orchestration.settings import WorkerConfig

PG = "postgresql://postgres@127.0.0.1:5432/nbaprops"


@pytest.mark.parametrize(
    ("warehouse_url", "database_url", "shared"),
    [
        (None, None, False),  # DuckDB file and SQLite: one process writes
        (PG, None, False),  # SQLite system database: one writer
        (None, PG, False),  # DuckDB warehouse: one writer
        (PG, PG, True),
    ],
)
def test_shares_execution(warehouse_url: str | None, database_url: str | None, shared: bool) -> None:
    settings = Settings(warehouse={"url": warehouse_url}, orchestration={"database_url": database_url})
    assert shares_execution(settings) is shared


@pytest.mark.parametrize("shared", [False, True])
def test_a_second_process_gets_the_lock_only_when_shared(tmp_path: Path, shared: bool) -> None:
    first = ExecutorLock(tmp_path / "executor.lock", shared=shared)
    second = ExecutorLock(tmp_path / "executor.lock", shared=shared)
    try:
        assert first.acquire()
        assert second.acquire() is shared
    finally:
        first.release()
        second.release()


@pytest.mark.parametrize(
    ("watchdog", "heartbeat", "silence"),
    [
        (60.0, 10.0, 30.0),  # the defaults: three missed beats
        (8.0, 0.5, 6.5),
        (10.0, 5.0, 5.0),  # never under half the interval: slow beats are not a death
        (60.0, 1.0, 57.0),
    ],
)
def test_silence_limit(watchdog: float, heartbeat: float, silence: float) -> None:
    config = WorkerConfig(watchdog_interval_seconds=watchdog, heartbeat_interval_seconds=heartbeat)
    assert config.silence_limit_seconds == silence
    assert config.silence_limit_seconds + 2 * heartbeat <= watchdog or silence == watchdog / 2


def _create_together(registries: list[ExecutorRegistry]) -> list[BaseException]:
    """Create every registry at the same moment, one thread each; the errors raised."""
    barrier = threading.Barrier(len(registries))
    errors: list[BaseException] = []

    def create(registry: ExecutorRegistry) -> None:
        barrier.wait()
        try:
            registry.create()
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=create, args=(registry,)) for registry in registries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for registry in registries:
        registry.close()
    return errors


def test_workers_starting_together_create_the_registry_once(tmp_path: Path) -> None:
    """`CREATE SCHEMA IF NOT EXISTS` from several connections at once races on PostgreSQL's catalog."""
    with created_database() as name:
        settings = Settings(orchestration={"database_url": database_url(name)})
        for trial in range(5):
            registries = [ExecutorRegistry.of(Home(tmp_path / str(trial)), settings) for _ in range(4)]
            assert _create_together(registries) == []
