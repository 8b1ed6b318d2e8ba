"""Box-score row shapes shared by the live parsers: the replay source's keys, in its order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nbaprops.identity import player_lookup
from nbaprops.sources.base import Row
from nbaprops.sources.live._payload import PayloadReader

COUNTS = (
    "pts", "reb", "ast", "fg3m", "fg3a", "fgm", "fga", "ftm", "fta", "oreb", "dreb", "stl", "blk", "tov", "pf",
)
TEAM_COUNTS = (
    "pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf",
)

# stats.nba.com column of each count; box scores say TO where game logs say TOV.
STATS_COLUMNS = {
    "pts": "PTS", "reb": "REB", "ast": "AST", "fg3m": "FG3M", "fg3a": "FG3A", "fgm": "FGM", "fga": "FGA",
    "ftm": "FTM", "fta": "FTA", "oreb": "OREB", "dreb": "DREB", "stl": "STL", "blk": "BLK", "tov": "TOV",
    "pf": "PF",
}


def player_row(
    reader: PayloadReader,
    *,
    game_id: str,
    name: str,
    team: str,
    opponent: str,
    is_home: bool,
    minutes: float,
    counts: Mapping[str, int | None],
    plus_minus: float | None,
    path: str,
) -> Row:
    """One `nba_raw.player_boxscores` row (without game_date); a name without letters is drift."""
    key = player_lookup(name)
    if not key:
        raise reader.drift(path, f"is {name!r}, a player name without letters or digits")
    return {
        "game_id": game_id, "player_lookup": key, "player_name": name, "team": team, "opponent": opponent,
        "is_home": is_home, "minutes": minutes, **{column: counts[column] for column in COUNTS},
        "plus_minus": plus_minus,
    }


def stats_counts(
    reader: PayloadReader, line: Mapping[str, Any], path: str, *, tov: str = "TOV"
) -> dict[str, int | None]:
    """The counts of a stats.nba.com line, read from `STATS_COLUMNS` (`tov` names the turnover column)."""
    columns = {**STATS_COLUMNS, "tov": tov}
    return {column: reader.count(line[name], f"{path}.{name}") for column, name in columns.items()}
