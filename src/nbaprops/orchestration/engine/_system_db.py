"""The home's DBOS system database: where it is, its schema, and the engine DBOS connects with.

SQLite under the home unless `[orchestration] database_url` names a PostgreSQL database, where
each home has a schema of its own (`system_schema`), so homes sharing the database never
recover, dequeue or list each other's workflows.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dbos import DBOSConfig

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine._fencing import session_name

APP_NAME = "nbaprops"
QUEUE_NAME = "nbaprops"
POLL_SECONDS = 0.2


class Role(StrEnum):
    """What the executing process is: a command runs its own work; the worker also consumes
    the queue other processes hand work to."""

    COMMAND = "command"
    WORKER = "worker"


def system_schema(home: Home, settings: Settings) -> str:
    """The schema of the home's DBOS tables: homes sharing one PostgreSQL database each get
    their own, so their workflow IDs (`daily:2025-01-10:same_day:replay`) never meet."""
    if settings.orchestration.database_url is None:
        return "dbos"
    return "dbos_" + hashlib.sha1(str(home.root).encode()).hexdigest()[:12]


def shares_execution(settings: Settings) -> bool:
    """Whether several processes may execute the home's workflows at once: only when both the
    warehouse and the system database are on PostgreSQL, since DuckDB lets one process write a file
    and SQLite one process write at a time."""
    return settings.warehouse.url is not None and settings.orchestration.database_url is not None


def system_database_url(home: Home, settings: Settings) -> str:
    """`[orchestration] database_url`, else SQLite at the home's orchestration_db_path."""
    configured = settings.orchestration.database_url
    if configured is not None:
        return configured.get_secret_value()
    return f"sqlite:///{home.orchestration_db_path}"


def executor_id(role: Role, settings: Settings) -> str:
    """The executor ID of this process: a worker's is stable across restarts (so DBOS recovers its
    own unfinished work when it comes back) and unique among the home's workers
    (`[orchestration.worker] executor_id`, default `worker-<hostname>`); each command has its own,
    so a short command never picks up unrelated work."""
    if role is Role.WORKER:
        return settings.orchestration.worker.executor_id or f"worker-{socket.gethostname()}"
    return f"command-{socket.gethostname()}-{os.getpid()}"


def dbos_config(home: Home, settings: Settings, *, role: Role, application_version: str) -> DBOSConfig:
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": system_database_url(home, settings),
        "dbos_system_schema": system_schema(home, settings),
        "executor_id": executor_id(role, settings),
        "application_version": application_version,
        "log_level": "WARNING",
        "notification_listener_polling_interval_sec": 0.1,
        "scheduler_polling_interval_sec": 1.0,
    }
    if settings.orchestration.database_url is None:
        config["system_database_engine"] = sqlite_engine(home.orchestration_db_path)
    else:
        # Replaces DBOS's connect_args (its application_name), keeping its pool settings and
        # adding its connect_timeout: the sessions are named for the executor, to be fenced.
        config["db_engine_kwargs"] = {
            "connect_args": {"application_name": session_name(executor_id(role, settings))}
        }
    return config


def sqlite_engine(path: Path) -> sa.Engine:
    """The SQLite system database engine: DBOS's own connection settings plus synchronous=NORMAL.

    Every step commits; in WAL mode NORMAL skips the fsync per commit yet survives any process
    crash (a power loss can drop the last commits, never corrupt the file). Measured on the
    2024-25 season through the orchestrator: see benchmarks/bench_orchestrator.py.
    """
    engine = sa.create_engine(f"sqlite:///{path}")

    @sa.event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = "IMMEDIATE"  # as DBOS does: serialise writers
        dbapi_connection.execute("PRAGMA busy_timeout=30000")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    return engine


def use_write_ahead_log(path: Path) -> None:
    """Put the SQLite system database in WAL mode (it stays so): cheaper commits for every step,
    and processes that wait on a workflow read without blocking the executor's writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
