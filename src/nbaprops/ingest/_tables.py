"""Arrow schemas of the nba_raw tables ingest writes (migration 0001 is the contract)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

GAMES = "nba_raw.history_games"
TEAM_BOXSCORES = "nba_raw.history_team_boxscores"
PLAYER_BOXSCORES = "nba_raw.history_player_boxscores"
PROP_LINES = "nba_raw.history_prop_lines"
INJURIES = "nba_raw.history_injuries"
QUARANTINE = "nba_raw.quarantine"
INGESTED_FILES = "nba_raw.ingested_files"

HISTORY_TABLES = (GAMES, TEAM_BOXSCORES, PLAYER_BOXSCORES, PROP_LINES, INJURIES)

_TIMESTAMP = pa.timestamp("us")
_COUNTS = ("pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast",
           "stl", "blk", "tov", "pf")


def _counts() -> list[tuple[str, pa.DataType]]:
    return [(name, pa.int32()) for name in _COUNTS]


SCHEMAS: dict[str, pa.Schema] = {
    GAMES: pa.schema([
        ("game_id", pa.string()), ("game_date", pa.date32()), ("season", pa.string()),
        ("season_type", pa.string()), ("home_team", pa.string()), ("away_team", pa.string()),
        ("tipoff_utc", _TIMESTAMP), ("source_key", pa.string()),
    ]),
    TEAM_BOXSCORES: pa.schema([
        ("game_id", pa.string()), ("game_date", pa.date32()), ("season", pa.string()),
        ("season_type", pa.string()), ("team", pa.string()), ("opponent", pa.string()),
        ("is_home", pa.bool_()), ("win", pa.bool_()), ("minutes", pa.float64()), *_counts(),
        ("plus_minus", pa.float64()), ("source_key", pa.string()), ("source_line", pa.int32()),
    ]),
    PLAYER_BOXSCORES: pa.schema([
        ("game_date", pa.date32()), ("season", pa.string()), ("player_name", pa.string()),
        ("player_lookup", pa.string()), ("player_id", pa.string()), ("team", pa.string()),
        ("opponent", pa.string()), ("is_home", pa.bool_()), ("minutes", pa.float64()), *_counts(),
        ("plus_minus", pa.float64()), ("source_key", pa.string()), ("source_line", pa.int32()),
    ]),
    PROP_LINES: pa.schema([
        ("game_date", pa.date32()), ("event_id", pa.string()), ("player_name", pa.string()),
        ("player_lookup", pa.string()), ("market", pa.string()), ("bookmaker", pa.string()),
        ("line", pa.float64()), ("over_price", pa.int32()), ("under_price", pa.int32()),
        ("snapshot_utc", _TIMESTAMP), ("tipoff_utc", _TIMESTAMP), ("home_team", pa.string()),
        ("away_team", pa.string()), ("source_key", pa.string()), ("source_line", pa.int32()),
    ]),
    INJURIES: pa.schema([
        ("game_date", pa.date32()), ("team", pa.string()), ("player_name", pa.string()),
        ("player_lookup", pa.string()), ("status", pa.string()), ("reason", pa.string()),
        ("reported_utc", _TIMESTAMP), ("source_key", pa.string()), ("source_line", pa.int32()),
    ]),
    QUARANTINE: pa.schema([
        ("source_key", pa.string()), ("line_number", pa.int32()), ("format", pa.string()),
        ("field", pa.string()), ("reason", pa.string()), ("raw_line", pa.string()),
        ("quarantined_utc", _TIMESTAMP),
    ]),
    INGESTED_FILES: pa.schema([
        ("source_key", pa.string()), ("format", pa.string()), ("sha256", pa.string()),
        ("rows_loaded", pa.int32()), ("rows_quarantined", pa.int32()),
        ("ingested_utc", _TIMESTAMP),
    ]),
}


def arrow_rows(table: str, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with the column types of `table` (missing keys are NULL)."""
    return pa.Table.from_pylist(list(rows), schema=SCHEMAS[table])
