"""Times the 2024-25 real season through the orchestrator on virtual time in one process (target:
<= 30 s, peak RSS <= 500 MB), and the latency from the last critical Phase 3 completion to the
Phase 4 start (target: <= 1 s).

Usage: python benchmarks/bench_orchestrator.py [--data ../shared/data/2024-25] [--start D] [--end D]
                                              [--statements N]
Ingest is timed separately: the targets are for the backfill through the orchestrator, with every
phase, every gate and grading, on the embedded default (SQLite system database).

Besides the wall time it prints the process's CPU seconds over the season (user + system of every
thread, DuckDB's too), which depend far less on what else loads the machine's cores, the process's
peak RSS (ingest included), and where the time went: each phase's processor runs (as `nbaprops usage
--by phase` reads them) and the orchestration around them (the season's total less its processors).
`--statements N` also prints the N warehouse statements that took the most time over the season (calls,
seconds), timed around the DuckDB backend's calls: the next thing to make faster. `--snapshot FILE`
pickles every compared row of the final warehouse (`chaos_run.snapshot`), to check that a faster
version of the code still builds the same rows (`--compare FILE` prints the differences to one).
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.ingest import ingest_paths
from nbaprops.ops.usage import Grouping, UsageGroup, read_runs, total, usage_groups
from nbaprops.orchestration.chaos_run import snapshot
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import run_backfill
from nbaprops.orchestration.worker_processes import differences
from nbaprops.warehouse import Warehouse
from nbaprops.warehouse._duckdb import DuckDBBackend

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "2024-25"
CRITICAL_PHASE3 = ("upcoming_player_game_context", "upcoming_team_game_context")
SEASON_TARGET_SECONDS = 30.0
PEAK_RSS_TARGET_MB = 500.0


@dataclass
class StatementTimes:
    """Calls and seconds per warehouse statement (its first 150 characters, whitespace folded)."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def run(backend: DuckDBBackend, sql: str, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(backend, sql, *args, **kwargs)
            finally:
                key = re.sub(r"\s+", " ", sql).strip()[:150]
                with self._lock:
                    entry = self.seconds.setdefault(key, [0, 0.0])
                    entry[0] += 1
                    entry[1] += time.perf_counter() - started

        return run

    def install(self) -> None:
        """Time every statement the DuckDB backend runs from now on (this process only)."""
        DuckDBBackend.run = self.timed(DuckDBBackend.run)  # type: ignore[method-assign]
        DuckDBBackend.arrow = self.timed(DuckDBBackend.arrow)  # type: ignore[method-assign]

    def report(self, top: int) -> None:
        calls = sum(int(c) for c, _ in self.seconds.values())
        spent = sum(s for _, s in self.seconds.values())
        print(f"warehouse statements: {calls} calls, {spent:.1f} s; the {top} that took longest:")
        for key, (count, seconds) in sorted(self.seconds.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"  {seconds:7.2f} s {int(count):6d}x  {key}")


def peak_rss_mb() -> float:
    """The process's resident-memory high-water mark (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def phase_breakdown(warehouse: Warehouse, settings: Settings) -> list[UsageGroup]:
    """Each phase's processor runs (wall and CPU seconds, runs), as `nbaprops usage --by phase`."""
    return usage_groups(read_runs(warehouse), [], by=Grouping.PHASE, prices=settings.usage)


def phase4_latencies(warehouse: Warehouse) -> list[float]:
    """Per day run: seconds from its last critical Phase 3 completion to its Phase 4 start."""
    rows = warehouse.query(
        "SELECT p3.processors, p4.started_utc FROM nba_orchestration.phase_completions p3 "
        "JOIN nba_orchestration.phase_completions p4 ON p4.workflow_id = p3.workflow_id AND "
        "p4.phase = 'phase4' "
        "WHERE p3.phase = 'phase3'"
    )
    latencies = []
    for row in rows:
        processors = json.loads(row["processors"])
        finished = max(
            datetime.fromisoformat(processors[name]["finished_utc"]) for name in CRITICAL_PHASE3
        )
        latencies.append((row["started_utc"] - finished.replace(tzinfo=None)).total_seconds())
    return latencies


