"""Writes the synthetic season in the real files' layouts, as byte-for-byte reproducible .csv.gz."""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from nbaprops.sources.synthetic_market import BOOKMAKERS, MARKET_KEYS
from nbaprops.sources.synthetic_names import normalized_name
from nbaprops.sources.synthetic_roster import Player
from nbaprops.sources.synthetic_schedule import ScheduledGame
from nbaprops.sources.synthetic_season import SeasonRecords
from nbaprops.sources.synthetic_teams import Team

TEAM_GAME_LOG_COLUMNS = (
    "SEASON_ID", "TEAM_ID", "TEAM_ABBREVIATION", "TEAM_NAME", "GAME_ID", "GAME_DATE", "MATCHUP",
    "WL", "MIN", "PTS", "FGM", "FGA", "FG_PCT", "FG3M", "FG3A", "FG3_PCT", "FTM", "FTA", "FT_PCT",
    "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF", "PLUS_MINUS", "SEASON",
)
PLAYER_GAME_LOG_COLUMNS = (
    "player", "player_id", "date", "matchup", "result", "minutes", "fgm", "fga", "fg_pct",
    "threes_made", "threes_attempted", "three_pct", "ftm", "fta", "ft_pct", "oreb", "dreb", "reb",
    "ast", "stl", "blk", "tov", "pf", "pts", "plus_minus", "opponent", "home_away",
    "player_normalized",
)
PROP_LINE_COLUMNS = (
    "player", "game", "game_time", "market", "line", "bookmaker", "bookmaker_last_update",
    "market_last_update", "over_odds", "under_odds",
)
INJURY_COLUMNS = ("game_date", "team", "player", "status", "reason", "reported_at")
_ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


def write_team_game_logs(path: Path, records: SeasonRecords, *, season: str) -> int:
    """nba.com LeagueGameLog layout, two rows a game."""
    season_id = f"2{season[:4]}"

    def rows() -> Iterable[Sequence[Any]]:
        for row in records.team_rows:
            game: ScheduledGame = row["game"]
            team: Team = row["team"]
            yield (
                season_id,
                team.team_id,
                team.tricode,
                team.name,
                game.game_id,
                game.game_date.isoformat(),
                row["matchup"],
                row["result"],
                row["minutes"],
                row["pts"],
                row["fgm"],
                row["fga"],
                _pct(row["fgm"], row["fga"]),
                row["fg3m"],
                row["fg3a"],
                _pct(row["fg3m"], row["fg3a"]),
                row["ftm"],
                row["fta"],
                _pct(row["ftm"], row["fta"]),
                row["oreb"],
                row["dreb"],
                row["reb"],
                row["ast"],
                row["stl"],
                row["blk"],
                row["tov"],
                row["pf"],
                float(row["plus_minus"]),
                season,
            )

    return _write_csv(path, TEAM_GAME_LOG_COLUMNS, rows())


def write_player_game_logs(path: Path, records: SeasonRecords) -> int:
    """Player game logs: one row a player who played, no game id (join on date and team)."""

    def rows() -> Iterable[Sequence[Any]]:
        for row in records.player_rows:
            player: Player = row["player"]
            game: ScheduledGame = row["game"]
            yield (
                player.name,
                player.player_id,
                game.game_date.isoformat(),
                row["matchup"],
                row["result"],
                float(row["minutes"]),
                row["fgm"],
                row["fga"],
                _pct(row["fgm"], row["fga"]),
                row["fg3m"],
                row["fg3a"],
                _pct(row["fg3m"], row["fg3a"]),
                row["ftm"],
                row["fta"],
                _pct(row["ftm"], row["fta"]),
                row["oreb"],
                row["dreb"],
                row["reb"],
                row["ast"],
                row["stl"],
                row["blk"],
                row["tov"],
                row["pf"],
                row["pts"],
                row["plus_minus"],
                row["opponent"],
                "HOME" if row["is_home"] else "AWAY",
                normalized_name(player.name),
            )

    return _write_csv(path, PLAYER_GAME_LOG_COLUMNS, rows())


def write_injuries(path: Path, records: SeasonRecords) -> int:
    """Injury report entries in the order they were reported."""
    ordered = sorted(records.injury_rows, key=lambda r: (r["reported_at"], r["team"], r["player"]))
    rows = (
        (
            r["game_date"].isoformat(),
            r["team"],
            r["player"],
            r["status"],
            r["reason"],
            _iso(r["reported_at"]),
        )
        for r in ordered
    )
    return _write_csv(path, INJURY_COLUMNS, rows)


def write_prop_lines(
    path: Path, records: SeasonRecords, *, teams: list[Team], prop_names: Sequence[str]
) -> dict[str, int]:
    """Odds API snapshot layout, ordered by snapshot time; returns rows per market key."""
    lines = records.lines()
    order = np.lexsort(
        (lines["market"], lines["player"], lines["book"], lines["game"], lines["snapshot"])
    )
    lines = {name: column[order] for name, column in lines.items()}
    games = records.games
    game_names = [f"{teams[g.away].name} @ {teams[g.home].name}" for g in games]
    table = pa.table(
        {
            "player": _coded(lines["player"], list(prop_names)),
            "game": _coded(lines["game"], game_names),
            "game_time": _coded(lines["game"], [_iso(g.tipoff_utc) for g in games]),
            "market": _coded(lines["market"], list(MARKET_KEYS)),
            "line": pa.array(lines["line"], pa.float64()),
            "bookmaker": _coded(lines["book"], list(BOOKMAKERS)),
            "bookmaker_last_update": _iso_column(lines["book_update"]),
            "market_last_update": _iso_column(lines["snapshot"]),
            "over_odds": pa.array(lines["over"], pa.int64()),
            "under_odds": pa.array(lines["under"], pa.int64()),
        }
    )
    body = io.BytesIO()
    body.write((",".join(PROP_LINE_COLUMNS) + "\n").encode())
    pa_csv.write_csv(table, body, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
    _write_gzip(path, body.getvalue())
    counts = np.bincount(lines["market"], minlength=len(MARKET_KEYS))
    return {key: int(count) for key, count in zip(MARKET_KEYS, counts, strict=True)}


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    _write_gzip(path, text.getvalue().encode("utf-8"))
    return count


def _write_gzip(path: Path, data: bytes) -> None:
    """Gzip with no name and mtime 0 (same bytes every run), via a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=4) as zipped,
    ):
        zipped.write(data)
    os.replace(partial, path)


def _pct(made: int, attempted: int) -> float:
    return round(made / attempted, 3) if attempted else 0.0


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_ISO_UTC)


def _coded(codes: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(
        pa.array(codes.astype(np.int32)), pa.array(labels, pa.string())
    )


def _iso_column(epoch_seconds: np.ndarray) -> pa.DictionaryArray:
    unique, codes = np.unique(epoch_seconds, return_inverse=True)
    labels = [
        text + "Z"
        for text in np.datetime_as_string(unique.astype("datetime64[s]"), unit="s").tolist()
    ]
    return _coded(codes, labels)
