"""Zero is not complete, on the real 2024-25 season: the first weeks run through the orchestrator on
the replay source, and no day with lines ends `complete` with zero predictions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

NBAPROPS = str(Path(sys.executable).parent / "nbaprops")
START, END = "2024-10-22", "2024-11-12"  # opening night, then three weeks

LATEST_PHASE5 = """
    SELECT game_date, status, records, expected, error_message
    FROM nba_orchestration.processor_run_history
    WHERE processor = 'player_prop_predictions'
    QUALIFY row_number() OVER (PARTITION BY game_date ORDER BY started_at DESC, attempt DESC) = 1
    ORDER BY game_date
"""
LINED_DAYS = "SELECT DISTINCT game_date FROM nba_raw.player_prop_lines WHERE game_date BETWEEN ? AND ?"


def _nbaprops(home: Home, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NBAPROPS, "--home", str(home.root), *args], capture_output=True, text=True, timeout=900
    )


def test_no_lined_day_of_the_real_season_ends_complete_with_zero_predictions(
    shared_data: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home").ensure()
    ingested = _nbaprops(home, "ingest", str(shared_data / "2024-25"))
    assert ingested.returncode == 0, ingested.stderr
    backfilled = _nbaprops(home, "backfill", "--start", START, "--end", END, "--source", "replay")
    assert backfilled.returncode == 0, backfilled.stderr
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        lined = {row["game_date"] for row in warehouse.query(LINED_DAYS, [START, END])}
        latest = warehouse.query(LATEST_PHASE5)
    by_day = {row["game_date"]: row for row in latest}
    assert lined and lined <= set(by_day), sorted(lined - set(by_day))
    for day in sorted(lined):
        run = by_day[day]
        assert not (run["status"] == "success" and run["records"] == 0), run
        if run["status"] == "success":
            assert run["records"] == run["expected"] > 0, run
        else:  # short of its lines, and says why
            assert run["error_message"], run
    # Once players have their five games, every lined day predicts all that it expects.
    late = [by_day[day] for day in sorted(lined) if day.isoformat() >= "2024-11-01"]
    assert late and all(r["status"] == "success" and r["records"] == r["expected"] > 0 for r in late), late
