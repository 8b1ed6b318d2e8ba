"""Several live `nbaprops worker` processes sharing one home's queue, with the warehouse and the system
database on PostgreSQL: two independent synthetic seasons backfilled by two workers at once end equal row for row
to the same backfills run by one worker; with three workers, one killed with SIGKILL mid-backfill,
one of the two others re-enqueues the killed one's work (only its) within the watchdog interval."""

from __future__ import annotations

import json
import random
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from tests.cli.sim_cli import cli
from tests.postgres import created_database, database_url

from nbaprops.config import Settings, SyntheticConfig, load_settings
from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import Snapshot, snapshot
from nbaprops.orchestration.distribute import Distributed, run_on_workers
from nbaprops.orchestration.engine import EngineClient
from nbaprops.orchestration.requests import Backfill, SourceKind
from nbaprops.orchestration.worker_processes import (
    day_holders,
    differences,
    executors,
    kill,
    ready,
    start_worker,
    stop,
    wait_for,
    worker_config,
)
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse

WATCHDOG_SECONDS = 8.0
# Seasons a year apart: a season's features read the whole season before it, so only seasons with
# a gap between them share nothing and run side by side.
SEASON_STARTS = ("2022-10-18", "2024-10-22")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Seasons:
    template: str  # the database holding both synthetic seasons' history, to copy per home
    backfills: tuple[Backfill, ...]


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seasons]:
    folder = tmp_path_factory.mktemp("seasons")
    with created_database() as name:
        backfills = []
        with Warehouse.open(database_url(name)) as warehouse:
            for start in SEASON_STARTS:
                history = prepare_synthetic_history(
                    warehouse, SyntheticConfig(teams=4, players_per_team=8, season_start=start), days=7,
                    out_dir=folder / start,
                )
                dates = ReplaySource(warehouse, Settings().replay).game_dates(
                    history.league.first_date, history.league.last_date
                )
                backfills.append(Backfill(dates[0], dates[-1], SourceKind.SIM))
        yield Seasons(name, tuple(backfills))


@dataclass
class SharedHome:
    home: Home
    warehouse_url: str


@pytest.fixture
def shared_home(seasons: Seasons, tmp_path: Path) -> Iterator[Callable[[str], SharedHome]]:
    """Makes homes whose warehouse (a copy of the seasons' history) and system database are on PostgreSQL."""
    with ExitStack() as stack:

        def make(label: str) -> SharedHome:
            warehouse = database_url(stack.enter_context(created_database(template=seasons.template)))
            system = database_url(stack.enter_context(created_database()))
            home = Home(tmp_path / label).ensure()
            home.config_path.write_text(worker_config(
                heartbeat_interval_seconds=0.5, watchdog_interval_seconds=WATCHDOG_SECONDS, queue_concurrency=1,
                warehouse_url=warehouse, database_url=system,
            ))
            return SharedHome(home, warehouse)

        yield make


