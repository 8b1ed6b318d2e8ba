"""ESPN box score page (captured event 401585183: HOU at PHI, 2024-01-15, nba.com game 0022300555).

The nba.com box-score captures are of other games (0022400561 and the 2025-03-15 game log), so
the cross-source check compares ESPN's page with what nba.com says of this game elsewhere: the
captured nba.com scoreboard of the day (line scores, team leaders) and the recorded history the
replay source serves (nba.com's LeagueGameLog for the teams, the 2023-24 player export).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from nbaprops.errors import SourceError, SourceSchemaError
from nbaprops.sources import ReplaySource
from nbaprops.sources.live import espn, nbacom
from nbaprops.sources.live.espn_boxscore import page_data

from .pipeline import assert_phase3_agree, phase3_rows

FOLDER = "espn_game_boxscore"
DAY = date(2024, 1, 15)
GAME_ID = "0022300555"
LATE = datetime(2024, 2, 1, tzinfo=UTC)


def test_team_golden(capture: Callable[[str], bytes]) -> None:
    home, away = espn.parse_boxscore_teams(capture(FOLDER), game_date=DAY, game_id=GAME_ID)
    assert home == {
        "game_id": GAME_ID, "team": "PHI", "opponent": "HOU", "is_home": True, "win": True, "minutes": 240.0,
        "pts": 124, "fgm": 40, "fga": 83, "fg3m": 15, "fg3a": 31, "ftm": 29, "fta": 34, "oreb": 8, "dreb": 33,
        "reb": 41, "ast": 25, "stl": 8, "blk": 4, "tov": 10, "pf": 24,
    }
    assert (away["team"], away["win"], away["pts"], away["tov"]) == ("HOU", False, 115, 13)


def test_player_golden(capture: Callable[[str], bytes]) -> None:
    rows = espn.parse_boxscore_players(capture(FOLDER), game_date=DAY)
    assert len(rows) == 23, "25 listed, Bullock and Marjanovic DNP"
    assert rows[0] == {
        "game_id": "espn:401585183", "player_lookup": "jabarismith", "player_name": "Jabari Smith Jr.",
        "team": "HOU", "opponent": "PHI", "is_home": False, "minutes": 31.0, "pts": 13, "reb": 7, "ast": 2,
        "fg3m": 0, "fg3a": 1, "fgm": 5, "fga": 9, "ftm": 3, "fta": 5, "oreb": 1, "dreb": 6, "stl": 0, "blk": 0,
        "tov": 2, "pf": 3, "plus_minus": -8.0,
    }
    (embiid,) = [row for row in rows if row["player_lookup"] == "joelembiid"]
    assert (embiid["pts"], embiid["reb"], embiid["ftm"], embiid["fta"], embiid["plus_minus"]) == (41, 10, 16, 17, 7.0)


def test_agrees_with_the_nba_scoreboard_of_the_day(capture: Callable[[str], bytes]) -> None:
    """nba.com's captured scoreboard: team PTS, REB, AST, TOV and each team's points/rebounds/assists leaders."""
    scoreboard = _result_sets(capture("nbac_scoreboard_v2"))
    line_scores = {row["TEAM_ABBREVIATION"]: row for row in scoreboard["LineScore"] if row["GAME_ID"] == GAME_ID}
    teams = {row["team"]: row for row in espn.parse_boxscore_teams(capture(FOLDER), game_date=DAY)}
    for team, line in line_scores.items():
        assert (teams[team]["pts"], teams[team]["reb"], teams[team]["ast"], teams[team]["tov"]) == (
            line["PTS"], line["REB"], line["AST"], line["TOV"])
    players = espn.parse_boxscore_players(capture(FOLDER), game_date=DAY)
    for leader in (row for row in scoreboard["TeamLeaders"] if row["GAME_ID"] == GAME_ID):
        for stat, column in (("PTS", "pts"), ("REB", "reb"), ("AST", "ast")):
            (player,) = [row for row in players if row["player_name"] == leader[f"{stat}_PLAYER_NAME"]]
            assert player[column] == leader[stat] == max(row[column] for row in players
                                                        if row["team"] == leader["TEAM_ABBREVIATION"])


def test_same_phase3_rows_as_nba_com(
    capture: Callable[[str], bytes], replay_2023_24: ReplaySource, tmp_path: Path
) -> None:
    """Phase 2 then Phase 3, run by the real processors, once on ESPN's rows and once on nba.com's.

    Tolerance (`assert_phase3_agree`): team and defense rows equal; pace within 0.5%; player rows
    equal, turnovers too (the recorded 2023-24 export has its TO/STL/BLK headers shifted; ingest
    reads them as the team game log says), and so are each player's steals and blocks.
    """
    schedule = espn.parse_scoreboard(
        capture("espn_scoreboard_api"), game_date=DAY,
        game_ids=espn.game_ids_by_matchup(nbacom.parse_scoreboard(capture("nbac_scoreboard_v2"), game_date=DAY)),
    )
    game = [row for row in schedule if row["game_id"] == GAME_ID]
    espn_players = espn.parse_boxscore_players(capture(FOLDER), game_date=DAY, game_id=GAME_ID)
    espn_teams = espn.parse_boxscore_teams(capture(FOLDER), game_date=DAY, game_id=GAME_ID)
    nba_players = [row for row in replay_2023_24.player_boxscores(DAY, as_of=LATE) if row["game_id"] == GAME_ID]
    nba_teams = [row for row in replay_2023_24.team_boxscores(DAY, as_of=LATE) if row["game_id"] == GAME_ID]
    from_espn = phase3_rows(tmp_path / "espn.duckdb", game, espn_players, espn_teams, game_date=DAY)
    from_nba = phase3_rows(tmp_path / "nbacom.duckdb", game, nba_players, nba_teams, game_date=DAY)

    assert_phase3_agree(from_espn, from_nba)
    assert {row["player_lookup"]: (row["stl"], row["blk"], row["tov"]) for row in espn_players} == {
        row["player_lookup"]: (row["stl"], row["blk"], row["tov"]) for row in nba_players}


def test_another_date_is_refused(capture: Callable[[str], bytes]) -> None:
    with pytest.raises(SourceError, match="event 401585183 was played on 2024-01-15, not on 2024-01-16"):
        espn.parse_boxscore_players(capture(FOLDER), game_date=date(2024, 1, 16))


def test_the_embedded_data_is_found_by_a_parser(capture: Callable[[str], bytes]) -> None:
    data = page_data(capture(FOLDER))
    assert data["page"]["content"]["gamepackage"]["gmStrp"]["gid"] == "401585183"


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("<html><script>window.other = {};</script></html>", "\"window['__espnfitt__']\" is missing"),
        ("<html><script>window['__espnfitt__']={oops</script></html>", "\"window['__espnfitt__']\" is not a JSON"),
        ("<html><script>window['__espnfitt__']={\"page\": {}};</script></html>", "'page.content' is missing"),
    ],
)
def test_a_page_without_the_data_is_drift(page: str, problem: str) -> None:
    with pytest.raises(SourceSchemaError, match=re.escape(f"espn boxscore: the field {problem}")):
        espn.parse_boxscore_teams(page, game_date=DAY)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("points", "page.content.gamepackage.bxscr[].stats[starters].athlts[].stats.points"),
        ("minutes", "page.content.gamepackage.bxscr[].stats[starters].athlts[].stats.minutes"),
        ("fieldGoalsMade-fieldGoalsAttempted",
         "page.content.gamepackage.bxscr[].stats[starters].athlts[].stats.fieldGoalsMade-fieldGoalsAttempted"),
    ],
)
def test_a_renamed_stat_key_is_drift(capture: Callable[[str], bytes], key: str, field: str) -> None:
    page = capture(FOLDER).decode().replace(f'"{key}"', f'"{key}Renamed"')
    with pytest.raises(SourceSchemaError, match=re.escape(f"espn boxscore: the field {field!r} is missing")):
        espn.parse_boxscore_players(page, game_date=DAY)


def _result_sets(body: bytes) -> dict[str, list[dict[str, Any]]]:
    document = json.loads(body)
    return {found["name"]: [dict(zip(found["headers"], row, strict=True)) for row in found["rowSet"]]
            for found in document["resultSets"]}
