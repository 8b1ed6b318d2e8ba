"""nba.com cdn scheduleLeagueV2 (captured 2024-25 season) -> schedule rows."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from nbaprops.errors import SourceSchemaError
from nbaprops.sources import ReplaySource
from nbaprops.sources.live import nbacom

FOLDER = "nbac_schedule_api"
AFTER_THE_SEASON = datetime(2025, 8, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def payload(capture: Callable[[str], bytes]) -> dict[str, Any]:
    """Decoded once: the parsers take bytes, text or the decoded object (here, 229 dates)."""
    document: dict[str, Any] = json.loads(capture(FOLDER))
    return document


def test_one_date_golden(payload: dict[str, Any]) -> None:
    rows = nbacom.parse_schedule(payload, game_date=date(2025, 1, 15))
    assert len(rows) == 11
    assert rows[0] == {
        "game_id": "0022400561", "season": "2024-25", "season_type": "regular", "home_team": "PHI",
        "away_team": "NYK", "tipoff_utc": datetime(2025, 1, 16, 0, 0), "status": "final",
    }
    assert rows[-1] == {
        "game_id": "0022400571", "season": "2024-25", "season_type": "regular", "home_team": "LAC",
        "away_team": "BKN", "tipoff_utc": datetime(2025, 1, 16, 3, 30), "status": "final",
    }
    assert [row["tipoff_utc"] for row in rows] == sorted(row["tipoff_utc"] for row in rows)


def test_the_whole_season(payload: dict[str, Any]) -> None:
    season = nbacom.parse_season(payload)
    dates = nbacom.scheduled_dates(payload)
    assert dates == list(season)
    assert (len(dates), dates[0], dates[-1]) == (229, date(2024, 10, 4), date(2025, 6, 22))
    counts = Counter(row["season_type"] for rows in season.values() for row in rows)
    assert counts == {"regular": 1230, "preseason": 69, "playoffs": 84, "play_in": 6, "cup_final": 1}


def test_exhibitions_and_all_star_are_left_out(payload: dict[str, Any]) -> None:
    opening = nbacom.parse_schedule(payload, game_date=date(2024, 10, 4))
    assert [row["game_id"] for row in opening] == ["0012400001", "0012400003"], "0012400002 is NZB @ UTA"
    assert nbacom.parse_schedule(payload, game_date=date(2025, 2, 16)) == [], "All-Star Sunday"
    assert date(2025, 2, 16) not in nbacom.scheduled_dates(payload)


def test_a_date_without_games_is_empty_not_an_error(payload: dict[str, Any]) -> None:
    assert nbacom.parse_schedule(payload, game_date=date(2024, 12, 24)) == []


@pytest.fixture
def document(payload: dict[str, Any]) -> dict[str, Any]:
    """A changeable copy of the season up to 2025-01-15 (enough for that date and the drift cases)."""
    schedule = payload["leagueSchedule"]
    up_to = [day for day in schedule["gameDates"] if day["gameDate"][6:10] == "2024" or day["gameDate"][:2] == "01"]
    return copy.deepcopy({"leagueSchedule": {**schedule, "gameDates": up_to}})


def test_status_of_coming_and_postponed_games(document: dict[str, Any]) -> None:
    games = _games_on(document, "01/15/2025")
    games[0].update(gameStatus=1, gameStatusText="7:00 pm ET")
    games[1].update(gameStatus=2)
    games[2].update(postponedStatus="Y")
    rows = nbacom.parse_schedule(document, game_date=date(2025, 1, 15))
    by_id = {row["game_id"]: row["status"] for row in rows}
    assert [by_id["0022400561"], by_id["0022400562"], by_id["0022400563"]] == ["scheduled", "scheduled", "postponed"]


def test_same_games_as_the_recorded_league_game_log(payload: dict[str, Any], replay_2024_25: ReplaySource) -> None:
    """Every date of 2024-25: the schedule's games are the ones nba.com's LeagueGameLog recorded.

    Tip-off times are left out: the recorded log has none (the replay source falls back to a
    default hour), the schedule has the real one.
    """
    season = nbacom.parse_season(payload)
    compared = 0
    for day in replay_2024_25.game_dates(date(2024, 10, 1), date(2025, 7, 1)):
        recorded = replay_2024_25.schedule(day, as_of=AFTER_THE_SEASON)
        live = season.get(day, [])
        assert _without_tipoff(live) == _without_tipoff(recorded), day
        compared += len(live)
    assert compared == 1390


@pytest.mark.parametrize(
    ("drop", "field"),
    [
        (("leagueSchedule",), "leagueSchedule"),
        (("leagueSchedule", "gameDates"), "leagueSchedule.gameDates"),
        (("game", "gameId"), "leagueSchedule.gameDates[].games[].gameId"),
        (("game", "gameDateEst"), "leagueSchedule.gameDates[].games[].gameDateEst"),
        (("game", "gameDateTimeUTC"), "leagueSchedule.gameDates[].games[].gameDateTimeUTC"),
        (("game", "gameStatus"), "leagueSchedule.gameDates[].games[].gameStatus"),
        (("game", "postponedStatus"), "leagueSchedule.gameDates[].games[].postponedStatus"),
        (("game", "homeTeam"), "leagueSchedule.gameDates[].games[].homeTeam"),
        (("game", "awayTeam"), "leagueSchedule.gameDates[].games[].awayTeam"),
        (("homeTeam", "teamTricode"), "leagueSchedule.gameDates[].games[].homeTeam.teamTricode"),
    ],
)
def test_drift_names_source_endpoint_and_field(document: dict[str, Any], drop: tuple[str, str], field: str) -> None:
    game = document["leagueSchedule"]["gameDates"][0]["games"][0]
    parent = {"leagueSchedule": document["leagueSchedule"], "game": game, "homeTeam": game["homeTeam"]}
    if len(drop) == 1:
        del document[drop[0]]
    else:
        del parent[drop[0]][drop[1]]
    expected = "^nbacom scheduleLeagueV2: the field " + re.escape(repr(field)) + " is missing"
    with pytest.raises(SourceSchemaError, match=expected) as caught:
        nbacom.parse_schedule(document, game_date=date(2025, 1, 15))
    assert (caught.value.source, caught.value.endpoint, caught.value.field) == ("nbacom", "scheduleLeagueV2", field)


def test_bytes_parse_as_the_decoded_object(capture: Callable[[str], bytes], payload: dict[str, Any]) -> None:
    day = date(2025, 3, 15)
    assert nbacom.parse_schedule(capture(FOLDER), game_date=day) == nbacom.parse_schedule(payload, game_date=day)


def test_a_body_that_is_no_json_is_drift() -> None:
    with pytest.raises(SourceSchemaError, match="the field '<body>' is not JSON"):
        nbacom.parse_schedule(b"<html>Access Denied</html>", game_date=date(2025, 1, 15))


def _games_on(document: dict[str, Any], label: str) -> list[dict[str, Any]]:
    (day,) = [day for day in document["leagueSchedule"]["gameDates"] if day["gameDate"].startswith(label)]
    games: list[dict[str, Any]] = day["games"]
    return games


def _without_tipoff(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        ({key: value for key, value in row.items() if key != "tipoff_utc"} for row in rows),
        key=lambda row: row["game_id"],
    )
