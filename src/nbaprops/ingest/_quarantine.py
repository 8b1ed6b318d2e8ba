"""What nba_raw.quarantine holds: the lines ingest refused, per file, and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nbaprops.warehouse import Warehouse


@dataclass(frozen=True)
class HeldLine:
    """One quarantined line: its file, line number, layout, column (None: the whole line), why."""

    path: str
    line_number: int
    format: str
    field: str | None
    reason: str
    raw_line: str
    quarantined_utc: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "line": self.line_number, "format": self.format,
            "field": self.field, "reason": self.reason, "raw_line": self.raw_line,
            "quarantined_utc": self.quarantined_utc.isoformat(),
        }


@dataclass(frozen=True)
class Quarantine:
    """The held lines of the files asked for: how many per file, and the first `limit` of them
    ordered by file and line. `files_ingested` counts the ingested files the filter matched."""

    held_per_file: dict[str, int]
    lines: list[HeldLine]
    files_ingested: int

    @property
    def total(self) -> int:
        return sum(self.held_per_file.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total, "shown": len(self.lines), "files_ingested": self.files_ingested,
            "files": [{"path": path, "lines": n} for path, n in self.held_per_file.items()],
            "lines": [line.to_json() for line in self.lines],
        }


def files_matching(source_keys: Iterable[str], wanted: str, *, resolved: Path) -> list[str]:
    """The files a user means by `wanted`: the file (or the files under the folder) at its
    `resolved` path; failing that, every file whose path contains `wanted` (a basename, a tail
    like 2024-25/team_game_logs.csv.gz, a folder name)."""
    keys = sorted(set(source_keys))
    exact = [key for key in keys if key == str(resolved) or key.startswith(f"{resolved}/")]
    return exact or [key for key in keys if wanted and wanted in key]


def held_lines(
    warehouse: Warehouse, *, wanted: str | None = None, resolved: Path | None = None,
    limit: int | None = None,
) -> Quarantine:
    """The quarantined lines of the files `wanted` names (all files when None), see
    `files_matching`; at most `limit` lines (all when None)."""
    ingested = [r["source_key"] for r in warehouse.query(
        "SELECT source_key FROM nba_raw.ingested_files")]
    if wanted is not None:
        ingested = files_matching(ingested, wanted, resolved=resolved or Path(wanted))
    counts = warehouse.query(
        "SELECT source_key, count(*) AS n FROM nba_raw.quarantine "
        "WHERE list_contains(?, source_key) GROUP BY source_key ORDER BY source_key", [ingested])
    rows = warehouse.query(
        "SELECT source_key, line_number, format, field, reason, raw_line, quarantined_utc "
        "FROM nba_raw.quarantine WHERE list_contains(?, source_key) "
        "ORDER BY source_key, line_number LIMIT ?", [ingested, limit])
    return Quarantine(
        held_per_file={r["source_key"]: r["n"] for r in counts},
        lines=[HeldLine(r["source_key"], r["line_number"], r["format"], r["field"], r["reason"],
                        r["raw_line"], r["quarantined_utc"]) for r in rows],
        files_ingested=len(ingested),
    )
