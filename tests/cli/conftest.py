"""A small synthetic league, ingested once per session, copied into a fresh home per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.cli.sim_cli import CONFIG

from nbaprops.config import Settings, SyntheticConfig
from nbaprops.home import Home
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse


@pytest.fixture(scope="session")
def league_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The warehouse file of a 6-day, 4-team league and its game dates."""
    folder = tmp_path_factory.mktemp("cli-league")
    path = folder / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        history = prepare_synthetic_history(
            warehouse, SyntheticConfig(teams=4, players_per_team=8), days=6, out_dir=folder / "files"
        )
        dates = ReplaySource(warehouse, Settings().replay).game_dates(
            history.league.first_date, history.league.last_date
        )
    return path, [d.isoformat() for d in dates]


@pytest.fixture
def cli_home(tmp_path: Path, league_file: tuple[Path, list[str]]) -> Home:
    home = Home(tmp_path / "home").ensure()
    shutil.copyfile(league_file[0], home.warehouse_path)
    home.config_path.write_text(CONFIG)
    return home
