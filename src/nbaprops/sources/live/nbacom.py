"""nba.com: schedule, scoreboard, player and team box scores, injury report (one module per endpoint)."""

from nbaprops.sources.live.nbacom_injuries import injury_report_entries, injury_report_request, parse_injury_report
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

__all__ = [
    "SOURCE",
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
