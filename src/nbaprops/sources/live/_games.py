"""What nba.com game ids, team codes and statuses mean, shared by the live parsers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from nbaprops.errors import UnknownTeamError
from nbaprops.identity import team_tricode

EASTERN = ZoneInfo("America/New_York")

# The third digit of a ten-digit nba.com game id: 0012400001 is a 2024-25 preseason game.
# 3 (All-Star events) is no season type the platform serves.
SEASON_TYPE_BY_ID_DIGIT = {"1": "preseason", "2": "regular", "4": "playoffs", "5": "play_in", "6": "cup_final"}


def season_type_of(game_id: str) -> str | None:
    """The season type an nba.com game id encodes, or None for All-Star and unknown events."""
    if len(game_id) != 10 or not game_id.isdigit():
        return None
    return SEASON_TYPE_BY_ID_DIGIT.get(game_id[2])


def nba_tricode(code: str) -> str | None:
    """The official tricode of an NBA team, or None for an exhibition opponent or an All-Star side."""
    try:
        return team_tricode(code)
    except UnknownTeamError:
        return None


def eastern_date(instant_utc: datetime) -> date:
    """The US/Eastern calendar date of a naive UTC instant: the game_date of a tip-off."""
    return instant_utc.replace(tzinfo=UTC).astimezone(EASTERN).date()


def game_ids_by_matchup(schedule_rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """(home_team, away_team) -> game_id of one date's schedule rows: how other sources' games join nba.com's.

    Two teams meet at most once a day, so the matchup names the game across sources.
    """
    return {(row["home_team"], row["away_team"]): row["game_id"] for row in schedule_rows}
