"""Breaker databases: SQLite in tmp_path, or a PostgreSQL database of this test run (see tests/orchestration)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.orchestration.conftest import postgres_url  # noqa: F401 - the shared PostgreSQL fixture
from tests.sources.conftest import loopback, raw_store  # noqa: F401 - the live-source fixtures

from nbaprops.reliability.breakers import BreakerDatabase, breaker_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'orchestration.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def breaker_db(database_url: str) -> Iterator[BreakerDatabase]:
    schema = None if database_url.startswith("sqlite") else "nbaprops_test_breakers"
    database = BreakerDatabase(breaker_engine(database_url), schema=schema)
    database.create()
    yield database
    with database.engine.begin() as connection:
        database.events_table.drop(connection)
        database.state_table.drop(connection)
    database.engine.dispose()
