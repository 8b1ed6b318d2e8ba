"""Times one daily pipeline run (`nbaprops run --source sim --mode overnight`) with the warehouse on
DuckDB and on PostgreSQL, over the same synthetic league (4 teams, 8 players a team, 6 days).

Usage: python benchmarks/bench_warehouse_backends.py [--server postgresql://postgres@127.0.0.1:5432/postgres]
A database is created on the server for the run and dropped after it. Each day is timed end to end,
console script start-up and the orchestrator included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from nbaprops.config import Settings, SyntheticConfig
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse

NBAPROPS = Path(sys.executable).parent / "nbaprops"
CONFIG = '[predictions]\nmarkets = ["points", "threes"]\nmin_history_games = 2\n'


def time_days(root: Path, target: Path | str) -> list[tuple[str, float]]:
    root.mkdir(parents=True)
    url = f'[warehouse]\nurl = "{target}"\n' if isinstance(target, str) else ""
    (root / "nbaprops.toml").write_text(CONFIG + url)
    with Warehouse.open(target) as warehouse:
        history = prepare_synthetic_history(
            warehouse, SyntheticConfig(teams=4, players_per_team=8), days=6, out_dir=root / "files")
        dates = ReplaySource(warehouse, Settings().replay).game_dates(history.league.first_date,
                                                                        history.league.last_date)
    timed = []
    for day in dates[2:]:
        started = time.perf_counter()
        subprocess.run([str(NBAPROPS), "--home", str(root), "run", "--date", day.isoformat(), "--source", "sim",
                        "--mode", "overnight"], check=True, capture_output=True)
        timed.append((day.isoformat(), time.perf_counter() - started))
    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"nbaprops_bench_{uuid.uuid4().hex[:12]}"
    base = args.server.rpartition("/")[0]
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with tempfile.TemporaryDirectory() as folder:
            results = {
                "duckdb": time_days(Path(folder) / "duckdb", Path(folder) / "duckdb" / "warehouse.duckdb"),
                "postgres": time_days(Path(folder) / "postgres", f"{base}/{name}"),
            }
    finally:
        with psycopg.connect(args.server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    for backend, days in results.items():
        for day, seconds in days:
            print(f"{backend:9s} {day}  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
