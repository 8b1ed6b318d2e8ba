"""ESPN scoreboard API (site.api `scoreboard`): one date's games -> schedule rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from nbaprops.identity import season_of
from nbaprops.sources.base import Row
from nbaprops.sources.live._games import eastern_date, nba_tricode, season_type_of
from nbaprops.sources.live._payload import Payload, PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "espn", "scoreboard"
PATH = "/apis/site/v2/sports/basketball/nba/scoreboard"
SEASON_TYPES = {1: "preseason", 2: "regular", 3: "playoffs", 5: "play_in"}  # ESPN's season.type
_EVENT = "events[]"
_COMPETITION = "events[].competitions[]"

Matchup = tuple[str, str]  # (home_team, away_team): one game of a date, whoever names it


def scoreboard_request(base_url: str, game_date: date) -> Request:
    """The scoreboard of `game_date` (US/Eastern)."""
    return build(SOURCE, ENDPOINT, base_url, PATH, params={"dates": f"{game_date:%Y%m%d}"})


def parse_scoreboard(
    payload: Payload, *, game_date: date, game_ids: Mapping[Matchup, str] | None = None
) -> list[Row]:
    """Games tipping off on `game_date` (US/Eastern) in the schedule-row shape, in tip-off order.

    `game_ids` maps (home_team, away_team) to the nba.com game id (from the nba.com schedule, or
    any source that has it), so ESPN's games join the same rows; a game it lacks keeps ESPN's id
    as `espn:<event id>`. Season type comes from the nba.com id when there is one. No games gives [].
    """
    reader = PayloadReader(SOURCE, ENDPOINT)
    rows = [
        _game_row(reader, event, game_ids or {})
        for event in reader.items(reader.document(payload), "events", "")
    ]
    chosen = [row for row in rows if row is not None and row.pop("game_date") == game_date]
    return sorted(chosen, key=lambda row: (row["tipoff_utc"], row["game_id"]))


def event_ids(payload: Payload, *, game_date: date) -> dict[Matchup, str]:
    """ESPN's event id of each game on `game_date`, by (home_team, away_team): what box scores are fetched by."""
    reader = PayloadReader(SOURCE, ENDPOINT)
    found: dict[Matchup, str] = {}
    for event in reader.items(reader.document(payload), "events", ""):
        row = _game_row(reader, event, {})
        if row is not None and row["game_date"] == game_date:
            found[(row["home_team"], row["away_team"])] = reader.text(event, "id", _EVENT)
    return found


def _game_row(reader: PayloadReader, event: Any, game_ids: Mapping[Matchup, str]) -> Row | None:
    event_id = reader.text(event, "id", _EVENT)
    competitions = reader.items(event, "competitions", _EVENT)
    if not competitions:
        raise reader.drift(_COMPETITION, f"is empty for event {event_id}")
    competition = competitions[0]
    sides: dict[str, str | None] = {}
    for competitor in reader.items(competition, "competitors", _COMPETITION):
        where = f"{_COMPETITION}.competitors[]"
        team = reader.mapping(competitor, "team", where)
        code = reader.text(team, "abbreviation", f"{where}.team")
        sides[reader.text(competitor, "homeAway", where)] = nba_tricode(code)
    if set(sides) != {"home", "away"}:
        raise reader.drift(f"{_COMPETITION}.competitors[].homeAway", f"is {sorted(sides)} for event {event_id}")
    home, away = sides["home"], sides["away"]
    if home is None or away is None:
        return None  # an exhibition or an All-Star side
    tipoff = reader.utc(reader.get(competition, "date", _COMPETITION), f"{_COMPETITION}.date")
    game_id = game_ids.get((home, away))
    season_type = season_type_of(game_id) if game_id else _espn_season_type(reader, event)
    if season_type is None:
        return None
    game_day = eastern_date(tipoff)
    return {
        "game_date": game_day,
        "game_id": game_id or f"espn:{event_id}",
        "season": season_of(game_day),
        "season_type": season_type,
        "home_team": home,
        "away_team": away,
        "tipoff_utc": tipoff,
        "status": _status(reader, reader.mapping(competition, "status", _COMPETITION)),
    }


def _espn_season_type(reader: PayloadReader, event: Any) -> str | None:
    season = reader.mapping(event, "season", _EVENT)
    return SEASON_TYPES.get(reader.get(season, "type", f"{_EVENT}.season"))


def _status(reader: PayloadReader, status: Mapping[str, Any]) -> str:
    where = f"{_COMPETITION}.status.type"
    kind = reader.mapping(status, "type", f"{_COMPETITION}.status")
    if reader.get(kind, "name", where) == "STATUS_POSTPONED":
        return "postponed"
    return "final" if reader.get(kind, "completed", where) is True else "scheduled"
