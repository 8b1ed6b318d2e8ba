"""nba.com: schedule, scoreboard, player and team box scores, injury report (one module per endpoint).

`NbacomSource` sends each endpoint's request through the shared HTTP discipline, keeps the
payload in the raw store and parses it with the pure functions of the endpoint modules.
"""

from __future__ import annotations

from datetime import date, datetime

from nbaprops.config import NbaComSourceConfig
from nbaprops.sources.base import Row
from nbaprops.sources.live import nbacom_player_boxscore, nbacom_schedule, nbacom_scoreboard, nbacom_team_boxscore
from nbaprops.sources.live._fetch import RequestSource
from nbaprops.sources.live.nbacom_injuries import (
    injury_report_entries,
    injury_report_request,
    parse_injury_report,
)
from nbaprops.sources.live.nbacom_player_boxscore import parse_player_boxscores, player_boxscore_request
from nbaprops.sources.live.nbacom_schedule import (
    parse_schedule,
    parse_season,
    schedule_request,
    scheduled_dates,
)
from nbaprops.sources.live.nbacom_scoreboard import parse_scoreboard, scoreboard_request
from nbaprops.sources.live.nbacom_team_boxscore import (
    parse_boxscore_players,
    parse_team_boxscores,
    team_boxscore_request,
)

SOURCE = "nbacom"


class NbacomSource(RequestSource[NbaComSourceConfig]):
    """nba.com over HTTP: every answer kept in the raw store, then parsed; a 200 without data that must exist fails."""

    name = SOURCE

    def schedule(self, game_date: date, *, season: str | None = None) -> list[Row]:
        """Games on `game_date` from the season's schedule (the CDN's current season, or `season` from stats).

        A date without games gives []; a schedule without a single game date is EmptyPayloadError.
        """
        return self.season_schedule(season, game_date=game_date).get(game_date, [])

    def season_schedule(self, season: str | None, *, game_date: date) -> dict[date, list[Row]]:
        """Every date's games of the season's schedule, as `schedule` gives them; the payload is stored under
        `game_date`. A schedule without a single game date is EmptyPayloadError."""
        base_url = self._config.base_url if season else self._config.cdn_base_url
        by_date = parse_season(self._body(schedule_request(base_url, season), game_date))
        self._endpoint(nbacom_schedule.ENDPOINT).non_empty(list(by_date), "game dates in the season's schedule")
        return by_date

    def scoreboard(self, game_date: date, *, expected_games: int | None = None) -> list[Row]:
        """Games on `game_date` with their status; none where `expected_games` (from the schedule) says some fails."""
        rows = parse_scoreboard(self._body(scoreboard_request(self._config.base_url, game_date), game_date),
                                game_date=game_date)
        if expected_games:
            self._endpoint(nbacom_scoreboard.ENDPOINT).non_empty(
                rows, f"games for {game_date}, where the schedule has {expected_games} games"
            )
        return rows

    def player_boxscores(
        self, game_date: date, *, season: str, season_type: str = "Regular Season", final_games: int | None = None
    ) -> list[Row]:
        """Player lines of `game_date`; none where `final_games` (games over, from the scoreboard) says some fails."""
        request = player_boxscore_request(self._config.base_url, game_date, season=season, season_type=season_type)
        rows = parse_player_boxscores(self._body(request, game_date), game_date=game_date)
        if final_games:
            self._endpoint(nbacom_player_boxscore.ENDPOINT).non_empty(
                rows, f"player lines for {game_date}, where {final_games} games are final"
            )
        return rows

    def boxscore(
        self, game_date: date, game_id: str, *, home_team: str, final: bool = True
    ) -> tuple[list[Row], list[Row]]:
        """(team rows, player rows) of one game; a `final` game without lines is EmptyPayloadError."""
        payload = self._body(team_boxscore_request(self._config.base_url, game_id), game_date)
        teams = parse_team_boxscores(payload, home_team=home_team)
        answered = sorted({row["game_id"] for row in teams} - {game_id})
        if answered:
            raise self._endpoint(nbacom_team_boxscore.ENDPOINT).drift(
                "resultSets[TeamStats].GAME_ID", f"is {answered[0]!r}, not the game asked ({game_id})")
        if final:
            self._endpoint(nbacom_team_boxscore.ENDPOINT).non_empty(teams, f"team lines for final game {game_id}")
        return teams, parse_boxscore_players(payload, home_team=home_team)

    def injury_report(self, game_date: date, *, report_time: datetime) -> list[Row]:
        """Entries for games on `game_date` of the report published at `report_time` (US/Eastern)."""
        request = injury_report_request(self._config.injury_report_base_url, report_time)
        return parse_injury_report(self._body(request, game_date), game_date=game_date)



__all__ = [
    "SOURCE",
    "NbacomSource",
    "injury_report_entries",
    "injury_report_request",
    "parse_boxscore_players",
    "parse_injury_report",
    "parse_player_boxscores",
    "parse_schedule",
    "parse_season",
    "parse_scoreboard",
    "parse_team_boxscores",
    "player_boxscore_request",
    "schedule_request",
    "scheduled_dates",
    "scoreboard_request",
    "team_boxscore_request",
]
