"""nba.com schedule (cdn `scheduleLeagueV2`): the season's games -> `nba_raw.schedule` rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from nbaprops.identity import season_of
from nbaprops.sources.base import Row
from nbaprops.sources.live._games import nba_tricode, season_type_of
from nbaprops.sources.live._nbastats import LEAGUE_ID, STATS_HEADERS
from nbaprops.sources.live._payload import Payload, PayloadReader
from nbaprops.sources.live._request import Request, build

SOURCE, ENDPOINT = "nbacom", "scheduleLeagueV2"
PATH = "/static/json/staticData/scheduleLeagueV2.json"
SEASON_PATH = "/stats/scheduleleaguev2"
_GAMES = "leagueSchedule.gameDates[].games[]"
_STATUS = {1: "scheduled", 2: "scheduled", 3: "final"}  # in progress is not final yet


def schedule_request(base_url: str, season: str | None = None) -> Request:
    """The schedule of the current season from the CDN, or of `season` ("2024-25") from stats.nba.com.

    Both answer the same `leagueSchedule` document: every game of the season, past and coming.
    `base_url` is the CDN's (https://cdn.nba.com) without a season, stats.nba.com's with one.
    """
    if season is None:
        return build(SOURCE, ENDPOINT, base_url, PATH)
    params = {"LeagueID": LEAGUE_ID, "Season": season}
    return build(SOURCE, ENDPOINT, base_url, SEASON_PATH, params=params, headers=STATS_HEADERS)


def parse_schedule(payload: Payload, *, game_date: date) -> list[Row]:
    """Games on `game_date` (US/Eastern) as the replay source serves them, in tip-off order.

    Keys: game_id, season, season_type, home_team, away_team, tipoff_utc (naive UTC), status
    (scheduled, final or postponed; a game in progress is still scheduled). All-Star events and
    exhibitions against clubs outside the NBA are left out. A date without games gives [];
    whether that is a failure is the caller's call (it knows whether games were expected).
    """
    return parse_season(payload).get(game_date, [])


def scheduled_dates(payload: Payload) -> list[date]:
    """Every date (US/Eastern) with at least one NBA game in the schedule, in order."""
    return sorted(parse_season(payload))


def parse_season(payload: Payload) -> dict[date, list[Row]]:
    """Every date's rows as `parse_schedule` gives them, in date order: one pass over the season."""
    reader = PayloadReader(SOURCE, ENDPOINT)
    schedule = reader.mapping(reader.document(payload), "leagueSchedule", "")
    by_date: dict[date, list[Row]] = {}
    for day in reader.items(schedule, "gameDates", "leagueSchedule"):
        for game in reader.items(day, "games", "leagueSchedule.gameDates[]"):
            row = _game_row(reader, game)
            if row is not None:
                by_date.setdefault(row.pop("game_date"), []).append(row)
    return {
        day: sorted(rows, key=lambda row: (row["tipoff_utc"], row["game_id"]))
        for day, rows in sorted(by_date.items())
    }


def _game_row(reader: PayloadReader, game: Any) -> Row | None:
    game_id = reader.text(game, "gameId", _GAMES)
    home = nba_tricode(reader.text(reader.mapping(game, "homeTeam", _GAMES), "teamTricode", f"{_GAMES}.homeTeam"))
    away = nba_tricode(reader.text(reader.mapping(game, "awayTeam", _GAMES), "teamTricode", f"{_GAMES}.awayTeam"))
    season_type = season_type_of(game_id)
    if season_type is None or home is None or away is None:
        return None
    game_day = reader.utc(reader.get(game, "gameDateEst", _GAMES), f"{_GAMES}.gameDateEst").date()
    status = reader.get(game, "gameStatus", _GAMES)
    if status not in _STATUS:
        raise reader.drift(f"{_GAMES}.gameStatus", f"is {status!r}, not 1, 2 or 3")
    postponed = reader.get(game, "postponedStatus", _GAMES) == "Y"
    return {
        "game_date": game_day,
        "game_id": game_id,
        "season": season_of(game_day),
        "season_type": season_type,
        "home_team": home,
        "away_team": away,
        "tipoff_utc": reader.utc(reader.get(game, "gameDateTimeUTC", _GAMES), f"{_GAMES}.gameDateTimeUTC"),
        "status": "postponed" if postponed else _STATUS[status],
    }
