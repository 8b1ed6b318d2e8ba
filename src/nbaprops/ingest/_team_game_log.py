"""nba.com LeagueGameLog (two rows a game) -> history_team_boxscores and history_games."""

from __future__ import annotations

import re
from collections.abc import Mapping

from nbaprops.identity import season_of
from nbaprops.ingest import _tables
from nbaprops.ingest._fields import RowError, count, game_id, iso_date, number, optional_text, text
from nbaprops.ingest._parse import Line, ParseContext, Parsed, Quarantined, TableRow, parse_lines
from nbaprops.ingest._source import SourceFile
from nbaprops.ingest._teams_in_rows import matchup, tricode

SEASON_TYPES = {"1": "preseason", "2": "regular", "4": "playoffs", "5": "play_in", "6": "cup_final"}
ALL_STAR_PREFIX = "3"

_COUNTS = {"pts": "PTS", "fgm": "FGM", "fga": "FGA", "fg3m": "FG3M", "fg3a": "FG3A", "ftm": "FTM",
           "fta": "FTA", "oreb": "OREB", "dreb": "DREB", "reb": "REB", "ast": "AST", "stl": "STL",
           "blk": "BLK", "tov": "TOV", "pf": "PF"}
_WIN = {"W": True, "L": False, "": None}


def _season(row: Mapping[str, str]) -> tuple[str, str]:
    raw = text(row, "SEASON_ID")
    if not re.fullmatch(r"\d{5}", raw):
        raise RowError("SEASON_ID", f"SEASON_ID {raw!r} is not a five-digit season id like 22024")
    prefix, start_year = raw[0], int(raw[1:])
    if prefix == ALL_STAR_PREFIX:
        raise RowError(
            "SEASON_ID",
            f"SEASON_ID {raw} is an All-Star event; only preseason, regular-season, play-in, "
            "playoff and cup-final games load",
        )
    if prefix not in SEASON_TYPES:
        raise RowError("SEASON_ID", f"SEASON_ID {raw} has the unknown season-type prefix {prefix}")
    return SEASON_TYPES[prefix], f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_row(row: Mapping[str, str]) -> TableRow:
    season_type, season = _season(row)
    game_date = iso_date(row, "GAME_DATE")
    if season_of(game_date) != season:
        raise RowError(
            "GAME_DATE", f"GAME_DATE {game_date} is not in the season {season} of SEASON_ID"
        )
    team = tricode(row, "TEAM_ABBREVIATION", label=optional_text(row, "TEAM_NAME"))
    first, second, first_is_home = matchup(row, "MATCHUP")
    if team == first:
        opponent, is_home = second, first_is_home
    elif team == second:  # neutral-site games list both rows as "away @ home"
        opponent, is_home = first, not first_is_home
    else:
        raise RowError(
            "MATCHUP", f"MATCHUP {row['MATCHUP'].strip()!r} does not include the team {team}"
        )
    result = row["WL"].strip().upper()
    if result not in _WIN:
        raise RowError("WL", f"WL {row['WL'].strip()!r} is not W, L or empty")
    plus_minus = number(row, "PLUS_MINUS") if optional_text(row, "PLUS_MINUS") else None
    return {
        "game_id": game_id(row, "GAME_ID"), "game_date": game_date, "season": season,
        "season_type": season_type, "team": team, "opponent": opponent, "is_home": is_home,
        "win": _WIN[result], "minutes": number(row, "MIN", minimum=0),
        **{column: count(row, name) for column, name in _COUNTS.items()},
        "plus_minus": plus_minus,
    }


def _keep_fullest(lines: list[Line]) -> tuple[list[Line], list[Quarantined]]:
    """One row per (game, team): the one with the most minutes; the rest are quarantined."""
    best: dict[tuple[str, str], Line] = {}
    for line in lines:
        key = (line.row["game_id"], line.row["team"])
        if key not in best or line.row["minutes"] > best[key].row["minutes"]:
            best[key] = line
    kept = [line for line in lines if best[(line.row["game_id"], line.row["team"])] is line]
    dropped = []
    for line in lines:
        winner = best[(line.row["game_id"], line.row["team"])]
        if winner is not line:
            dropped.append(Quarantined(
                line.record.line_number, "GAME_ID",
                f"repeats GAME_ID {line.row['game_id']} for {line.row['team']}; line "
                f"{winner.record.line_number} ({winner.row['minutes']:g} minutes) was kept",
                line.record.raw_line,
            ))
    return kept, dropped


def _game_of(row: TableRow) -> TableRow:
    home, away = row["team"], row["opponent"]
    if not row["is_home"]:
        home, away = away, home
    return {
        "game_id": row["game_id"], "game_date": row["game_date"], "season": row["season"],
        "season_type": row["season_type"], "home_team": home, "away_team": away,
        "tipoff_utc": None, "source_key": row["source_key"],
    }


def _fold_games(lines: list[Line]) -> tuple[list[Line], list[TableRow], list[Quarantined]]:
    """One history_games row per game; rows disagreeing with its first row are quarantined."""
    games: dict[str, tuple[TableRow, int]] = {}
    kept: list[Line] = []
    dropped: list[Quarantined] = []
    for line in sorted(lines, key=lambda item: item.record.line_number):
        game = _game_of(line.row)
        known = games.get(game["game_id"])
        if known is None:
            games[game["game_id"]] = (game, line.record.line_number)
        elif known[0] != game:
            dropped.append(Quarantined(
                line.record.line_number, "MATCHUP",
                f"disagrees with line {known[1]} about the date, type or home team of GAME_ID "
                f"{game['game_id']}",
                line.record.raw_line,
            ))
            continue
        kept.append(line)
    return kept, [game for game, _ in games.values()], dropped


def parse(source: SourceFile, context: ParseContext) -> Parsed:
    lines, quarantined = parse_lines(source, parse_row, context)
    lines, repeats = _keep_fullest(lines)
    lines, games, disagreeing = _fold_games(lines)
    return Parsed(
        rows={_tables.TEAM_BOXSCORES: [line.row for line in lines], _tables.GAMES: games},
        quarantined=quarantined + repeats + disagreeing,
        lines_loaded=len(lines),
    )
