"""Fixtures for the orchestrator: a home holding a small synthetic league, and settings whose
system database is SQLite under the home or a PostgreSQL database made for this test run."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from nbaprops.config import Settings, SyntheticConfig
from nbaprops.home import Home
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import build_history, history_gap
from nbaprops.orchestration.worker_processes import kill
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse

POSTGRES_SERVER = os.environ.get("NBAPROPS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
TEST_MARKETS = ["points", "threes"]


@dataclass(frozen=True)
class League:
    """The synthetic league every orchestration test plays: its warehouse file and game dates."""

    warehouse_path: Path
    game_dates: list[date]


@pytest.fixture(scope="session")
def league(tmp_path_factory: pytest.TempPathFactory) -> League:
    folder = tmp_path_factory.mktemp("league")
    path = folder / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        history = prepare_synthetic_history(
            warehouse,
            SyntheticConfig(teams=4, players_per_team=8),
            days=10,
            out_dir=folder / "files",
        )
        dates = ReplaySource(warehouse, Settings().replay).game_dates(
            history.league.first_date, history.league.last_date
        )
    return League(path, dates)


@pytest.fixture
def league_home(tmp_path: Path, league: League) -> Home:
    """A fresh home whose warehouse already holds the league's history."""
    home = Home(tmp_path / "home").ensure()
    shutil.copyfile(league.warehouse_path, home.warehouse_path)
    return home


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own on the local PostgreSQL server, dropped after the test run."""
    import psycopg

    name = f"nbaprops_test_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        message = f"PostgreSQL is not reachable at {POSTGRES_SERVER}: {e}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield f"{POSTGRES_SERVER}/{name}"
        finally:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
            )
            admin.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Live processes a test starts (workers, commands): those still running when it ends are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    kill(*started)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str | None:
    """None: SQLite under the home; else the URL of the test run's PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


def make_settings(
    database_url: str | None = None,
    *,
    predictions: dict[str, Any] | None = None,
    **orchestration: Any,
) -> Settings:
    """Default settings, two markets (fast), one game of history enough for a prediction (the
    tests run days near the league's start), the system database at `database_url`."""
    section: dict[str, Any] = dict(orchestration)
    if database_url is not None:
        section["database_url"] = database_url
    return Settings(
        orchestration=section,
        predictions={"markets": TEST_MARKETS, "min_history_games": 1, **(predictions or {})},
    )


@pytest.fixture
def settings(backend: str | None) -> Settings:
    return make_settings(backend)


def with_history(home: Home, settings: Settings, day: date) -> None:
    """Build the history `day`'s features need, as `nbaprops run` does first."""
    gap = history_gap(home, settings, game_date=day, source=SourceKind.SIM)
    built = build_history(home, settings, gap=gap, source=SourceKind.SIM)
    assert built is not None and built.outcome.ok
