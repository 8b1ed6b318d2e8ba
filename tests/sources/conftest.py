"""A small synthetic league and the warehouse it was ingested into; a loopback server for live sources."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.sources.loopback import LoopbackServer, serve

from nbaprops.clock import VirtualClock
from nbaprops.config import SyntheticConfig
from nbaprops.ingest import ingest_paths
from nbaprops.sources import SyntheticLeague, generate_league
from nbaprops.sources.raw_store import RawStore
from nbaprops.warehouse import Warehouse

LEAGUE_DAYS = 40
LEAGUE_CONFIG = SyntheticConfig(seed=11, late_line_share=0.2)


@pytest.fixture(scope="session")
def league(tmp_path_factory: pytest.TempPathFactory) -> SyntheticLeague:
    return generate_league(
        LEAGUE_CONFIG, days=LEAGUE_DAYS, out_dir=tmp_path_factory.mktemp("league")
    )


@pytest.fixture(scope="session")
def short_league(tmp_path_factory: pytest.TempPathFactory) -> SyntheticLeague:
    return generate_league(LEAGUE_CONFIG, days=10, out_dir=tmp_path_factory.mktemp("short-league"))


@pytest.fixture(scope="session")
def league_warehouse(
    tmp_path_factory: pytest.TempPathFactory, short_league: SyntheticLeague
) -> Iterator[Warehouse]:
    with Warehouse.open(
        tmp_path_factory.mktemp("league-warehouse") / "warehouse.duckdb"
    ) as warehouse:
        report = ingest_paths(warehouse, short_league.paths)
        assert report.ok, report.to_json()
        yield warehouse


# -- live sources: a loopback server, a clock that records its waits, a raw store -----------------


class RecordingClock(VirtualClock):
    """A virtual clock that remembers every wait asked of it."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1 (random port), scripted by the test; see tests/sources/loopback.py."""
    with serve() as server:
        yield server


@pytest.fixture
def recording_clock() -> RecordingClock:
    return RecordingClock(datetime(2025, 1, 10, 18, 0, tzinfo=UTC))


@pytest.fixture
def raw_store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "raw")
