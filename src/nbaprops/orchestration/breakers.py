"""The home's breaker tables: in the orchestration database, beside DBOS's but never in its schema."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import system_database_url, system_schema
from nbaprops.reliability.breakers import OPEN, BreakerDatabase, BreakerState, breaker_engine


def breaker_database(home: Home, settings: Settings) -> BreakerDatabase:
    """The breaker tables of `home`, created if missing: in the SQLite file's main schema, or on
    PostgreSQL in `nbaprops_<home>` beside DBOS's `dbos_<home>`, so homes sharing a database keep apart."""
    home.orchestration_db_path.parent.mkdir(parents=True, exist_ok=True)
    database = _breaker_tables(home, settings)
    database.create()
    return database


def breaker_states(home: Home, settings: Settings) -> dict[str, str]:
    """Each stored source's breaker state, read without creating anything: none when the home has
    no orchestration database or no breaker tables yet."""
    return {source: stored.state for source, stored in stored_breakers(home, settings).items()}


def stored_breakers(home: Home, settings: Settings) -> dict[str, BreakerState]:
    """Each stored source's breaker (state, failures in a row, opened at), read as `breaker_states` reads."""
    if settings.orchestration.database_url is None and not home.orchestration_db_path.exists():
        return {}
    database = _breaker_tables(home, settings)
    try:
        if not sa.inspect(database.engine).has_table(database.state_table.name, schema=database.schema):
            return {}
        return database.states()
    finally:
        database.engine.dispose()


def breaker_report(home: Home, settings: Settings) -> list[dict[str, Any]]:
    """The breakers of `status --json`, by source: state, failure_count (in a row), opened_at."""
    return [
        {"source": source, "state": stored.state, "failure_count": stored.failure_count,
         "opened_at": None if stored.opened_at is None else stored.opened_at.isoformat()}
        for source, stored in sorted(stored_breakers(home, settings).items())
    ]


def open_breakers(home: Home, settings: Settings) -> list[str]:
    """The sources whose breaker is open."""
    return sorted(source for source, state in breaker_states(home, settings).items() if state == OPEN)


def _breaker_tables(home: Home, settings: Settings) -> BreakerDatabase:
    schema = None
    if settings.orchestration.database_url is not None:
        schema = "nbaprops" + system_schema(home, settings).removeprefix("dbos")
    return BreakerDatabase(breaker_engine(system_database_url(home, settings)), schema=schema)
