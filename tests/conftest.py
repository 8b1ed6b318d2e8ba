"""Shared fixtures: the real data beside the project, a fresh home, an opened warehouse."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.postgres import created_database, database_url, migrated_template

from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def _require(path: Path) -> Path:
    if path.exists():
        return path
    message = f"{path} is missing; the real data lives in ../shared beside the project."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)  # in CI a missing ../shared is a failure, never a silent skip
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data` (fails under CI=true when missing, skips elsewhere)."""
    return _require(SHARED_DIR / "data")


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """`../shared/fixtures/sources` with captured API responses."""
    return _require(SHARED_DIR / "fixtures" / "sources")


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    """Commands run in-process configure logging (a log file under their home); undo it after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home").ensure()


@pytest.fixture
def warehouse(home: Home) -> Iterator[Warehouse]:
    with Warehouse.open(home.warehouse_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database made for this test run, dropped at its end."""
    with migrated_template() as name:
        yield name


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """The URL of a fresh, migrated PostgreSQL database of this test only."""
    with created_database(template=postgres_template) as name:
        yield database_url(name)


@pytest.fixture(params=["duckdb", "postgres"])
def any_warehouse(request: pytest.FixtureRequest, home: Home) -> Iterator[Warehouse]:
    """The warehouse on each backend in turn: a DuckDB file in the home, then a PostgreSQL database."""
    target: Path | str = home.warehouse_path
    if request.param == "postgres":
        target = request.getfixturevalue("postgres_url")
    with Warehouse.open(target) as opened:
        yield opened
