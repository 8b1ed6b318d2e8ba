"""The home's breaker tables: in the orchestration database, beside DBOS's but never in its schema."""

from __future__ import annotations

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import system_database_url, system_schema
from nbaprops.reliability.breakers import BreakerDatabase, breaker_engine


def breaker_database(home: Home, settings: Settings) -> BreakerDatabase:
    """The breaker tables of `home`, created if missing: in the SQLite file's main schema, or on
    PostgreSQL in `nbaprops_<home>` beside DBOS's `dbos_<home>`, so homes sharing a database keep apart."""
    schema = None
    if settings.orchestration.database_url is not None:
        schema = "nbaprops" + system_schema(home, settings).removeprefix("dbos")
    home.orchestration_db_path.parent.mkdir(parents=True, exist_ok=True)
    database = BreakerDatabase(breaker_engine(system_database_url(home, settings)), schema=schema)
    database.create()
    return database
