"""ESPN scoreboard API (captured 2024-01-15) -> schedule rows joined to nba.com's game ids."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from nbaprops.errors import SourceSchemaError
from nbaprops.sources.live import espn, nbacom

FOLDER = "espn_scoreboard_api"
DAY = date(2024, 1, 15)


def test_golden_without_nba_ids(capture: Callable[[str], bytes]) -> None:
    rows = espn.parse_scoreboard(capture(FOLDER), game_date=DAY)
    assert len(rows) == 11
    assert rows[0] == {
        "game_id": "espn:401585183", "season": "2023-24", "season_type": "regular", "home_team": "PHI",
        "away_team": "HOU", "tipoff_utc": datetime(2024, 1, 15, 18, 0), "status": "final",
    }
    assert rows[-1]["tipoff_utc"] == datetime(2024, 1, 16, 3, 30), "LAL-OKC tips at 22:30 ET, still Jan 15"


def test_joined_by_matchup_it_is_the_nba_scoreboard(capture: Callable[[str], bytes]) -> None:
    """Same games, ids, teams, season types and statuses as nba.com's scoreboard; ESPN adds tip-off times."""
    nba_rows = nbacom.parse_scoreboard(capture("nbac_scoreboard_v2"), game_date=DAY)
    espn_rows = espn.parse_scoreboard(capture(FOLDER), game_date=DAY, game_ids=espn.game_ids_by_matchup(nba_rows))
    assert sorted(_without_tipoff(espn_rows), key=str) == sorted(_without_tipoff(nba_rows), key=str)
    assert all(row["tipoff_utc"] is not None for row in espn_rows)


def test_event_ids_by_matchup(capture: Callable[[str], bytes]) -> None:
    ids = espn.event_ids(capture(FOLDER), game_date=DAY)
    assert len(ids) == 11
    assert ids[("PHI", "HOU")] == "401585183"
    assert ids[("LAL", "OKC")] == "401585193"


def test_other_dates_and_empty_days(
    capture: Callable[[str], bytes], capture_json: Callable[[str], dict[str, Any]]
) -> None:
    assert espn.parse_scoreboard(capture(FOLDER), game_date=date(2024, 1, 16)) == []
    document = capture_json(FOLDER)
    document["events"] = []
    assert espn.parse_scoreboard(document, game_date=DAY) == []


def test_status_of_coming_and_postponed_games(capture_json: Callable[[str], dict[str, Any]]) -> None:
    document = capture_json(FOLDER)
    first, second = (event["competitions"][0]["status"]["type"] for event in document["events"][:2])
    first.update(completed=False, state="pre", name="STATUS_SCHEDULED")
    second.update(completed=False, name="STATUS_POSTPONED")
    rows = espn.parse_scoreboard(document, game_date=DAY)
    assert [row["status"] for row in rows[:2]] == ["scheduled", "postponed"]


@pytest.mark.parametrize(
    ("path", "field"),
    [  # a path into the first event, and the field the error must name
        (("events",), "events"),
        (("events", 0, "id"), "events[].id"),
        (("events", 0, "competitions"), "events[].competitions"),
        (("events", 0, "competitions", 0, "date"), "events[].competitions[].date"),
        (("events", 0, "competitions", 0, "competitors"), "events[].competitions[].competitors"),
        (("events", 0, "competitions", 0, "competitors", 0, "homeAway"),
         "events[].competitions[].competitors[].homeAway"),
        (("events", 0, "competitions", 0, "competitors", 0, "team", "abbreviation"),
         "events[].competitions[].competitors[].team.abbreviation"),
        (("events", 0, "competitions", 0, "status"), "events[].competitions[].status"),
        (("events", 0, "competitions", 0, "status", "type", "completed"),
         "events[].competitions[].status.type.completed"),
        (("events", 0, "season"), "events[].season"),
    ],
)
def test_drift_names_the_field(
    capture_json: Callable[[str], dict[str, Any]], path: tuple[str | int, ...], field: str
) -> None:
    document = capture_json(FOLDER)
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    expected = re.escape(f"espn scoreboard: the field {field!r} is missing")
    with pytest.raises(SourceSchemaError, match=expected) as caught:
        espn.parse_scoreboard(document, game_date=DAY)
    assert caught.value.field == field


def _without_tipoff(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key != "tipoff_utc"} for row in rows]
