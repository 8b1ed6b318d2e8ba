"""Times the recovery of a worker killed with SIGKILL mid-backfill by a standby worker on the embedded
default (SQLite system database): from the kill to the standby's claim of the killed executor's work
(`recovered_at_ms` in nbaprops_executors), and to the backfill's end. Also checks each run ends with
zero duplicate rows against a fault-free backfill and the recovery recorded as an incident.

Usage: python benchmarks/bench_worker_kill.py [--runs 5] [--seed 1]
The target (issue 14): recovery within the watchdog interval (default 60 s).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from nbaprops.config import Settings, SyntheticConfig, load_settings
from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import snapshot
from nbaprops.orchestration.engine import EngineClient
from nbaprops.orchestration.requests import Backfill, SourceKind
from nbaprops.orchestration.service import build_history, history_gap, run_backfill
from nbaprops.orchestration.worker_processes import (
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
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse


def template(root: Path) -> tuple[Home, Backfill]:
    home = Home(root / "template").ensure()
    home.config_path.write_text(worker_config(heartbeat_interval_seconds=1.0))
    with Warehouse.open(home.warehouse_path) as warehouse:
        history = prepare_synthetic_history(
            warehouse, SyntheticConfig(teams=4, players_per_team=8), days=10, out_dir=root / "files"
        )
        dates = ReplaySource(warehouse, Settings().replay).game_dates(history.league.first_date,
                                                                      history.league.last_date)
    settings = load_settings(home.config_path)
    gap = history_gap(home, settings, game_date=dates[3], source=SourceKind.SIM)
    built = build_history(home, settings, gap=gap, source=SourceKind.SIM)
    assert built is not None and built.outcome.ok
    return home, Backfill(dates[3], dates[6], SourceKind.SIM)


def worker(home: Home, executor_id: str) -> subprocess.Popen[str]:
    log = (home.root / f"{executor_id}.log").open("w")
    return start_worker(home, executor_id, stdout=subprocess.DEVNULL, stderr=log)


def recovered_at_ms(home: Home, executor_id: str) -> int | None:
    row = executors(home).get(executor_id)
    return None if row is None else row.recovered_at_ms


def one_run(base: Home, run: Backfill, folder: Path, rng: random.Random, baseline: dict) -> dict[str, float]:
    shutil.copytree(base.root, folder)
    home = Home(folder)
    first = worker(home, "worker-a")
    standby: subprocess.Popen[str] | None = None
    try:
        # The standby starts once the first worker holds the executor role.
        wait_for(lambda: "Worker started" in (home.root / "worker-a.log").read_text())
        with EngineClient(home, load_settings(home.config_path)) as client:
            client.enqueue(run)
        standby = worker(home, "worker-b")  # waits for the executor role
        wait_for(lambda: days_done(home) >= 1)
        time.sleep(rng.uniform(0, 2.0))
        killed_ms = time.time() * 1000
        kill(first)
        wait_for(lambda: recovered_at_ms(home, "worker-a") is not None)
        claimed_ms = recovered_at_ms(home, "worker-a") or 0
        wait_for(lambda: statuses(home).get(run.workflow_id) == "SUCCESS", interval_seconds=0.05)
        finished_ms = time.time() * 1000
    finally:
        stop(*(process for process in (first, standby) if process is not None))
    found = differences(baseline, snapshot(home.warehouse_path)).values()
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        incidents = warehouse.scalar(
            "SELECT count(*) FROM nba_orchestration.incidents WHERE component = 'executor:worker-a'"
        )
    return {
        "recovery_seconds": (claimed_ms - killed_ms) / 1000,
        "finish_seconds": (finished_ms - killed_ms) / 1000,
        "differing_rows": sum(diff for diff, _ in found),
        "duplicates": sum(dup for _, dup in found),
        "incidents": int(incidents),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (worker logs in each run's home).")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        base, run = template(root)
        reference = Home(root / "baseline")
        shutil.copytree(base.root, reference.root)
        summary = run_backfill(reference, load_settings(reference.config_path), start=run.start, end=run.end,
                               source=run.source)
        assert summary.outcome.ok
        baseline = snapshot(reference.warehouse_path)
        runs = [one_run(base, run, root / f"run{n}", rng, baseline) for n in range(args.runs)]
    recovery = [r["recovery_seconds"] for r in runs]
    print(json.dumps({
        "runs": runs,
        "recovery_seconds": {"min": min(recovery), "median": statistics.median(recovery), "max": max(recovery)},
        "all_identical": all(r["differing_rows"] == 0 and r["duplicates"] == 0 for r in runs),
        "all_recorded": all(r["incidents"] == 1 for r in runs),
    }, indent=2))


if __name__ == "__main__":
    main()
