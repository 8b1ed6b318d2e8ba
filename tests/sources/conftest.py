"""A small synthetic league, generated once per session, and a warehouse it was ingested into."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nbaprops.config import SyntheticConfig
from nbaprops.ingest import ingest_paths
from nbaprops.sources import SyntheticLeague, generate_league
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
