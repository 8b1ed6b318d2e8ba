"""One day end to end with `--source live` through the real `nbaprops` script, against loopback.

HOU at PHI, 2024-01-15 (`tests/cli/live_day.py`): nba.com is down (every path it is asked answers
503), so ESPN serves the schedule and the box scores, and nba.com's breaker opens after five failed
calls; the day's run (schedule, props, injuries, features, predictions) and its results run (box
scores, summaries, grading) go through the orchestrator on virtual time.
The home is fresh: no earlier game day is built, so the day predicts nothing (no lined player
has a game before it) and its run exits 1, saying so; its results run completes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from tests.cli.live_day import DAY, live_config, route_day
from tests.cli.sim_cli import cli
from tests.sources.loopback import LoopbackServer, serve

from nbaprops.home import Home
from nbaprops.sources.live.nbacom_schedule import SEASON_PATH
from nbaprops.sources.live.nbacom_team_boxscore import PATH as NBA_BOXSCORE_PATH
from nbaprops.sources.raw_store import RawStore

RAW_TABLES = ("schedule", "player_boxscores", "team_boxscores", "player_prop_lines", "injury_report")
# The day's rows a replay must rebuild; reported_utc of balldontlie's injuries is the fetch's wall-clock time.
REBUILT_TABLES = tuple(f"nba_raw.{table}" for table in RAW_TABLES) + (
    "nba_analytics.player_game_summary", "nba_analytics.team_offense_game_summary",
    "nba_analytics.team_defense_game_summary", "nba_analytics.upcoming_player_game_context",
    "nba_analytics.upcoming_team_game_context", "nba_precompute.player_daily_cache",
    "nba_precompute.ml_feature_store",
)
TIMESTAMPS = frozenset({"reported_utc"})


@dataclass
class LiveDay:
    home: Home
    server: LoopbackServer
    day_run: subprocess.CompletedProcess[str]
    results_run: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def live_day(shared_fixtures: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDay]:
    with serve() as server:
        route_day(server, shared_fixtures, shared_data, nbacom_down=True)
        home = Home(tmp_path_factory.mktemp("live-home"))
        home.config_path.write_text(live_config(server.base_url))
        day = ("run", "--date", DAY.isoformat(), "--source", "live", "--clock", "virtual", "--json")
        yield LiveDay(home, server, cli(home, *day), cli(home, *day, "--results"))


def served_by(home: Home) -> dict[str, dict[str, int]]:
    """Rows of the day per nba_raw table, by the source that served them."""
    with duckdb.connect(str(home.warehouse_path), read_only=True) as connection:
        return {
            table: dict(connection.execute(
                f"SELECT source, count(*) FROM nba_raw.{table} WHERE game_date = ? GROUP BY source", [DAY]
            ).fetchall())
            for table in RAW_TABLES
        }


def test_the_day_runs_live_with_espn_serving_while_nbacom_is_down(live_day: LiveDay) -> None:
    results = json.loads(live_day.results_run.stdout)
    assert live_day.results_run.returncode == 0, live_day.results_run.stderr
    assert (results["source"], results["status"]) == ("live", "complete")
    assert served_by(live_day.home) == {
        "schedule": {"espn": 1},
        "player_boxscores": {"espn": 23},
        "team_boxscores": {"espn": 2},
        "player_prop_lines": {"odds_api": 75},
        "injury_report": {"balldontlie": 100},
    }
    nbacom = [request for request in live_day.server.received
              if request.path == SEASON_PATH or request.path.startswith("/referee/injury/")]
    assert len(nbacom) == 10, "5 calls (schedule, injury report) of 2 attempts each, then the breaker refused"
    assert live_day.server.requests_to(NBA_BOXSCORE_PATH) == [], "ESPN's games have no nba.com id to ask by"


def test_the_day_run_without_history_predicts_every_lined_player_from_the_market(live_day: LiveDay) -> None:
    """No game of history in the home: the market-anchored system (and the ensemble anchored on it)
    predicts all 16 lined player-markets; the systems that read a player's games have none to read."""
    report = json.loads(live_day.day_run.stdout)
    assert live_day.day_run.returncode == 0, live_day.day_run.stdout
    assert report["status"] == "complete"
    with duckdb.connect(str(live_day.home.warehouse_path), read_only=True) as connection:
        by_system = dict(connection.execute(
            "SELECT system_id, count(*) FROM nba_predictions.player_prop_predictions WHERE game_date = ? "
            "GROUP BY system_id", [DAY]).fetchall())
    assert by_system == {"market": 16, "ensemble": 16}


