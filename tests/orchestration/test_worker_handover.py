"""Work in flight across a stopped or killed worker, through real `nbaprops worker` processes: an
upgrade (stop the worker, change the application version, start again) and a kill -9 with another
worker taking over. Each ends with the warehouse equal row for row to a fault-free backfill."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.orchestration.conftest import League, with_history

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import Snapshot, snapshot
from nbaprops.orchestration.engine import EngineClient
from nbaprops.orchestration.requests import Backfill, SourceKind
from nbaprops.orchestration.service import run_backfill
from nbaprops.orchestration.worker_processes import (
    NBAPROPS,
    day_holders,
    days_done,
    differences,
    executors,
    kill,
    start_worker,
    statuses,
    stop,
    wait_for,
    worker_config,
)
from nbaprops.warehouse import Warehouse

HEARTBEAT_SECONDS = 0.5

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Range:
    backfill: Backfill
    home_template: Path  # a home with the history of the range's first day built


@pytest.fixture(scope="module")
def backfill_range(league: League, tmp_path_factory: pytest.TempPathFactory) -> Range:
    folder = tmp_path_factory.mktemp("template")
    home = Home(folder / "home").ensure()
    shutil.copyfile(league.warehouse_path, home.warehouse_path)
    home.config_path.write_text(worker_config(heartbeat_interval_seconds=HEARTBEAT_SECONDS))
    with_history(home, load_settings(home.config_path), league.game_dates[3])
    shutil.rmtree(home.root / "raw", ignore_errors=True)
    return Range(Backfill(league.game_dates[3], league.game_dates[6], SourceKind.SIM), home.root)


def fresh_home(template: Path, folder: Path, database_url: str | None = None) -> Home:
    """A copy of the template home; its system database on PostgreSQL when `database_url` is given."""
    shutil.copytree(template, folder)
    home = Home(folder).ensure()
    if database_url is not None:
        home.config_path.write_text(
            worker_config(heartbeat_interval_seconds=HEARTBEAT_SECONDS, database_url=database_url)
        )
    return home


@pytest.fixture(scope="module")
def baseline(backfill_range: Range, tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The warehouse after the fault-free backfill of the range, run as one command."""
    home = fresh_home(backfill_range.home_template, tmp_path_factory.mktemp("baseline") / "home")
    run = backfill_range.backfill
    summary = run_backfill(
        home, load_settings(home.config_path), start=run.start, end=run.end, source=run.source
    )
    assert summary.outcome.ok
    return snapshot(home.warehouse_path)


def worker(home: Home, *, executor_id: str, version: str) -> subprocess.Popen[str]:
    return start_worker(home, executor_id, env={"NBAPROPS_ORCHESTRATION__APPLICATION_VERSION": version})


def successful_runs(home: Home) -> list[tuple[str, str, int]]:
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        rows = warehouse.query(
            "SELECT processor, CAST(game_date AS VARCHAR) AS game_date, count(*) AS n FROM "
            "nba_orchestration.processor_run_history WHERE status = 'success' AND run_id NOT LIKE 'history:%' "
            "GROUP BY ALL ORDER BY ALL"
        )
    return [(r["processor"], r["game_date"], r["n"]) for r in rows]


def enqueue(home: Home, run: Backfill) -> None:
    wait_for(lambda: home.orchestration_db_path.exists() or "database_url" in home.config_path.read_text())
    with EngineClient(home, load_settings(home.config_path)) as client:
        client.enqueue(run)


def test_an_upgrade_finishes_the_old_versions_backfill_once(
    backfill_range: Range, baseline: Snapshot, tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    home = fresh_home(backfill_range.home_template, tmp_path / "home")
    run = backfill_range.backfill
    old = worker(home, executor_id="worker-one", version="v1")
    processes.append(old)
    enqueue(home, run)
    wait_for(lambda: days_done(home) >= 1)
    stop(old)
    with EngineClient(home, load_settings(home.config_path)) as client:
        left = client.workflow(run.workflow_id)
    assert (left.status, left.application_version) == ("PENDING", "v1")

    health = subprocess.run(
        [NBAPROPS, "--home", str(home.root), "health", "--json"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "NBAPROPS_ORCHESTRATION__APPLICATION_VERSION": "v2"},
    )
    workers = json.loads(health.stdout)["sections"]["workers"]
    assert workers["status"] == "warning" and run.workflow_id in workers["reason"]

    new = worker(home, executor_id="worker-one", version="v2")
    processes.append(new)
    wait_for(lambda: statuses(home).get(run.workflow_id) == "SUCCESS")
    [stderr] = stop(new)
    assert f"carried {run.workflow_id}" in stderr
    with EngineClient(home, load_settings(home.config_path)) as client:
        done = client.workflow(run.workflow_id)
        outcome = client.outcome(run.workflow_id)
    assert done.application_version == "v2"
    assert outcome is not None and outcome.result is not None
    assert outcome.result["failed"] == 0 and outcome.result["game_days"] == 4, outcome.result
    assert differences(baseline, snapshot(home.warehouse_path)) == {}
    assert {n for _, _, n in successful_runs(home)} == {1}  # no processor ran twice


def test_a_killed_workers_backfill_is_recovered_once_by_another_worker(
    backfill_range: Range,
    baseline: Snapshot,
    tmp_path: Path,
    processes: list[subprocess.Popen[str]],
    backend: str | None,
) -> None:
    home = fresh_home(backfill_range.home_template, tmp_path / "home", backend)
    run = backfill_range.backfill
    first = worker(home, executor_id="worker-a", version="v1")
    processes.append(first)
    enqueue(home, run)
    # A random step of the backfill's first day: days run fast, so the kill follows the first sight of one.
    wait_for(lambda: "worker-a" in day_holders(home), interval_seconds=0.02)
    seed = random.randrange(1000)
    time.sleep(random.Random(seed).uniform(0, 0.3))
    kill(first)
    killed_at = time.monotonic()
    assert statuses(home).get(run.workflow_id) == "PENDING", f"seed {seed}: the kill came after the backfill ended"

    second = worker(home, executor_id="worker-b", version="v1")
    processes.append(second)
    wait_for(lambda: statuses(home).get(run.workflow_id) == "SUCCESS")
    [stderr] = stop(second)
    assert "Executor worker-a" in stderr and "re-enqueued" in stderr, f"seed {seed}: {stderr}"
    print(f"seed {seed}: finished {time.monotonic() - killed_at:.1f} s after the kill")

    assert differences(baseline, snapshot(home.warehouse_path)) == {}
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        incidents = warehouse.query(
            "SELECT error_class, status FROM nba_orchestration.incidents WHERE component = 'executor:worker-a'"
        )
    assert incidents == [{"error_class": "executor_gone", "status": "resolved"}]
    assert executors(home)["worker-a"].recovered_by == "worker-b"

    shown = subprocess.run(
        [NBAPROPS, "--home", str(home.root), "workers", "--json"], capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    workers = json.loads(shown.stdout)
    states = {e["executor_id"]: (e["state"], e["recovered_by"], e["pending"]) for e in workers["executors"]}
    assert states == {"worker-a": ("recovered", "worker-b", []), "worker-b": ("stopped", None, [])}
    assert workers["warnings"] == [] and workers["queue_depth"] == {}
