"""Player game lines (the game-log and the export layouts) -> history_player_boxscores."""

from __future__ import annotations

from collections.abc import Mapping

from nbaprops.identity import player_lookup, season_of
from nbaprops.ingest import _tables
from nbaprops.ingest._fields import RowError, count, iso_date, number, optional_text, text, us_date
from nbaprops.ingest._parse import (
    ParseContext,
    Parsed,
    RowParser,
    TableRow,
    drop_repeats,
    parse_lines,
)
from nbaprops.ingest._source import SourceFile
from nbaprops.ingest._teams_in_rows import matchup, tricode

_GAME_LOG_COUNTS = {
    "pts": "pts", "reb": "reb", "ast": "ast", "fg3m": "threes_made", "fg3a": "threes_attempted",
    "fgm": "fgm", "fga": "fga", "ftm": "ftm", "fta": "fta", "oreb": "oreb", "dreb": "dreb",
    "stl": "stl", "blk": "blk", "tov": "tov", "pf": "pf",
}
_EXPORT_COUNTS = {"pts": "Points", "reb": "REB", "ast": "AST", "fg3m": "3PM", "fg3a": "3PA",
                  "fgm": "FGM", "fga": "FGA", "ftm": "FTM", "fta": "FTA", "oreb": "OREB",
                  "dreb": "DREB", "stl": "STL", "blk": "BLK", "tov": "TO", "pf": "PF"}


def player(row: Mapping[str, str], name: str) -> tuple[str, str]:
    """(player_name, player_lookup); a name without letters or digits quarantines the line."""
    player_name = text(row, name)
    key = player_lookup(player_name)
    if not key:
        raise RowError(name, f"{name} {player_name!r} has no letters or digits")
    return player_name, key


def _optional_number(row: Mapping[str, str], name: str) -> float | None:
    return number(row, name) if optional_text(row, name) else None


def parse_game_log_row(row: Mapping[str, str]) -> TableRow:
    """`player,player_id,date,matchup,...`: the team is the first side of `matchup`."""
    player_name, key = player(row, "player")
    game_date = iso_date(row, "date")
    team, opponent, is_home = matchup(row, "matchup")
    return {
        "game_date": game_date, "season": season_of(game_date), "player_name": player_name,
        "player_lookup": key, "player_id": optional_text(row, "player_id"), "team": team,
        "opponent": opponent, "is_home": is_home, "minutes": number(row, "minutes", minimum=0),
        **{column: count(row, name) for column, name in _GAME_LOG_COUNTS.items()},
        "plus_minus": _optional_number(row, "plus_minus"),
    }


def parse_export_row(row: Mapping[str, str]) -> TableRow:
    """`Player,Team,Opponent,Date,...`: `Opponent` holds the matchup, `Date` is MM/DD/YYYY."""
    player_name, key = player(row, "Player")
    team = tricode(row, "Team")
    first, second, first_is_home = matchup(row, "Opponent")
    if team == first:
        opponent, is_home = second, first_is_home
    elif team == second:
        opponent, is_home = first, not first_is_home
    else:
        raise RowError(
            "Opponent", f"Opponent {row['Opponent'].strip()!r} does not include the Team {team}"
        )
    game_date = us_date(row, "Date")
    return {
        "game_date": game_date, "season": season_of(game_date), "player_name": player_name,
        "player_lookup": key, "player_id": None, "team": team, "opponent": opponent,
        "is_home": is_home, "minutes": number(row, "Minutes", minimum=0),
        **{column: count(row, name) for column, name in _EXPORT_COUNTS.items()},
        "plus_minus": _optional_number(row, "+/-"),
    }


def _parse(
    source: SourceFile, context: ParseContext, parse_row: RowParser, *, player_field: str
) -> Parsed:
    lines, quarantined = parse_lines(source, parse_row, context)
    lines, repeats = drop_repeats(
        lines,
        lambda row: (row["player_id"] or row["player_lookup"], row["game_date"], row["team"]),
        field=player_field, what="same player, team and date",
    )
    return Parsed(
        rows={_tables.PLAYER_BOXSCORES: [line.row for line in lines]},
        quarantined=quarantined + repeats,
        lines_loaded=len(lines),
    )


def parse_game_log(source: SourceFile, context: ParseContext) -> Parsed:
    return _parse(source, context, parse_game_log_row, player_field="player")


def parse_export(source: SourceFile, context: ParseContext) -> Parsed:
    return _parse(source, context, parse_export_row, player_field="Player")
