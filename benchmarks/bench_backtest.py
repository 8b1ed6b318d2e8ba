"""Times the full-season walk-forward backtest of one market (target: <= 60 s on 2 cores).

Usage: python benchmarks/bench_backtest.py [--market threes] [--data ../shared/data/2024-25]
Ingest is timed separately: the target is for the backtest's walk forward.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from nbaprops.backtest import build_report, run_backtest
from nbaprops.backtest.picks_report import build_picks_report
from nbaprops.config import Settings
from nbaprops.ingest import ingest_paths
from nbaprops.sources.replay import ReplaySource
from nbaprops.warehouse import Warehouse

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "2024-25"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--market", default="threes")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder, Warehouse.open(
        Path(folder) / "warehouse.duckdb", threads=settings.warehouse.threads
    ) as warehouse:
        started = time.perf_counter()
        ingest_paths(warehouse, [args.data])
        ingest_seconds = time.perf_counter() - started
        dates = warehouse.query(
            "SELECT min(game_date) AS first, max(game_date) AS last FROM nba_raw.history_prop_lines "
            "WHERE market = ?", [args.market])[0]
        source = ReplaySource(warehouse, settings.replay)
        started = time.perf_counter()
        run = run_backtest(warehouse=warehouse, source=source, settings=settings, market=args.market,
                           start=dates["first"], end=dates["last"])
        backtest_seconds = time.perf_counter() - started
        report = build_report(warehouse, market=args.market, start=dates["first"], end=dates["last"],
                              game_days=len(run.game_dates))
        gated = build_picks_report(warehouse, market=args.market, start=dates["first"], end=dates["last"])
    print(f"data: {args.data}")
    print(f"market: {args.market}, game days: {len(run.game_dates)}, processor runs: {len(run.runs)}, "
          f"failed: {len(run.failed_runs)}")
    graded = ", ".join(f"{system_id} {result.picks.predictions} ({result.picks.picks} picks)"
                       for system_id, result in report.systems.items())
    print(f"predictions graded per system: {graded}")
    print("gated picks per system: " + ", ".join(f"{system_id} {result.returns.picks}"
                                                  for system_id, result in gated.items()))
    print(f"ingest_seconds: {ingest_seconds:.1f}")
    print(f"backtest_seconds: {backtest_seconds:.1f} (target <= 60)")


if __name__ == "__main__":
    main()
