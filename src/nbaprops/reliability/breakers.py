"""Circuit breakers per live source (pybreaker), their state in the orchestration database.

Every process that opens the same database shares one breaker per source: one row of
`nbaprops_breakers` (state, failure and success counters, opened_at) and, for each change of state,
one row of `nbaprops_breaker_events` (from, to, reason, at). On PostgreSQL both tables live in a
schema of our own, never in DBOS's.

Time goes through the one clock: pybreaker stamps `opened_at` with the wall clock and compares
against it, so the storage stamps the clock's instant instead, and `SourceBreaker.call` decides
when the reset timeout has elapsed before pybreaker sees the open state. Two processes may both
probe a half-open source at once; either's answer settles it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pybreaker
import sqlalchemy as sa

from nbaprops.clock import Clock
from nbaprops.config import BreakerConfig
from nbaprops.errors import SourceCircuitOpenError, SourceFailure
from nbaprops.suggestions import check_sources

T = TypeVar("T")

CLOSED = pybreaker.STATE_CLOSED
OPEN = pybreaker.STATE_OPEN
HALF_OPEN = pybreaker.STATE_HALF_OPEN

_REASONS = {
    (CLOSED, OPEN): "{failures} counted failures in a row reached fail_max",
    (HALF_OPEN, OPEN): "the probe failed; refusing calls for another reset timeout",
    (OPEN, HALF_OPEN): "the reset timeout elapsed; letting one probe through",
    (HALF_OPEN, CLOSED): "the probe succeeded: the source recovered and takes traffic back",
}


def breaker_tables(schema: str | None) -> tuple[sa.Table, sa.Table]:
    """The breaker state table and the breaker events table, in `schema` (None: the default one)."""
    metadata = sa.MetaData(schema=schema)
    state = sa.Table(
        "nbaprops_breakers", metadata,
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failure_count", sa.Integer, nullable=False),
        sa.Column("success_count", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    events = sa.Table(
        "nbaprops_breaker_events", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False, index=True),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    return state, events


def breaker_engine(url: str) -> sa.Engine:
    """An engine on the orchestration database; SQLite waits for other processes' writes."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def configure(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=30000")

    return engine


class BreakerDatabase:
    """The breaker tables on one database: created on first use, read for reports."""

    def __init__(self, engine: sa.Engine, *, schema: str | None = None) -> None:
        self.engine = engine
        self.schema = schema
        self.state_table, self.events_table = breaker_tables(schema)

    def create(self) -> None:
        """Create the schema (PostgreSQL) and both tables if missing."""
        with self.engine.begin() as connection:
            if self.schema is not None:
                connection.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            self.state_table.metadata.create_all(connection)

    def states(self) -> dict[str, BreakerState]:
        """Each known source's breaker, by source."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(self.state_table)).mappings().all()
        return {row["source"]: BreakerState(row["source"], row["state"], row["failure_count"],
                                            _utc(row["opened_at"])) for row in rows}

    def events(self, source: str | None = None) -> list[BreakerEvent]:
        """The recorded changes of state, oldest first; of one source if given."""
        query = sa.select(self.events_table).order_by(self.events_table.c.id)
        if source is not None:
            query = query.where(self.events_table.c.source == source)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [BreakerEvent(row["source"], row["from_state"], row["to_state"], row["reason"], _utc_instant(row["at"]))
                for row in rows]


@dataclass(frozen=True)
class BreakerState:
    """One source's breaker as stored."""

    source: str
    state: str
    failure_count: int
    opened_at: datetime | None


@dataclass(frozen=True)
class BreakerEvent:
    """One change of a breaker's state."""

    source: str
    from_state: str
    to_state: str
    reason: str
    at: datetime


