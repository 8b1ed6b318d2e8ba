"""The executor registry: one row per executor of a home, with its heartbeat, in the orchestration
database beside DBOS's tables (never in DBOS's schema).

Every launched engine registers under its executor ID and application version and records a
heartbeat every `heartbeat_interval_seconds`; a clean stop stamps `stopped_at`. A live worker that
finds an executor gone claims its recovery with one conditional UPDATE (`claim_recovery`), so of
two workers noticing at once exactly one re-enqueues the gone executor's work. Times are epoch
milliseconds (integers compare exactly on every database). Written with SQLAlchemy Core only, so
the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine._system_db import system_database_url, system_schema

UNREGISTERED = "unregistered"
"""The role of an executor known only from the workflows it left (it never registered)."""


def executor_table(schema: str | None) -> sa.Table:
    """`nbaprops_executors` in `schema` (None: the database's default one)."""
    return sa.Table(
        "nbaprops_executors", sa.MetaData(schema=schema),
        sa.Column("executor_id", sa.String(255), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("application_version", sa.String(64), nullable=False),
        sa.Column("started_at_ms", sa.BigInteger, nullable=False),
        sa.Column("heartbeat_at_ms", sa.BigInteger, nullable=False),
        sa.Column("stopped_at_ms", sa.BigInteger),
        sa.Column("recovered_at_ms", sa.BigInteger),
        sa.Column("recovered_by", sa.String(255)),
    )


@dataclass(frozen=True)
class ExecutorRow:
    """One executor as registered."""

    executor_id: str
    role: str
    host: str
    pid: int
    application_version: str
    started_at_ms: int
    heartbeat_at_ms: int
    stopped_at_ms: int | None = None
    recovered_at_ms: int | None = None
    recovered_by: str | None = None

    def heartbeat_age_seconds(self, now_ms: int) -> float:
        return max(0, now_ms - self.heartbeat_at_ms) / 1000

    def to_json(self) -> dict[str, Any]:
        return {
            "executor_id": self.executor_id,
            "role": self.role,
            "host": self.host,
            "pid": self.pid,
            "application_version": self.application_version,
            "started_at_ms": self.started_at_ms,
            "heartbeat_at_ms": self.heartbeat_at_ms,
            "stopped_at_ms": self.stopped_at_ms,
            "recovered_at_ms": self.recovered_at_ms,
            "recovered_by": self.recovered_by,
        }


class ExecutorRegistry:
    """The registry table on one database: registration, heartbeats, stops and recovery claims."""

    def __init__(self, engine: sa.Engine, *, schema: str | None = None) -> None:
        self.engine = engine
        self.schema = schema
        self.table = executor_table(schema)

    @classmethod
    def of(cls, home: Home, settings: Settings, *, application_name: str | None = None) -> ExecutorRegistry:
        """The registry of `home`: in the SQLite file's main schema, or on PostgreSQL in
        `nbaprops_<home>` beside DBOS's `dbos_<home>`, its sessions named `application_name`."""
        schema = None
        if settings.orchestration.database_url is not None:
            schema = "nbaprops" + system_schema(home, settings).removeprefix("dbos")
        return cls(_engine(system_database_url(home, settings), application_name=application_name), schema=schema)

    def create(self) -> None:
        """Create the schema (PostgreSQL) and the table if missing."""
        with self.engine.begin() as connection:
            if self.schema is not None:
                # Workers starting together: `IF NOT EXISTS` alone still races on PostgreSQL's catalog.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:schema))"), {"schema": self.schema})
                connection.execute(sa.schema.CreateSchema(self.schema, if_not_exists=True))
            self.table.metadata.create_all(connection)

    def exists(self) -> bool:
        return sa.inspect(self.engine).has_table(self.table.name, schema=self.schema)

    def register(self, row: ExecutorRow) -> None:
        """Record `row` as live (again): a restarted executor keeps its ID and is no longer stopped
        or recovered."""
        values = row.to_json()
        with self.engine.begin() as connection:
            updated = connection.execute(
                self.table.update().where(self.table.c.executor_id == row.executor_id).values(values)
            ).rowcount
            if not updated:
                connection.execute(self.table.insert().values(values))

    def note_unregistered(self, executor_id: str) -> None:
        """Add an executor that left workflows but never registered (heartbeat at 0: long gone),
        so its recovery is claimed like any other's; nothing when it is known."""
        try:
            with self.engine.begin() as connection:
                connection.execute(self.table.insert().values(
                    executor_id=executor_id, role=UNREGISTERED, host="", pid=0, application_version="",
                    started_at_ms=0, heartbeat_at_ms=0,
                ))
        except sa.exc.IntegrityError:
            pass  # known already, or another worker added it first

    def heartbeat(self, executor_id: str, *, now_ms: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                self.table.update().where(self.table.c.executor_id == executor_id).values(heartbeat_at_ms=now_ms)
            )

    def stop(self, executor_id: str, *, now_ms: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                self.table.update().where(self.table.c.executor_id == executor_id)
                .values(heartbeat_at_ms=now_ms, stopped_at_ms=now_ms)
            )

    def forget(self, executor_id: str) -> None:
        """Remove the row of an executor whose ID will not be used again."""
        with self.engine.begin() as connection:
            connection.execute(self.table.delete().where(self.table.c.executor_id == executor_id))

    def claim_recovery(self, gone: ExecutorRow, *, by: str, now_ms: int) -> bool:
        """Claim the recovery of `gone` as last seen: true for exactly one claimant, and only while
        the executor has not beaten again or been claimed since."""
        with self.engine.begin() as connection:
            claimed = connection.execute(
                self.table.update()
                .where(
                    self.table.c.executor_id == gone.executor_id,
                    self.table.c.heartbeat_at_ms == gone.heartbeat_at_ms,
                    self.table.c.recovered_at_ms.is_(None),
                )
                .values(recovered_at_ms=now_ms, recovered_by=by)
            ).rowcount
        return claimed == 1

    def executors(self) -> list[ExecutorRow]:
        """Every registered executor, by ID."""
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(self.table).order_by(self.table.c.executor_id)).mappings().all()
        return [ExecutorRow(**dict(row)) for row in rows]

    def close(self) -> None:
        self.engine.dispose()


def this_host() -> str:
    return socket.gethostname()


def this_pid() -> int:
    return os.getpid()


def _engine(url: str, *, application_name: str | None) -> sa.Engine:
    named = application_name is not None and not url.startswith("sqlite")
    engine = sa.create_engine(url, connect_args={"application_name": application_name} if named else {})
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def configure(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=30000")

    return engine
