"""nba.com stats leaguegamelog, players (captured 2025-03-15) -> player box-score rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from nbaprops.errors import SourceSchemaError
from nbaprops.sources import ReplaySource
from nbaprops.sources.live import nbacom
from nbaprops.sources.live.nbacom_player_boxscore import FIELDS

FOLDER = "nbac_player_boxscore"
DAY = date(2025, 3, 15)
LATE = datetime(2025, 8, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def rows(capture: Callable[[str], bytes]) -> list[dict[str, Any]]:
    return nbacom.parse_player_boxscores(capture(FOLDER), game_date=DAY)


def test_golden(rows: list[dict[str, Any]]) -> None:
    assert len(rows) == 157
    assert len({row["game_id"] for row in rows}) == 8
    per_team = Counter((row["game_id"], row["team"]) for row in rows)
    assert (len(per_team), min(per_team.values()), max(per_team.values())) == (16, 9, 12)
    (curry,) = [row for row in rows if row["player_lookup"] == "stephencurry"]
    assert curry == {
        "game_id": "0022400974", "player_lookup": "stephencurry", "player_name": "Stephen Curry", "team": "GSW",
        "opponent": "NYK", "is_home": True, "minutes": 35.0, "pts": 28, "reb": 7, "ast": 5, "fg3m": 4, "fg3a": 13,
        "fgm": 8, "fga": 20, "ftm": 8, "fta": 9, "oreb": 0, "dreb": 7, "stl": 0, "blk": 1, "tov": 3, "pf": 2,
        "plus_minus": -5.0,
    }
    (porter,) = [row for row in rows if row["player_name"] == "Kevin Porter Jr."]
    assert (porter["player_lookup"], porter["team"], porter["opponent"], porter["is_home"]) == (
        "kevinporter", "MIL", "IND", True)


def test_same_rows_as_the_recorded_player_game_logs(rows: list[dict[str, Any]], replay_2024_25: ReplaySource) -> None:
    """Every recorded player of the date (134 of the 157: the file keeps only players rostered a
    season later) has the same row, names aside: the recorded file drops accents ("Nikola Jokic")."""
    recorded = {(row["game_id"], row["player_lookup"]): row for row in replay_2024_25.player_boxscores(DAY, as_of=LATE)}
    live = {(row["game_id"], row["player_lookup"]): row for row in rows}
    assert len(recorded) == 134 and set(recorded) <= set(live)
    for key, row in recorded.items():
        assert {**live[key], "player_name": None} == {**row, "player_name": None}, key


def test_points_add_up_to_the_recorded_team_totals(rows: list[dict[str, Any]], replay_2024_25: ReplaySource) -> None:
    points: Counter[tuple[str, str]] = Counter()
    for row in rows:
        points[(row["game_id"], row["team"])] += row["pts"]
    teams = replay_2024_25.team_boxscores(DAY, as_of=LATE)
    assert points == {(team["game_id"], team["team"]): team["pts"] for team in teams}


def test_other_dates_are_left_out(capture: Callable[[str], bytes]) -> None:
    assert nbacom.parse_player_boxscores(capture(FOLDER), game_date=date(2025, 3, 14)) == []


@pytest.mark.parametrize("header", FIELDS)
def test_drift_names_the_header(capture_json: Callable[[str], dict[str, Any]], header: str) -> None:
    document = capture_json(FOLDER)
    headers = document["resultSets"][0]["headers"]
    headers[headers.index(header)] = f"{header}_RENAMED"
    field = f"resultSets[LeagueGameLog].{header}"
    with pytest.raises(SourceSchemaError, match=re.escape(f"nbacom leaguegamelog: the field {field!r} is missing")):
        nbacom.parse_player_boxscores(document, game_date=DAY)


def test_a_malformed_value_names_its_field(capture_json: Callable[[str], dict[str, Any]]) -> None:
    document = capture_json(FOLDER)
    headers = document["resultSets"][0]["headers"]
    document["resultSets"][0]["rowSet"][0][headers.index("MATCHUP")] = "GSW v NYK"
    with pytest.raises(SourceSchemaError, match=re.escape("'resultSets[LeagueGameLog].MATCHUP' is 'GSW v NYK'")):
        nbacom.parse_player_boxscores(document, game_date=DAY)
    document["resultSets"][0]["rowSet"][0][headers.index("MATCHUP")] = "GSW vs. NYK"
    document["resultSets"][0]["rowSet"][0][headers.index("PTS")] = -3
    with pytest.raises(SourceSchemaError, match=re.escape("'resultSets[LeagueGameLog].PTS' is -3")):
        nbacom.parse_player_boxscores(document, game_date=DAY)