def worker(home: Home, executor_id: str, started: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    process = start_worker(home, executor_id)
    started.append(process)
    return process


def backfill_on_workers(shared: SharedHome, seasons: Seasons, executor_ids: list[str],
                        started: list[subprocess.Popen[str]]) -> tuple[Distributed, dict[str, str], list[str]]:
    """Run both seasons' backfills on live workers; (outcome, executor of each workflow, workers' stderr)."""
    workers = [worker(shared.home, executor_id, started) for executor_id in executor_ids]
    wait_for(lambda: ready(shared.home, len(executor_ids)))
    settings = load_settings(shared.home.config_path)
    done = run_on_workers(shared.home, settings, seasons.backfills)
    with EngineClient(shared.home, settings) as client:
        ran_on = {row.workflow_id: row.executor_id for row in client.workflows(limit=500)}
    return done, ran_on, stop(*workers)


@pytest.fixture(scope="module")
def one_worker_run() -> dict[str, Snapshot]:
    return {}


def baseline_of(seasons: Seasons, shared_home: Callable[[str], SharedHome],
                processes: list[subprocess.Popen[str]], cache: dict[str, Snapshot]) -> Snapshot:
    """The warehouse after both backfills run by one worker (made once a module)."""
    if "one" not in cache:
        one = shared_home("one-worker")
        done, _, _ = backfill_on_workers(one, seasons, ["worker-solo"], processes)
        assert done.ok, done.outcomes
        cache["one"] = snapshot(one.warehouse_url)
    return cache["one"]


def test_two_live_workers_share_the_seasons_and_match_one_worker(
    seasons: Seasons, shared_home: Callable[[str], SharedHome], processes: list[subprocess.Popen[str]],
    one_worker_run: dict[str, Snapshot],
) -> None:
    baseline = baseline_of(seasons, shared_home, processes, one_worker_run)
    two = shared_home("two-workers")
    done, ran_on, _ = backfill_on_workers(two, seasons, ["worker-a", "worker-b"], processes)
    assert done.ok, done.outcomes
    assert done.waves == [[run.workflow_id for run in seasons.backfills]]  # both seasons at once
    # Each worker took one season's backfill and ran its days itself.
    assert sorted(ran_on[run.workflow_id] for run in seasons.backfills) == ["worker-a", "worker-b"]
    for run in seasons.backfills:
        days = [wid for wid in ran_on if wid.startswith("daily:") and _in(wid, run)]
        assert days and {ran_on[wid] for wid in days} == {ran_on[run.workflow_id]}
    assert differences(baseline, snapshot(two.warehouse_url)) == {}


def test_the_backfill_command_hands_the_range_to_the_workers_a_season_at_a_time(
    seasons: Seasons, shared_home: Callable[[str], SharedHome], processes: list[subprocess.Popen[str]],
    one_worker_run: dict[str, Snapshot],
) -> None:
    """`nbaprops backfill --on-workers --pipelined` over both seasons: a history and a backfill workflow per
    season (the empty season between them too), run by the live worker, in waves a season after another;
    the warehouse ends equal to the one-worker run's."""
    baseline = baseline_of(seasons, shared_home, processes, one_worker_run)
    shared = shared_home("command")
    worker(shared.home, "worker-cli", processes)
    wait_for(lambda: ready(shared.home, 1))
    first, last = seasons.backfills[0].start, seasons.backfills[-1].end
    done = cli(shared.home, "backfill", "--start", first.isoformat(), "--end", last.isoformat(), "--source", "sim",
               "--on-workers", "--pipelined", "--json")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert data["ok"] and {w["status"] for w in data["workflows"]} == {"SUCCESS"}
    assert [[wid.split(":")[0] for wid in wave] for wave in data["waves"]] == [["history", "backfill"]] * 3
    played = {w["workflow_id"]: w["game_days"] for w in data["workflows"] if w["workflow_id"].startswith("backfill")}
    assert sorted(played.values()) == [0, *sorted(run_days(shared.warehouse_url, run) for run in seasons.backfills)]
    assert differences(baseline, snapshot(shared.warehouse_url)) == {}
    wrong = cli(shared.home, "backfill", "--start", first.isoformat(), "--end", last.isoformat(), "--pipelined")
    assert wrong.returncode != 0 and "--on-workers" in wrong.stderr


def run_days(warehouse_url: str, run: Backfill) -> int:
    with Warehouse.open(warehouse_url, read_only=True) as warehouse:
        return len(ReplaySource(warehouse, Settings().replay).game_dates(run.start, run.end))


def _in(workflow_id: str, run: Backfill) -> bool:
    game_date = date.fromisoformat(workflow_id.split(":")[1])
    return run.start <= game_date <= run.end


def test_a_killed_live_worker_is_recovered_once_and_the_others_work_is_untouched(
    seasons: Seasons, shared_home: Callable[[str], SharedHome], processes: list[subprocess.Popen[str]],
    one_worker_run: dict[str, Snapshot],
) -> None:
    baseline = baseline_of(seasons, shared_home, processes, one_worker_run)
    shared = shared_home("killed")
    settings = load_settings(shared.home.config_path)
    # Three workers, two seasons, one backfill a worker at a time: the victim is the first seen holding a day,
    # killed at a random step of it; the other two are the survivors (one of them holds the other season).
    workers = {executor_id: worker(shared.home, executor_id, processes)
               for executor_id in ("worker-a", "worker-b", "worker-c")}
    wait_for(lambda: ready(shared.home, 3))
    result: list[Distributed] = []
    waiter = threading.Thread(target=lambda: result.append(run_on_workers(shared.home, settings, seasons.backfills)))
    waiter.start()
    holders: set[str] = set()
    wait_for(lambda: bool(holders.update(day_holders(shared.home)) or holders), interval_seconds=0.02)
    victim_id = sorted(holders)[0]
    seed = random.randrange(1000)
    time.sleep(random.Random(seed).uniform(0, 0.3))
    kill(workers[victim_id])
    killed_at_ms = time.time() * 1000
    survivors = [process for executor_id, process in workers.items() if executor_id != victim_id]
    waiter.join(timeout=600)
    assert result and result[0].ok, f"seed {seed}: {result}"
    rows = executors(shared.home)  # while the survivors still run
    stderrs = stop(*survivors)
    gone = rows[victim_id]
    assert gone.recovered_by in set(workers) - {victim_id}
    assert gone.recovered_at_ms is not None and gone.recovered_at_ms - killed_at_ms <= WATCHDOG_SECONDS * 1000
    print(f"seed {seed}: {gone.recovered_by} re-enqueued {victim_id}'s work "
          f"{(gone.recovered_at_ms - killed_at_ms) / 1000:.2f} s after the kill (watchdog {WATCHDOG_SECONDS:g} s)")
    # Only the victim was recovered, by exactly one of the two survivors; theirs was never touched.
    assert [row.recovered_by for row in rows.values() if row.executor_id != victim_id] == [None, None]
    assert sum(f"Executor {victim_id}" in stderr for stderr in stderrs) == 1, f"seed {seed}: {stderrs}"
    assert differences(baseline, snapshot(shared.warehouse_url)) == {}
    with Warehouse.open(shared.warehouse_url) as warehouse:
        incidents = warehouse.query(
            "SELECT error_class, status FROM nba_orchestration.incidents WHERE component = ?", [f"executor:{victim_id}"]
        )
    assert incidents == [{"error_class": "executor_gone", "status": "resolved"}]
