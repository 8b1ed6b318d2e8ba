"""Our injury layout `game_date,team,player,status,reason,reported_at` -> history_injuries."""

from __future__ import annotations

from collections.abc import Mapping

from nbaprops.ingest import _tables
from nbaprops.ingest._fields import RowError, iso_date, optional_text, text, utc_timestamp
from nbaprops.ingest._parse import ParseContext, Parsed, TableRow, drop_repeats, parse_lines
from nbaprops.ingest._player_boxscores import player
from nbaprops.ingest._source import SourceFile
from nbaprops.ingest._teams_in_rows import tricode

STATUSES = ("out", "doubtful", "questionable", "probable", "available")


def parse_row(row: Mapping[str, str]) -> TableRow:
    player_name, key = player(row, "player")
    status = text(row, "status").lower()
    if status not in STATUSES:
        raise RowError(
            "status", f"status {row['status'].strip()!r} is not one of {', '.join(STATUSES)}"
        )
    return {
        "game_date": iso_date(row, "game_date"), "team": tricode(row, "team"),
        "player_name": player_name, "player_lookup": key, "status": status,
        "reason": optional_text(row, "reason"), "reported_utc": utc_timestamp(row, "reported_at"),
    }


def parse(source: SourceFile, context: ParseContext) -> Parsed:
    lines, quarantined = parse_lines(source, parse_row, context)
    lines, repeats = drop_repeats(
        lines,
        lambda row: (row["game_date"], row["team"], row["player_lookup"], row["reported_utc"]),
        field="player", what="same player, team, game date and report time",
    )
    return Parsed(
        rows={_tables.INJURIES: [line.row for line in lines]},
        quarantined=quarantined + repeats,
        lines_loaded=len(lines),
    )
