"""Captured live responses from ../shared/fixtures/sources, read as the HTTP layer would hand them over."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nbaprops.sources import ReplaySource

from .replay_history import replay_over


def read_capture(shared_fixtures: Path, folder: str) -> bytes:
    """The body of the one capture in `folder`, un-gzipped (HTTP clients decode content-encoding)."""
    (path,) = sorted((shared_fixtures / folder).glob("raw_*"))
    body = path.read_bytes()
    return gzip.decompress(body) if path.suffix == ".gz" else body


@pytest.fixture(scope="session")
def capture(shared_fixtures: Path) -> Callable[[str], bytes]:
    return lambda folder: read_capture(shared_fixtures, folder)


@pytest.fixture(scope="session")
def capture_json(capture: Callable[[str], bytes]) -> Callable[[str], dict[str, Any]]:
    """A fresh decoded copy each call, so a test may change it (drift cases)."""
    return lambda folder: json.loads(capture(folder))


@pytest.fixture(scope="session")
def replay_2024_25(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplaySource]:
    """Recorded 2024-25 nba.com history (team and player game logs) served by the replay source."""
    season = shared_data / "2024-25"
    files = [season / "team_game_logs.csv.gz", season / "player_game_logs.csv.gz"]
    with replay_over(files, tmp_path_factory.mktemp("replay-2024-25") / "warehouse.duckdb") as source:
        yield source


@pytest.fixture(scope="session")
def replay_2023_24(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplaySource]:
    """Recorded 2023-24 history (nba.com team game logs, the player box-score export)."""
    season = shared_data / "2023-24"
    files = [season / "team_game_logs.csv.gz", season / "player_boxscores.csv.gz"]
    with replay_over(files, tmp_path_factory.mktemp("replay-2023-24") / "warehouse.duckdb") as source:
        yield source
