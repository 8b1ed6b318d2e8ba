"""nba.com stats scoreboardv2 (captured 2024-01-15) -> schedule-shaped rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from nbaprops.errors import SourceSchemaError
from nbaprops.sources import ReplaySource
from nbaprops.sources.live import nbacom

FOLDER = "nbac_scoreboard_v2"
DAY = date(2024, 1, 15)


def test_golden(capture: Callable[[str], bytes]) -> None:
    rows = nbacom.parse_scoreboard(capture(FOLDER), game_date=DAY)
    assert len(rows) == 11
    assert rows[0] == {
        "game_id": "0022300555", "season": "2023-24", "season_type": "regular", "home_team": "PHI",
        "away_team": "HOU", "tipoff_utc": None, "status": "final",
    }
    assert [(row["away_team"], row["home_team"]) for row in rows[-2:]] == [("IND", "UTA"), ("OKC", "LAL")]
    assert {row["status"] for row in rows} == {"final"}


def test_same_games_as_the_recorded_league_game_log(
    capture: Callable[[str], bytes], replay_2023_24: ReplaySource
) -> None:
    """The ids, teams, season type and status nba.com's LeagueGameLog recorded for the date."""
    recorded = replay_2023_24.schedule(DAY, as_of=datetime(2024, 2, 1, tzinfo=UTC))
    live = nbacom.parse_scoreboard(capture(FOLDER), game_date=DAY)
    drop = {"tipoff_utc"}
    assert sorted(_without(live, drop), key=str) == sorted(_without(recorded, drop), key=str)


def test_a_coming_game_has_its_tipoff(capture_json: Callable[[str], dict[str, Any]]) -> None:
    document = capture_json(FOLDER)
    header = _result_set(document, "GameHeader")
    status_id, status_text = header["headers"].index("GAME_STATUS_ID"), header["headers"].index("GAME_STATUS_TEXT")
    header["rowSet"][0][status_id], header["rowSet"][0][status_text] = 1, "7:30 pm ET"
    header["rowSet"][1][status_id], header["rowSet"][1][status_text] = 1, "TBD"
    header["rowSet"][2][status_text] = "PPD"
    rows = nbacom.parse_scoreboard(document, game_date=DAY)
    assert (rows[0]["tipoff_utc"], rows[0]["status"]) == (datetime(2024, 1, 16, 0, 30), "scheduled")
    assert (rows[1]["tipoff_utc"], rows[1]["status"]) == (None, "scheduled")
    assert rows[2]["status"] == "postponed"


def test_an_empty_scoreboard_is_empty(capture_json: Callable[[str], dict[str, Any]]) -> None:
    document = capture_json(FOLDER)
    for name in ("GameHeader", "LineScore"):
        _result_set(document, name)["rowSet"] = []
    assert nbacom.parse_scoreboard(document, game_date=DAY) == []


@pytest.mark.parametrize(
    ("result_set", "header"),
    [("GameHeader", name)
     for name in ("GAME_ID", "GAME_STATUS_ID", "GAME_STATUS_TEXT", "HOME_TEAM_ID", "VISITOR_TEAM_ID")]
    + [("LineScore", name) for name in ("GAME_ID", "TEAM_ID", "TEAM_ABBREVIATION")],
)
def test_drift_names_the_header(capture_json: Callable[[str], dict[str, Any]], result_set: str, header: str) -> None:
    document = capture_json(FOLDER)
    found = _result_set(document, result_set)
    found["headers"][found["headers"].index(header)] = header.lower()
    field = f"resultSets[{result_set}].{header}"
    with pytest.raises(SourceSchemaError, match=re.escape(f"nbacom scoreboardv2: the field {field!r} is missing")):
        nbacom.parse_scoreboard(document, game_date=DAY)


def test_a_missing_result_set_is_drift(capture_json: Callable[[str], dict[str, Any]]) -> None:
    document = capture_json(FOLDER)
    document["resultSets"] = [found for found in document["resultSets"] if found["name"] != "LineScore"]
    with pytest.raises(SourceSchemaError, match=re.escape("the field 'resultSets[LineScore]' is missing")):
        nbacom.parse_scoreboard(document, game_date=DAY)


def _result_set(document: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [found for found in document["resultSets"] if found["name"] == name]
    return found


def _without(rows: list[dict[str, Any]], keys: set[str]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key not in keys} for row in rows]
