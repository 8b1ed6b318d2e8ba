"""A home's breaker tables: SQLite beside DBOS's, or a schema of the home's own on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from nbaprops.clock import VirtualClock
from nbaprops.config import BreakerConfig, Settings
from nbaprops.errors import FailureKind, SourceServerError
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database, open_breakers
from nbaprops.reliability.breakers import OPEN, SourceBreaker


def open_breaker(home: Home, settings: Settings) -> None:
    def failing() -> None:
        raise SourceServerError("down", kind=FailureKind.SERVER_ERROR, source="nbacom", endpoint="schedule")

    database = breaker_database(home, settings)
    breaker = SourceBreaker("nbacom", BreakerConfig(fail_max=1), database=database,
                            clock=VirtualClock(datetime(2025, 1, 10, tzinfo=UTC)))
    with pytest.raises(SourceServerError):
        breaker.call(failing)
    database.engine.dispose()


def test_sqlite_keeps_them_in_the_orchestration_file(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    assert open_breakers(home, Settings()) == []
    assert not home.orchestration_db_path.exists()  # reading creates nothing
    open_breaker(home, Settings())
    assert open_breakers(home, Settings()) == ["nbacom"]
    database = breaker_database(home, Settings())
    assert database.schema is None and database.states()["nbacom"].state == OPEN
    assert str(database.engine.url) == f"sqlite:///{home.orchestration_db_path}"
    database.engine.dispose()


@pytest.mark.postgres
def test_postgres_homes_sharing_a_database_keep_their_breakers_apart(tmp_path: Path, postgres_url: str) -> None:
    settings = Settings.model_validate({"orchestration": {"database_url": postgres_url}})
    first, second = Home(tmp_path / "first").ensure(), Home(tmp_path / "second").ensure()
    open_breaker(first, settings)
    mine, theirs = breaker_database(first, settings), breaker_database(second, settings)
    try:
        assert mine.schema is not None and mine.schema.startswith("nbaprops_") and mine.schema != theirs.schema
        assert mine.states()["nbacom"].state == OPEN and theirs.states() == {}
        assert (open_breakers(first, settings), open_breakers(second, settings)) == (["nbacom"], [])
    finally:
        for database in (mine, theirs):
            with database.engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{database.schema}" CASCADE'))
            database.engine.dispose()
