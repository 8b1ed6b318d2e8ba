"""Reading and writing ingest's tables: one transaction per file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from nbaprops.identity._seasons import SEASON_START_MONTH
from nbaprops.ingest import _tables
from nbaprops.ingest._formats import FORMATS, Format
from nbaprops.ingest._parse import Parsed, Quarantined
from nbaprops.warehouse import Warehouse


def previous_ingest(warehouse: Warehouse, source_key: str) -> dict[str, Any] | None:
    rows = warehouse.query(
        "SELECT format, sha256, rows_loaded, rows_quarantined FROM nba_raw.ingested_files "
        "WHERE source_key = ?", [source_key])
    return rows[0] if rows else None


def loaded_schedule(warehouse: Warehouse) -> frozenset[tuple[date, str, str]]:
    """(game_date, home, away) of every game in history_games."""
    rows = warehouse.query("SELECT game_date, home_team, away_team FROM nba_raw.history_games")
    return frozenset((r["game_date"], r["home_team"], r["away_team"]) for r in rows)


def write(
    warehouse: Warehouse, *, source_key: str, format_name: str, sha256: str, parsed: Parsed,
    replaces: Format | None, now_utc: datetime,
) -> None:
    """Replace everything this file wrote before with `parsed`, in one transaction.

    `replaces` is the layout the file had when it was last ingested: its tables are cleared
    too, so a file whose layout changed leaves nothing behind in tables it no longer feeds.
    """
    quarantine = [
        {"source_key": source_key, "line_number": q.line_number, "format": format_name,
         "field": q.field, "reason": q.reason, "raw_line": q.raw_line, "quarantined_utc": now_utc}
        for q in parsed.quarantined
    ]
    ingested = [{
        "source_key": source_key, "format": format_name, "sha256": sha256,
        "rows_loaded": parsed.lines_loaded, "rows_quarantined": len(parsed.quarantined),
        "ingested_utc": now_utc,
    }]
    tables = dict.fromkeys((*FORMATS[format_name].tables, *(replaces.tables if replaces else ())))
    partition = {"source_key": source_key}
    with warehouse.transaction():
        for table in tables:
            rows = _tables.arrow_rows(table, parsed.rows.get(table, []))
            warehouse.replace_partition(table, partition, rows, in_transaction=True)
        if quarantine or replaces is not None:
            warehouse.replace_partition(
                _tables.QUARANTINE, partition, _tables.arrow_rows(_tables.QUARANTINE, quarantine),
                in_transaction=True)
        warehouse.replace_partition(
            _tables.INGESTED_FILES, partition, _tables.arrow_rows(_tables.INGESTED_FILES, ingested),
            in_transaction=True)


_MATCH_SQL = f"""
WITH lines AS (
    SELECT player_name, player_lookup,
           CASE WHEN month(game_date) >= {SEASON_START_MONTH} THEN year(game_date)
                ELSE year(game_date) - 1 END AS season_start
    FROM nba_raw.history_prop_lines WHERE source_key = ?
), known AS (
    SELECT DISTINCT player_lookup, CAST(left(season, 4) AS INTEGER) AS season_start
    FROM nba_raw.history_player_boxscores
    WHERE player_lookup IN (SELECT player_lookup FROM lines)
)
SELECT l.player_name, count(*) AS lines, count(k.player_lookup) AS matched
FROM lines l LEFT JOIN known k USING (player_lookup, season_start)
GROUP BY l.player_name
"""


def match_summary(warehouse: Warehouse, source_key: str) -> tuple[float | None, list[str]]:
    """Share of the file's prop lines whose player has a box score in the same season, and the
    names of the players without one. The share is None when the file loaded no lines."""
    rows = warehouse.query(_MATCH_SQL, [source_key])
    lines = sum(r["lines"] for r in rows)
    matched = sum(r["matched"] for r in rows)
    unmatched = sorted(r["player_name"] for r in rows if r["matched"] < r["lines"])
    return (matched / lines if lines else None), unmatched


def quarantined_lines(warehouse: Warehouse, source_key: str) -> list[Quarantined]:
    """The lines of one file held in nba_raw.quarantine, in line order."""
    rows = warehouse.query(
        "SELECT line_number, field, reason, raw_line FROM nba_raw.quarantine "
        "WHERE source_key = ? ORDER BY line_number", [source_key])
    return [Quarantined(r["line_number"], r["field"], r["reason"], r["raw_line"]) for r in rows]
