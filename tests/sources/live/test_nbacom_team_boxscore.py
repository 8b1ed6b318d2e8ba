"""nba.com stats boxscoretraditionalv2 (captured game 0022400561, NYK at PHI, 2025-01-15, one OT)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from nbaprops.errors import SourceError, SourceSchemaError
from nbaprops.sources import ReplaySource
from nbaprops.sources.live import nbacom
from nbaprops.sources.live.nbacom_team_boxscore import PLAYER_FIELDS, TEAM_FIELDS

from .pipeline import phase3_rows

FOLDER = "nbac_team_boxscore"
GAME_DAY = date(2025, 1, 15)
LATE = datetime(2025, 8, 1, tzinfo=UTC)
MINUTES_TOLERANCE = 1.0  # the game log rounds: a team 264 where the box score has 265:00, a player 45 for 44:30


def test_team_golden(capture: Callable[[str], bytes]) -> None:
    home, away = nbacom.parse_team_boxscores(capture(FOLDER), home_team="PHI")
    assert home == {
        "game_id": "0022400561", "team": "PHI", "opponent": "NYK", "is_home": True, "win": False, "minutes": 265.0,
        "pts": 119, "fgm": 46, "fga": 92, "fg3m": 13, "fg3a": 35, "ftm": 14, "fta": 14, "oreb": 11, "dreb": 24,
        "reb": 35, "ast": 27, "stl": 8, "blk": 2, "tov": 12, "pf": 19,
    }
    assert (away["team"], away["is_home"], away["win"], away["pts"], away["tov"]) == ("NYK", False, True, 125, 13)


def test_player_golden(capture: Callable[[str], bytes]) -> None:
    rows = nbacom.parse_boxscore_players(capture(FOLDER), home_team="PHI")
    assert len(rows) == 17, "25 lines, 8 of them DNP without minutes"
    assert rows[0] == {
        "game_id": "0022400561", "player_lookup": "joshhart", "player_name": "Josh Hart", "team": "NYK",
        "opponent": "PHI", "is_home": False, "minutes": pytest.approx(49 + 25 / 60), "pts": 10, "reb": 17,
        "ast": 12, "fg3m": 0, "fg3a": 3, "fgm": 4, "fga": 9, "ftm": 2, "fta": 3, "oreb": 5, "dreb": 12, "stl": 4,
        "blk": 0, "tov": 3, "pf": 3, "plus_minus": 10.0,
    }
    teams = {row["team"]: row for row in nbacom.parse_team_boxscores(capture(FOLDER), home_team="PHI")}
    for team in ("PHI", "NYK"):
        for column in ("pts", "reb", "ast", "fg3m", "tov"):
            assert sum(row[column] for row in rows if row["team"] == team) == teams[team][column]


def test_same_as_the_recorded_game_log(capture: Callable[[str], bytes], replay_2024_25: ReplaySource) -> None:
    recorded = [row for row in replay_2024_25.team_boxscores(GAME_DAY, as_of=LATE) if row["game_id"] == "0022400561"]
    live = nbacom.parse_team_boxscores(capture(FOLDER), home_team="PHI")
    assert _by(recorded, "team", without="minutes") == _by(live, "team", without="minutes")
    assert all(abs(row["minutes"] - 265.0) <= MINUTES_TOLERANCE for row in recorded)
    players = {row["player_lookup"]: row for row in replay_2024_25.player_boxscores(GAME_DAY, as_of=LATE)
               if row["game_id"] == "0022400561"}
    live_players = _by(nbacom.parse_boxscore_players(capture(FOLDER), home_team="PHI"), "player_lookup")
    assert len(players) == 13 and set(players) <= set(live_players)
    for key, row in players.items():
        assert abs(row["minutes"] - live_players[key]["minutes"]) <= MINUTES_TOLERANCE / 2 + 1e-9, key
        assert {**row, "minutes": None} == {**live_players[key], "minutes": None}, key


def test_the_home_team_must_be_one_of_the_two(capture: Callable[[str], bytes]) -> None:
    with pytest.raises(SourceError, match="not two teams including the home team BOS"):
        nbacom.parse_team_boxscores(capture(FOLDER), home_team="BOS")


def test_a_game_not_started_is_empty(capture_json: Callable[[str], dict[str, Any]]) -> None:
    document = capture_json(FOLDER)
    for found in document["resultSets"]:
        found["rowSet"] = []
    assert nbacom.parse_team_boxscores(document, home_team="PHI") == []
    assert nbacom.parse_boxscore_players(document, home_team="PHI") == []


@pytest.mark.parametrize(
    ("result_set", "header"),
    [("TeamStats", name) for name in TEAM_FIELDS] + [("PlayerStats", name) for name in PLAYER_FIELDS],
)
def test_drift_names_the_header(capture_json: Callable[[str], dict[str, Any]], result_set: str, header: str) -> None:
    document = capture_json(FOLDER)
    (found,) = [found for found in document["resultSets"] if found["name"] == result_set]
    del found["headers"][found["headers"].index(header)]
    field = f"resultSets[{result_set}].{header}"
    parse = nbacom.parse_team_boxscores if result_set == "TeamStats" else nbacom.parse_boxscore_players
    with pytest.raises(SourceSchemaError, match=re.escape(f"nbacom boxscoretraditionalv2: the field {field!r}")):
        parse(document, home_team="PHI")


def _by(rows: list[dict[str, Any]], key: str, *, without: str = "") -> dict[str, dict[str, Any]]:
    return {row[key]: {name: value for name, value in row.items() if name != without} for row in rows}


def test_same_phase3_rows_as_the_recorded_history(
    capture: Callable[[str], bytes], replay_2024_25: ReplaySource, tmp_path: Path
) -> None:
    """The real Phase 2 and 3 processors on the live box score and on the recorded rows of the game.

    Tolerance: team rows equal but pace (265 vs 264 team minutes: within 0.5%); player rows of
    the 13 recorded players equal but minutes (within half a minute: the record rounds).
    """
    schedule = [row for row in nbacom.parse_schedule(capture("nbac_schedule_api"), game_date=GAME_DAY)
                if row["game_id"] == "0022400561"]
    live = phase3_rows(tmp_path / "live.duckdb", schedule,
                       nbacom.parse_boxscore_players(capture(FOLDER), home_team="PHI"),
                       nbacom.parse_team_boxscores(capture(FOLDER), home_team="PHI"), game_date=GAME_DAY)
    recorded = phase3_rows(
        tmp_path / "recorded.duckdb", schedule,
        [row for row in replay_2024_25.player_boxscores(GAME_DAY, as_of=LATE) if row["game_id"] == "0022400561"],
        [row for row in replay_2024_25.team_boxscores(GAME_DAY, as_of=LATE) if row["game_id"] == "0022400561"],
        game_date=GAME_DAY,
    )
    assert live["team_defense_game_summary"] == recorded["team_defense_game_summary"]
    offense = zip(live["team_offense_game_summary"], recorded["team_offense_game_summary"], strict=True)
    for live_row, recorded_row in offense:
        assert {**live_row, "pace": None} == {**recorded_row, "pace": None}
        assert live_row["pace"] == pytest.approx(recorded_row["pace"], rel=0.005)
    live_players = _by(live["player_game_summary"], "player_lookup", without="minutes")
    recorded_players = _by(recorded["player_game_summary"], "player_lookup", without="minutes")
    assert len(recorded_players) == 13
    assert {key: live_players[key] for key in recorded_players} == recorded_players
