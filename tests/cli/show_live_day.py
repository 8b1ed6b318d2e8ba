"""Shows one live day end to end, nba.com down, for the closing note: `python -m tests.cli.show_live_day [HOME]`.

The day of `tests/cli/test_live_day.py` (HOU at PHI, 2024-01-15, every nba.com path answering 503,
loopback only), on a home that first ingests the real 2023-24 files and replays 2024-01-12..14, so
the day has history to predict from. Prints each command's exit code and time, the day's rows per
nba_raw table by the source that served them, predictions and grades, and `status` with its breakers.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from tests.cli.live_day import DAY, live_config, route_day
from tests.sources.loopback import serve

SHARED = Path(__file__).resolve().parents[3] / "shared"
NBAPROPS = Path(sys.executable).parent / "nbaprops"
TABLES = ("schedule", "player_boxscores", "team_boxscores", "player_prop_lines", "injury_report")


def nbaprops(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    done = subprocess.run([str(NBAPROPS), "--home", str(home), *args], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "160"})
    print(f"$ nbaprops {' '.join(args)}  -> exit {done.returncode} in {time.perf_counter() - started:.1f} s")
    return done


def main(home: Path) -> None:
    with serve() as server:
        route_day(server, SHARED / "fixtures" / "sources", SHARED / "data", nbacom_down=True)
        home.mkdir(parents=True, exist_ok=True)
        (home / "nbaprops.toml").write_text(live_config(server.base_url))
        nbaprops(home, "ingest", str(SHARED / "data" / "2023-24"), "--json")
        nbaprops(home, "backfill", "--start", "2024-01-12", "--end", "2024-01-14", "--source", "replay", "--json")
        live = ("run", "--date", DAY.isoformat(), "--source", "live", "--clock", "virtual")
        nbaprops(home, *live)
        nbaprops(home, *live, "--results")
        print(f"requests the loopback server answered: {len(server.received)}")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as connection:
        print(f"\nrows of {DAY} per table, by the source that served them")
        for table in TABLES:
            served = connection.execute(
                f"SELECT source, count(*) FROM nba_raw.{table} WHERE game_date = ? GROUP BY 1 ORDER BY 1", [DAY]
            ).fetchall()
            print(f"  nba_raw.{table:<18} " + ", ".join(f"{source}: {count}" for source, count in served))
        for table in ("nba_analytics.player_game_summary", "nba_predictions.player_prop_predictions",
                      "nba_predictions.prediction_accuracy"):
            (count,) = connection.execute(f"SELECT count(*) FROM {table} WHERE game_date = ?", [DAY]).fetchone()
            print(f"  {table:<43} {count}")
    print(nbaprops(home, "status", "--date", DAY.isoformat()).stdout)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="live-day-")) / "home")
