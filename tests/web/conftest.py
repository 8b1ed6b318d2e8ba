"""A small demo home (a 4-team synthetic league, three days predicted and graded through the
orchestrator), built once per session by the real `nbaprops demo`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.sim_cli import cli

from nbaprops.config import Settings, load_settings
from nbaprops.home import Home

DEMO_CONFIG = (
    '[predictions]\nmarkets = ["points", "threes"]\nmin_history_games = 2\n'
    "[synthetic]\nteams = 4\nplayers_per_team = 8\n"
)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("web-demo") / "home").ensure()
    home.config_path.write_text(DEMO_CONFIG)
    done = cli(home, "demo", "--days", "3", "--history-days", "3", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pipeline"]["season"]["graded"] > 0
    return home


@pytest.fixture(scope="session")
def demo_settings(demo_home: Home) -> Settings:
    return load_settings(demo_home.config_path)


@pytest.fixture
def empty_home(tmp_path: Path) -> Home:
    return Home(tmp_path / "empty").ensure()
