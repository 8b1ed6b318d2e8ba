"""nba.com scoreboard (stats `scoreboardv2`): one date's games and their status -> schedule rows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

from nbaprops.identity import season_of
from nbaprops.sources.base import Row
from nbaprops.sources.live._games import EASTERN, nba_tricode, season_type_of
from nbaprops.sources.live._nbastats import LEAGUE_ID, STATS_HEADERS
from nbaprops.sources.live._payload import Payload, PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "nbacom", "scoreboardv2"
PATH = "/stats/scoreboardv2"
_HEADER_FIELDS = ("GAME_DATE_EST", "GAME_ID", "GAME_STATUS_ID", "GAME_STATUS_TEXT", "HOME_TEAM_ID", "VISITOR_TEAM_ID")
_LINE_FIELDS = ("GAME_ID", "TEAM_ID", "TEAM_ABBREVIATION")
_STATUS = {1: "scheduled", 2: "scheduled", 3: "final"}
_TIP_TEXT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*([ap])m\s+ET\s*$", re.IGNORECASE)


def scoreboard_request(base_url: str, game_date: date) -> Request:
    """The scoreboard of `game_date` (US/Eastern)."""
    params = {"GameDate": game_date.isoformat(), "LeagueID": LEAGUE_ID, "DayOffset": "0"}
    return build(SOURCE, ENDPOINT, base_url, PATH, params=params, headers=STATS_HEADERS)


def parse_scoreboard(payload: Payload, *, game_date: date) -> list[Row]:
    """Games on `game_date` in schedule-row shape, in the scoreboard's order.

    The scoreboard gives tip-off only while a game is ahead (status text "7:30 pm ET"); for a
    game that has started `tipoff_utc` is None, so the schedule stays the source of tip-off
    times and this endpoint the source of status. An empty scoreboard gives [].
    """
    reader = PayloadReader(SOURCE, ENDPOINT)
    document = reader.document(payload)
    headers = reader.result_set(document, "GameHeader", _HEADER_FIELDS)
    tricodes = {
        (line["GAME_ID"], line["TEAM_ID"]): line["TEAM_ABBREVIATION"]
        for line in reader.result_set(document, "LineScore", _LINE_FIELDS)
    }
    rows: list[Row] = []
    for game in headers:
        game_id = reader.text(game, "GAME_ID", "resultSets[GameHeader]")
        season_type = season_type_of(game_id)
        home = nba_tricode(_team(reader, tricodes, game, "HOME_TEAM_ID"))
        away = nba_tricode(_team(reader, tricodes, game, "VISITOR_TEAM_ID"))
        if season_type is None or home is None or away is None:
            continue
        status = game["GAME_STATUS_ID"]
        if status not in _STATUS:
            raise reader.drift("resultSets[GameHeader].GAME_STATUS_ID", f"is {status!r}, not 1, 2 or 3")
        text = str(game["GAME_STATUS_TEXT"] or "")
        rows.append({
            "game_id": game_id,
            "season": season_of(game_date),
            "season_type": season_type,
            "home_team": home,
            "away_team": away,
            "tipoff_utc": _tipoff(text, game_date) if status == 1 else None,
            "status": "postponed" if text.strip().upper() == "PPD" else _STATUS[status],
        })
    return rows


def _team(reader: PayloadReader, tricodes: dict[tuple[Any, Any], Any], game: Row, column: str) -> str:
    code = tricodes.get((game["GAME_ID"], game[column]))
    if not code:
        raise reader.drift(
            "resultSets[LineScore].TEAM_ABBREVIATION", f"has no line for {column} of game {game['GAME_ID']}"
        )
    return str(code)


def _tipoff(status_text: str, game_date: date) -> datetime | None:
    """"7:30 pm ET" on `game_date` as naive UTC; None for "TBD" and other texts."""
    match = _TIP_TEXT.match(status_text)
    if match is None:
        return None
    hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
    local = datetime.combine(game_date, time(hour, int(match.group(2))), tzinfo=EASTERN)
    return local.astimezone(UTC).replace(tzinfo=None)
