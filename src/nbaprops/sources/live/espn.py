"""ESPN: scoreboard API and game box score, joined to nba.com's games by matchup.

`EspnSource` sends each request through the shared HTTP discipline, keeps the payload in the
raw store and parses it with the pure functions of the endpoint modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from nbaprops.config import EspnSourceConfig
from nbaprops.sources.base import Row
from nbaprops.sources.live import espn_boxscore
from nbaprops.sources.live import espn_scoreboard as scoreboard_endpoint
from nbaprops.sources.live._fetch import RequestSource
from nbaprops.sources.live._games import game_ids_by_matchup
from nbaprops.sources.live.espn_boxscore import boxscore_request, parse_boxscore_players, parse_boxscore_teams
from nbaprops.sources.live.espn_scoreboard import Matchup, event_ids, parse_scoreboard, scoreboard_request

SOURCE = "espn"


@dataclass(frozen=True)
class EspnScoreboard:
    """One date's games as schedule rows, and ESPN's event id of each (what box scores are fetched by)."""

    games: list[Row]
    event_ids: dict[Matchup, str]


class EspnSource(RequestSource[EspnSourceConfig]):
    """ESPN over HTTP: every answer kept in the raw store, then parsed; a 200 without data that must exist fails."""

    name = SOURCE

    def scoreboard(
        self,
        game_date: date,
        *,
        game_ids: Mapping[Matchup, str] | None = None,
        expected_games: int | None = None,
        stored_under: date | None = None,
    ) -> EspnScoreboard:
        """Games on `game_date` (nba.com ids joined by matchup from `game_ids`); none where some are expected fails.
        The payload is kept under `stored_under` (default `game_date`)."""
        request = scoreboard_request(self._config.base_url, game_date)
        payload = self._body(request, stored_under or game_date)
        games = parse_scoreboard(payload, game_date=game_date, game_ids=game_ids)
        if expected_games:
            self._endpoint(scoreboard_endpoint.ENDPOINT).non_empty(
                games, f"games for {game_date}, where the schedule has {expected_games} games"
            )
        return EspnScoreboard(games, event_ids(payload, game_date=game_date))

    def boxscore(
        self, game_date: date, event_id: str, *, game_id: str | None = None, final: bool = True
    ) -> tuple[list[Row], list[Row]]:
        """(team rows, player rows) of ESPN event `event_id`; a `final` game without lines is EmptyPayloadError."""
        request = boxscore_request(self._config.web_base_url, event_id)
        page = self._body(request, game_date)
        teams = parse_boxscore_teams(page, game_date=game_date, game_id=game_id)
        if final:
            self._endpoint(espn_boxscore.ENDPOINT).non_empty(teams, f"team lines for final event {event_id}")
        return teams, parse_boxscore_players(page, game_date=game_date, game_id=game_id)


__all__ = [
    "SOURCE",
    "EspnScoreboard",
    "EspnSource",
    "boxscore_request",
    "event_ids",
    "game_ids_by_matchup",
    "parse_boxscore_players",
    "parse_boxscore_teams",
    "parse_scoreboard",
    "scoreboard_request",
]