def keep_snapshot(path: Path, *, save: Path | None, compare: Path | None) -> None:
    """Pickle the warehouse's compared rows to `save`, and/or print how they differ from `compare`'s."""
    found = snapshot(path)
    if save is not None:
        save.write_bytes(pickle.dumps(found))
    if compare is not None:
        diff = differences(pickle.loads(compare.read_bytes()), found)  # noqa: S301 - our own file
        rows = sum(len(rows) for rows in found.values())
        print(f"rows against {compare}: " + ("equal row for row" if not diff else f"DIFFERENT: {diff}")
              + f" ({rows} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--start", type=date.fromisoformat, default=None)
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    parser.add_argument("--statements", type=int, default=0, metavar="N")
    parser.add_argument("--snapshot", type=Path, default=None, metavar="FILE")
    parser.add_argument("--compare", type=Path, default=None, metavar="FILE")
    args = parser.parse_args()
    statements = StatementTimes()
    with tempfile.TemporaryDirectory() as folder:
        home = Home(Path(folder) / "home").ensure()
        started = time.perf_counter()
        with Warehouse.open(home.warehouse_path) as warehouse:
            ingest_paths(warehouse, [args.data])
            first, last = warehouse.query(
                "SELECT min(game_date) AS first, max(game_date) AS last FROM "
                "nba_raw.history_prop_lines"
            )[0].values()
            markets = [
                row["market"]
                for row in warehouse.query(
                    "SELECT DISTINCT market FROM nba_raw.history_prop_lines ORDER BY market"
                )
            ]
        ingest_seconds = time.perf_counter() - started
        # Predict the markets the data has lines for (threes and pra in 2024-25).
        settings = Settings(predictions={"markets": markets})
        if args.statements:
            statements.install()
        cpu_started = time.process_time()
        summary = run_backfill(
            home,
            settings,
            start=args.start or first,
            end=args.end or last,
            source=SourceKind.REPLAY,
        )
        season_cpu = time.process_time() - cpu_started
        if args.snapshot or args.compare:
            keep_snapshot(home.warehouse_path, save=args.snapshot, compare=args.compare)
        with Warehouse.open(home.warehouse_path) as warehouse:
            latencies = phase4_latencies(warehouse)
            runs = warehouse.scalar("SELECT count(*) FROM nba_orchestration.processor_run_history")
            phases = phase_breakdown(warehouse, settings)
    season = summary.season
    print(f"data: {args.data}, markets: {', '.join(settings.predictions.markets)}")
    print(
        f"range: {summary.backfill.start} .. {summary.backfill.end}, game days: "
        f"{summary.to_json()['game_days']}, "
        f"complete: {summary.to_json()['complete']}, degraded: {summary.to_json()['degraded']}, "
        f"failed: {summary.to_json()['failed']}, processor runs: {runs}"
    )
    print(
        f"predictions: {season['predictions']}, graded: {season['graded']}, picks: "
        f"{season['picks']}, "
        f"retries: {season['retries']}, gate decisions: {season['gate_decisions']}"
    )
    print(f"ingest_seconds: {ingest_seconds:.1f}")
    print(f"orchestrated_season_seconds: {summary.elapsed_seconds:.1f} (target <= {SEASON_TARGET_SECONDS:.0f})")
    print(f"orchestrated_season_cpu_seconds: {season_cpu:.1f} (user + system, every thread)")
    print(f"peak_rss_mb: {peak_rss_mb():.0f} (target <= {PEAK_RSS_TARGET_MB:.0f}, ingest included)")
    processors = total(phases)
    print("per phase (processor runs)      runs   wall s    cpu s")
    for group in [*phases, processors]:
        print(f"  {group.key:<28} {group.runs:>6} {group.wall_seconds:>8.1f} {group.cpu_seconds:>8.1f}")
    print(
        f"  {'orchestration (total - runs)':<28} {'':>6} {summary.elapsed_seconds - processors.wall_seconds:>8.1f} "
        f"{season_cpu - processors.cpu_seconds:>8.1f}"
    )
    print(
        f"phase3_to_phase4_latency_seconds: median {statistics.median(latencies):.4f}, "
        f"max {max(latencies):.4f} (target <= 1)"
    )
    if args.statements:
        statements.report(args.statements)


if __name__ == "__main__":
    main()
