"""ESPN: scoreboard API and game box score, joined to nba.com's games by matchup."""

from nbaprops.sources.live._games import game_ids_by_matchup
from nbaprops.sources.live.espn_boxscore import boxscore_request, parse_boxscore_players, parse_boxscore_teams
from nbaprops.sources.live.espn_scoreboard import event_ids, parse_scoreboard, scoreboard_request

SOURCE = "espn"

__all__ = [
    "SOURCE",
    "boxscore_request",
    "event_ids",
    "game_ids_by_matchup",
    "parse_boxscore_players",
    "parse_boxscore_teams",
    "parse_scoreboard",
    "scoreboard_request",
]
