"""Real-data ingestion: CSV history into the nba_raw tables, with quarantine and match rates."""

from nbaprops.ingest._formats import FORMATS, Format, detect_format
from nbaprops.ingest._ingest import expand_paths, ingest_file, ingest_paths
from nbaprops.ingest._report import FAILED, LOADED, UNCHANGED, FileReport, IngestReport

__all__ = [
    "FAILED",
    "FORMATS",
    "LOADED",
    "UNCHANGED",
    "FileReport",
    "Format",
    "IngestReport",
    "detect_format",
    "expand_paths",
    "ingest_file",
    "ingest_paths",
]
