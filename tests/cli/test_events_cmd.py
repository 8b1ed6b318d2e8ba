"""`nbaprops events watch|list` through the real entry point, on the demo's synthetic league."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.cli.sim_cli import cli

from nbaprops.home import Home
from nbaprops.warehouse import Warehouse


def move_a_line(home: Home, day: str) -> tuple[str, str]:
    """Raise one player's points line at every book after the day's run; returns the player and an
    instant before the day's last tip-off (when the line has moved)."""
    with Warehouse.open(home.warehouse_path) as warehouse:
        player = warehouse.scalar(
            "SELECT min(player_lookup) FROM nba_raw.player_prop_lines WHERE game_date = ? AND market = 'points'",
            [day],
        )
        warehouse.execute(
            "UPDATE nba_raw.history_prop_lines SET line = line + 1 WHERE game_date = ? "
            "AND player_lookup = ? AND market = 'points'",
            [day, player],
        )
        last_tip = warehouse.scalar("SELECT max(tipoff_utc) FROM nba_raw.schedule WHERE game_date = ?", [day])
    return player, (last_tip - timedelta(seconds=30)).isoformat() + "+00:00"


def test_watch_applies_a_moved_line_once_and_list_shows_it(cli_home: Home, league_file: tuple[Path, list[str]]) -> None:
    day = league_file[1][2]
    done = cli(cli_home, "run", "--date", day, "--source", "sim", "--mode", "overnight", "--json")
    assert done.returncode == 0, done.stderr
    player, as_of = move_a_line(cli_home, day)

    watched = cli(cli_home, "events", "watch", "--date", day, "--source", "sim", "--as-of", as_of, "--json")
    assert watched.returncode == 0, watched.stderr
    report = json.loads(watched.stdout)
    assert report["day_run"] == f"daily:{day}:overnight:sim"
    assert [(e["kind"], e["players"], e["workflow_status"]) for e in report["events"]] == [
        ("props", [player], "SUCCESS")
    ]
    assert report["events"][0]["reason"].startswith(f"Prop lines for {day} changed since the last run for 1 players")
    workflow_id = report["events"][0]["workflow_id"]
    assert workflow_id.startswith(f"event:props:{day}:overnight:sim:")

    again = cli(cli_home, "events", "watch", "--date", day, "--source", "sim", "--as-of", as_of)
    assert again.returncode == 0, again.stderr
    assert f"Nothing new for {day}" in again.stdout

    listed = cli(cli_home, "events", "list", "--date", day, "--json")
    assert listed.returncode == 0, listed.stderr
    decisions = json.loads(listed.stdout)["events"]
    assert [(d["workflow_id"], d["event_kind"], d["decision"], d["players"]) for d in decisions] == [
        (workflow_id, "props", "applied", [player])
    ]


def test_watch_before_any_run_says_so(cli_home: Home, league_file: tuple[Path, list[str]]) -> None:
    day = league_file[1][2]
    watched = cli(cli_home, "events", "watch", "--date", day, "--source", "sim")
    assert watched.returncode == 0, watched.stderr
    assert f"No sim day run of {day} has built its upcoming context yet" in watched.stdout


def test_watch_rejects_a_bad_time(cli_home: Home) -> None:
    watched = cli(cli_home, "events", "watch", "--date", "2024-11-04", "--as-of", "soon")
    assert watched.returncode == 2
    assert ("--as-of 'soon' is not a date and time; use YYYY-MM-DDTHH:MM[:SS] (UTC unless an offset like "
            "+00:00 follows), e.g. 2025-01-15T23:00.") in watched.stderr
