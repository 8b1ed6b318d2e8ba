"""Throwaway PostgreSQL databases for tests: one migrated template a test run, one copy a test.

The server outlives the run (`NBAPROPS_TEST_POSTGRES_URL`, by default the loopback one); every
database made here is dropped when its test or run ends. Without a server, tests that need one
skip, and fail under CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from nbaprops.warehouse import Warehouse

SERVER_ENV_VAR = "NBAPROPS_TEST_POSTGRES_URL"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get(SERVER_ENV_VAR, DEFAULT_SERVER)


def database_url(name: str) -> str:
    """The URL of database `name` on the test server."""
    base, _, _ = server_url().rpartition("/")
    return f"{base}/{name}"


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(server_url(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        message = f"No PostgreSQL server at {server_url()} ({e}); set {SERVER_ENV_VAR}."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)  # in CI a missing server is a failure, never a silent skip
        pytest.skip(message)


@contextmanager
def created_database(*, template: str | None = None) -> Iterator[str]:
    """A new, uniquely named database (a copy of `template` when given), dropped afterwards."""
    name = f"nbaprops_test_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        suffix = f" TEMPLATE {template}" if template else ""
        admin.execute(f"CREATE DATABASE {name}{suffix}")
    try:
        yield name
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def migrated_template() -> Iterator[str]:
    """A database holding every migration, to copy per test (faster than migrating each)."""
    with created_database() as name:
        with Warehouse.open(database_url(name)):
            pass
        yield name
