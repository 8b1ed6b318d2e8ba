"""The replay source over recorded nba.com history: what the live parsers' rows must equal."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from nbaprops.config import ReplayConfig
from nbaprops.ingest import ingest_paths
from nbaprops.sources import ReplaySource
from nbaprops.warehouse import Warehouse


@contextmanager
def replay_over(files: Sequence[Path], warehouse_path: Path) -> Iterator[ReplaySource]:
    """A ReplaySource serving every season type, over a warehouse that ingested `files`."""
    with Warehouse.open(warehouse_path) as warehouse:
        report = ingest_paths(warehouse, list(files))
        assert report.ok, report.to_json()
        yield ReplaySource(
            warehouse, ReplayConfig(), season_types=("preseason", "regular", "play_in", "playoffs", "cup_final")
        )
