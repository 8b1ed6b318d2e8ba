"""What an ingest did, per file and in total."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOADED = "loaded"
UNCHANGED = "unchanged"
FAILED = "failed"
# quarantined_by_field key of lines refused as a whole (wrong field count, repeated lines)
WHOLE_LINE = "*"


@dataclass
class FileReport:
    """One file's outcome. `match_rate` is set on prop-line files only."""

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
        }


@dataclass
class IngestReport:
    """Every file of one `ingest_paths` call, in the order they were given."""

    files: list[FileReport]

    @property
    def ok(self) -> bool:
        """True when every file loaded or was unchanged."""
        return all(report.status != FAILED for report in self.files)

    def to_json(self) -> dict[str, Any]:
        statuses = [report.status for report in self.files]
        return {
            "files": [report.to_json() for report in self.files],
            "totals": {
                "files": len(self.files),
                LOADED: statuses.count(LOADED),
                UNCHANGED: statuses.count(UNCHANGED),
                FAILED: statuses.count(FAILED),
                "rows_loaded": sum(report.rows_loaded for report in self.files),
                "rows_quarantined": sum(report.rows_quarantined for report in self.files),
            },
        }
