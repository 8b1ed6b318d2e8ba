"""nba.com box score of one game (stats `boxscoretraditionalv2`) -> team rows and player rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nbaprops.errors import SourceError
from nbaprops.sources.base import Row
from nbaprops.sources.live._boxscore import STATS_COLUMNS, TEAM_COUNTS, player_row, stats_counts
from nbaprops.sources.live._games import nba_tricode
from nbaprops.sources.live._nbastats import STATS_HEADERS
from nbaprops.sources.live._payload import Payload, PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "nbacom", "boxscoretraditionalv2"
PATH = "/stats/boxscoretraditionalv2"
_COUNT_FIELDS = tuple("TO" if name == "TOV" else name for name in STATS_COLUMNS.values())
TEAM_FIELDS = ("GAME_ID", "TEAM_ABBREVIATION", "MIN", *_COUNT_FIELDS)
PLAYER_FIELDS = ("GAME_ID", "TEAM_ABBREVIATION", "PLAYER_NAME", "MIN", "PLUS_MINUS", *_COUNT_FIELDS)


def team_boxscore_request(base_url: str, game_id: str) -> Request:
    """The full-game box score of `game_id` (all periods)."""
    params = {"GameID": game_id, "StartPeriod": "0", "EndPeriod": "0", "StartRange": "0", "EndRange": "0",
              "RangeType": "0"}
    return build(SOURCE, ENDPOINT, base_url, PATH, params=params, headers=STATS_HEADERS)


def parse_team_boxscores(payload: Payload, *, home_team: str) -> list[Row]:
    """The two team lines in `nba_raw.team_boxscores` shape, home team first.

    The box score does not say who was at home, so `home_team` (a tricode, from the schedule)
    does; it must be one of the two teams. A box score without team lines (the game has not
    started) gives [].
    """
    reader = PayloadReader(SOURCE, ENDPOINT)
    lines = reader.result_set(reader.document(payload), "TeamStats", TEAM_FIELDS)
    if not lines:
        return []
    where = "resultSets[TeamStats]"
    teams = _two_teams(reader, lines, where, home_team)
    rows: list[Row] = []
    for line in lines:
        team = teams[str(line["TEAM_ABBREVIATION"])]
        opponent = next(other for other in teams.values() if other != team)
        counts = stats_counts(reader, line, where, tov="TO")
        rows.append({
            "game_id": reader.text(line, "GAME_ID", where), "team": team, "opponent": opponent,
            "is_home": team == home_team, "win": None, "minutes": reader.minutes(line["MIN"], f"{where}.MIN"),
            **{column: counts[column] for column in TEAM_COUNTS},
        })
    home, away = sorted(rows, key=lambda row: not row["is_home"])
    if home["pts"] is not None and away["pts"] is not None and home["pts"] != away["pts"]:
        home["win"], away["win"] = home["pts"] > away["pts"], away["pts"] > home["pts"]
    return [home, away]


def parse_boxscore_players(payload: Payload, *, home_team: str) -> list[Row]:
    """Player lines of the game in `nba_raw.player_boxscores` shape; players who did not play are left out.

    A line without minutes (COMMENT "DNP - Coach's Decision") is no game played, as in the game
    logs the history comes from.
    """
    reader = PayloadReader(SOURCE, ENDPOINT)
    document = reader.document(payload)
    lines = reader.result_set(document, "PlayerStats", PLAYER_FIELDS)
    if not lines:
        return []
    where = "resultSets[PlayerStats]"
    teams = _two_teams(reader, lines, where, home_team)
    rows: list[Row] = []
    for line in lines:
        minutes = reader.minutes(line["MIN"], f"{where}.MIN")
        if not minutes:
            continue
        team = teams[str(line["TEAM_ABBREVIATION"])]
        rows.append(player_row(
            reader,
            game_id=reader.text(line, "GAME_ID", where),
            name=reader.text(line, "PLAYER_NAME", where),
            team=team, opponent=next(other for other in teams.values() if other != team),
            is_home=team == home_team, minutes=minutes,
            counts=stats_counts(reader, line, where, tov="TO"),
            plus_minus=reader.number(line["PLUS_MINUS"], f"{where}.PLUS_MINUS"),
            path=f"{where}.PLAYER_NAME",
        ))
    return rows


def _two_teams(
    reader: PayloadReader, lines: Sequence[Mapping[str, Any]], where: str, home_team: str
) -> dict[str, str]:
    """The box score's team codes -> official tricodes; there must be two, one of them `home_team`."""
    teams: dict[str, str] = {}
    for line in lines:
        code = reader.text(line, "TEAM_ABBREVIATION", where)
        tricode = nba_tricode(code)
        if tricode is None:
            raise reader.drift(f"{where}.TEAM_ABBREVIATION", f"is {code!r}, no NBA team")
        teams[code] = tricode
    if len(set(teams.values())) != 2 or home_team not in teams.values():
        raise SourceError(
            f"{SOURCE} {ENDPOINT}: the box score has the teams {', '.join(sorted(set(teams.values())))}, "
            f"which are not two teams including the home team {home_team}; pass the home team of this game."
        )
    return teams
