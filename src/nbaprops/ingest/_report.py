"""What an ingest did, per file and in total."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbaprops.ingest._parse import Quarantined

LOADED = "loaded"
UNCHANGED = "unchanged"
FAILED = "failed"
NO_ROWS = "no rows"  # a header and nothing below it: nothing is written, and it counts as failed
# quarantined_by_field key of lines refused as a whole (wrong field count, repeated lines)
WHOLE_LINE = "*"


@dataclass
class FileReport:
    """One file's outcome. `match_rate` is set on prop-line files only.

    `quarantined` holds every quarantined line, in line order; `extra_columns` the columns the
    layout does not use (ignored) and `derived_columns` the needed ones computed from others.
    """

    path: Path
    status: str
    format: str | None = None
    rows_loaded: int = 0
    rows_quarantined: int = 0
    match_rate: float | None = None
    unmatched_players: list[str] = field(default_factory=list)
    quarantined_by_field: dict[str, int] = field(default_factory=dict)
    game_dates_corrected: int = 0
    error: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    derived_columns: list[str] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status in (FAILED, NO_ROWS)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "status": self.status,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "match_rate": self.match_rate,
            "unmatched_players": list(self.unmatched_players),
            "error": self.error,
            "quarantined_by_field": dict(self.quarantined_by_field),
            "game_dates_corrected": self.game_dates_corrected,
            "extra_columns": list(self.extra_columns),
            "derived_columns": list(self.derived_columns),
            "quarantined": [
                {"line": q.line_number, "field": q.field, "reason": q.reason}
                for q in self.quarantined
            ],
        }


@dataclass
class IngestReport:
    """Every file of one `ingest_paths` call, in the order they were given."""

    files: list[FileReport]

    @property
    def ok(self) -> bool:
        """True when every file loaded or was unchanged."""
        return not any(report.failed for report in self.files)

    def to_json(self) -> dict[str, Any]:
        statuses = [report.status for report in self.files]
        return {
            "files": [report.to_json() for report in self.files],
            "totals": {
                "files": len(self.files),
                LOADED: statuses.count(LOADED),
                UNCHANGED: statuses.count(UNCHANGED),
                FAILED: sum(report.failed for report in self.files),
                "rows_loaded": sum(report.rows_loaded for report in self.files),
                "rows_quarantined": sum(report.rows_quarantined for report in self.files),
            },
        }