def test_every_answer_is_kept_in_the_homes_raw_store_nbacoms_503s_too(live_day: LiveDay) -> None:
    store = RawStore(live_day.home.raw_dir)
    assert {entry.meta["status_code"] for entry in store.entries("nbacom", DAY)} == {503}
    assert {entry.meta["status_code"] for entry in store.entries("espn", DAY)} == {200}
    odds = [entry.meta for entry in store.entries("odds_api", DAY)]
    assert odds and all("loopback-key" not in meta["url"] and "apiKey=REDACTED" in meta["url"] for meta in odds)


def test_status_shows_nbacoms_breaker_open_and_the_others_closed(live_day: LiveDay) -> None:
    shown = cli(live_day.home, "status", "--date", DAY.isoformat(), "--json")
    assert shown.returncode == 0, shown.stderr
    breakers = {row["source"]: row for row in json.loads(shown.stdout)["breakers"]}
    assert {source: row["state"] for source, row in breakers.items()} == {
        "balldontlie": "closed", "bettingpros": "closed", "espn": "closed", "nbacom": "open", "odds_api": "closed"}
    assert breakers["nbacom"]["failure_count"] == 5 and breakers["nbacom"]["opened_at"] is not None
    human = cli(live_day.home, "status", "--date", DAY.isoformat())
    assert "Circuit breakers" in human.stdout
    assert [line.split()[1:3] for line in human.stdout.splitlines() if "│ nbacom " in line] == [["nbacom", "│"]]


def day_rows(home: Home) -> dict[str, list[tuple[object, ...]]]:
    """The day's rows of every rebuilt table, sorted, without timestamps."""
    rows = {}
    with duckdb.connect(str(home.warehouse_path), read_only=True) as connection:
        for table in REBUILT_TABLES:
            result = connection.execute(f"SELECT * FROM {table} WHERE game_date = ?", [DAY])
            keep = [i for i, column in enumerate(result.description) if column[0] not in TIMESTAMPS]
            rows[table] = sorted((tuple(row[i] for i in keep) for row in result.fetchall()), key=repr)
    return rows


def test_the_kept_payloads_replay_the_day_into_the_same_rows_without_the_server(
    live_day: LiveDay, tmp_path: Path
) -> None:
    """A fresh home holding only the live home's raw/ (its sources at their default, unreachable URLs)."""
    replayed = Home(tmp_path / "replayed").ensure()
    shutil.copytree(live_day.home.raw_dir, replayed.raw_dir, dirs_exist_ok=True)
    replayed.config_path.write_text('[predictions]\nmarkets = ["pra"]\nmin_history_games = 1\n')
    asked = len(live_day.server.received)
    day = ("run", "--date", DAY.isoformat(), "--source", "replay", "--json")
    assert cli(replayed, *day).returncode == 0, "as the live day: complete from the market's lines"
    results = cli(replayed, *day, "--results")
    assert results.returncode == 0, results.stderr
    assert len(live_day.server.received) == asked, "the replay asked the server nothing"
    original, rebuilt = day_rows(live_day.home), day_rows(replayed)
    assert {table: len(rows) for table, rows in rebuilt.items()} == {
        table: len(rows) for table, rows in original.items()}
    assert rebuilt == original
    assert served_by(replayed) == served_by(live_day.home)