class DatabaseBreakerStorage(pybreaker.CircuitBreakerStorage):
    """pybreaker's storage as one row per source in the orchestration database; a change of state
    is written with its event in one transaction."""

    def __init__(self, source: str, database: BreakerDatabase, *, clock: Clock) -> None:
        super().__init__(source)
        self._source = source
        self._database = database
        self._clock = clock
        self._table = database.state_table
        self._row = self._table.c.source == source
        with database.engine.connect() as connection:
            exists = connection.execute(sa.select(self._table.c.source).where(self._row)).first()
        if exists is None:
            # another process may insert the row between the look and the insert: theirs stands
            with contextlib.suppress(sa.exc.IntegrityError), database.engine.begin() as connection:
                connection.execute(self._table.insert().values(
                    source=source, state=CLOSED, failure_count=0, success_count=0, opened_at=None,
                    updated_at=clock.now()))

    def _read(self, column: str) -> Any:
        with self._database.engine.connect() as connection:
            return connection.execute(sa.select(self._table.c[column]).where(self._row)).scalar_one()

    def _write(self, **values: Any) -> None:
        with self._database.engine.begin() as connection:
            connection.execute(self._table.update().where(self._row).values(updated_at=self._clock.now(), **values))

    @property
    def state(self) -> str:
        return str(self._read("state"))

    @state.setter
    def state(self, state: str) -> None:
        now = self._clock.now()
        with self._database.engine.begin() as connection:
            current = connection.execute(
                sa.select(self._table.c.state, self._table.c.failure_count).where(self._row)).one()
            connection.execute(self._table.update().where(self._row).values(state=state, updated_at=now))
            if current.state != state:
                reason = _REASONS.get((current.state, state), "set by hand").format(failures=current.failure_count)
                connection.execute(self._database.events_table.insert().values(
                    source=self._source, from_state=current.state, to_state=state, reason=reason, at=now))

    def increment_counter(self) -> None:
        self._write(failure_count=self._table.c.failure_count + 1)

    def reset_counter(self) -> None:
        self._write(failure_count=0)

    def increment_success_counter(self) -> None:
        self._write(success_count=self._table.c.success_count + 1)

    def reset_success_counter(self) -> None:
        self._write(success_count=0)

    @property
    def counter(self) -> int:
        return int(self._read("failure_count"))

    @property
    def success_counter(self) -> int:
        return int(self._read("success_count"))

    @property
    def opened_at(self) -> datetime | None:
        return _utc(self._read("opened_at"))

    @opened_at.setter
    def opened_at(self, _wall_clock: datetime) -> None:
        # pybreaker passes datetime.now(); the one clock decides instead, so virtual time works.
        self._write(opened_at=self._clock.now())


class SourceBreaker:
    """The circuit breaker of one source: `call` runs a fetch under it, or refuses without one."""

    def __init__(self, source: str, config: BreakerConfig, *, database: BreakerDatabase, clock: Clock) -> None:
        self.source = source
        self._config = config
        self._clock = clock
        self._storage = DatabaseBreakerStorage(source, database, clock=clock)
        counted = frozenset(config.counted_failures)
        self._breaker = pybreaker.CircuitBreaker(
            fail_max=config.fail_max,
            reset_timeout=config.reset_timeout_seconds,
            exclude=[lambda error: not (isinstance(error, SourceFailure) and error.kind.value in counted)],
            state_storage=self._storage,
            name=source,
            throw_new_error_on_trip=False,
        )

    @property
    def state(self) -> str:
        """closed, open or half-open."""
        return self._storage.state

    def call(self, fetch: Callable[[], T]) -> T:
        """Run `fetch` unless the breaker is open; raise `SourceCircuitOpenError` without calling it if so."""
        if self._storage.state == OPEN:
            opened_at = self._storage.opened_at or self._clock.now()
            retry_at = opened_at + timedelta(seconds=self._config.reset_timeout_seconds)
            if self._clock.now() < retry_at:
                raise SourceCircuitOpenError(
                    f"{self.source}: the circuit breaker is open since {opened_at.isoformat()} after "
                    f"{self._config.fail_max} failures in a row; no request is sent until {retry_at.isoformat()} "
                    f"([sources.{self.source}.breaker] reset_timeout_seconds). See {check_sources()}.",
                    source=self.source, retry_at=retry_at,
                )
            self._breaker.half_open()
        return self._breaker.call(fetch)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else _utc_instant(value)


def _utc_instant(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored instant is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
