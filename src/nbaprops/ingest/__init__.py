"""Real-data ingestion: CSV history into the nba_raw tables, with quarantine and match rates."""

from nbaprops.ingest._formats import FORMATS, Format, LayoutMatch, detect_format, match_layout
from nbaprops.ingest._ingest import expand_paths, ingest_file, ingest_paths, nothing_to_ingest
from nbaprops.ingest._parse import Quarantined
from nbaprops.ingest._quarantine import HeldLine, Quarantine, files_matching, held_lines
from nbaprops.ingest._report import (
    FAILED,
    LOADED,
    NO_ROWS,
    UNCHANGED,
    WHOLE_LINE,
    FileReport,
    IngestReport,
)

__all__ = [
    "FAILED",
    "FORMATS",
    "LOADED",
    "NO_ROWS",
    "UNCHANGED",
    "WHOLE_LINE",
    "FileReport",
    "Format",
    "HeldLine",
    "IngestReport",
    "LayoutMatch",
    "Quarantine",
    "Quarantined",
    "detect_format",
    "expand_paths",
    "files_matching",
    "held_lines",
    "ingest_file",
    "ingest_paths",
    "match_layout",
    "nothing_to_ingest",
]
