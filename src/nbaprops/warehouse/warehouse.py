"""The warehouse: versioned migrations and an atomic partition writer over one backend.

The backend is DuckDB (a file, the embedded default) or PostgreSQL (a `postgresql://` URL). Every
statement is DuckDB SQL; the PostgreSQL backend translates it, so no SQL is written twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import uuid4

import pyarrow as pa

from nbaprops.errors import WarehouseError
from nbaprops.suggestions import migrate_warehouse
from nbaprops.warehouse._backend import Backend, Params, Result
from nbaprops.warehouse._duckdb import DuckDBBackend
from nbaprops.warehouse._versions import PARTITION_VERSIONS

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# A partition write of a date moves the date's version token (`DatedReads` re-reads what moved).
_NEW_VERSION = f"INSERT OR REPLACE INTO {PARTITION_VERSIONS} (table_name, game_date, version) VALUES (?, ?, ?)"

__all__ = ["Params", "Warehouse", "is_postgres_url"]


def is_postgres_url(target: Path | str) -> bool:
    """True when `target` names a PostgreSQL database rather than a DuckDB file."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def use_system_allocator() -> None:
    """Arrow buffers of this process from the C allocator, not pyarrow's default mimalloc pool, which
    keeps freed pages: on the 2024-25 replay season the peak RSS fell by 32 MB (546 -> 514 MB) at the
    same CPU time (benchmarks/bench_orchestrator.py). Idempotent; a process-wide setting."""
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def _check_identifier(name: str, what: str) -> str:
    if not _IDENTIFIER.match(name):
        raise WarehouseError(f"{what} {name!r} is not a plain lower-case SQL identifier.")
    return name


class Warehouse:
    """One warehouse database. Open with `Warehouse.open(path_or_url)`; close, or use as a context manager."""

    def __init__(self, backend: Backend, path: Path | str) -> None:
        self._backend = backend
        self.path = path
        self._columns: dict[str, list[str]] = {}
        # Rows the reads below returned on this connection, ever: a run's rows read is its difference.
        self.rows_returned = 0

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        read_only: bool = False,
        wait_seconds: float = 0.0,
        migrate: bool = True,
        threads: int | None = None,
        application_name: str | None = None,
    ) -> Warehouse:
        """Open (creating and migrating if needed) the warehouse at `path`: a DuckDB file, or a
        `postgresql://` URL of an existing database.

        DuckDB lets one process write a file at a time. When another process holds it, wait up to
        `wait_seconds` for it to finish, then raise `WarehouseBusyError`. PostgreSQL has no such
        lock, and `threads` (DuckDB's worker threads) does not apply to it. `application_name` names
        PostgreSQL sessions in `pg_stat_activity` (a connection of `cursor()` too); DuckDB ignores it.
        """
        use_system_allocator()
        backend: Backend
        if is_postgres_url(path):
            try:  # psycopg and sqlglot are needed only for PostgreSQL
                from nbaprops.warehouse._postgres import PostgresBackend, redacted
            except ImportError as e:
                raise WarehouseError(
                    f"A PostgreSQL warehouse needs {e.name}: pip install 'nbaprops[postgres]'.") from e
            backend = PostgresBackend(str(path), read_only=read_only, application_name=application_name)
            path = redacted(str(path))
        else:
            backend = DuckDBBackend.connect(
                Path(path), read_only=read_only, wait_seconds=wait_seconds, threads=threads)
        warehouse = cls(backend, path)
        if migrate and not read_only:
            warehouse.migrate()
        return warehouse

    @property
    def backend_name(self) -> str:
        """`duckdb` or `postgres`."""
        return self._backend.name

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """The exception classes a failed statement raises on this backend."""
        return self._backend.errors

    @property
    def missing_table_errors(self) -> tuple[type[Exception], ...]:
        """The exception classes a statement on a missing table raises on this backend."""
        return self._backend.missing_table_errors

    def cursor(self) -> Warehouse:
        """A second connection to the same database, for another thread (e.g. a reader)."""
        return Warehouse(self._backend.cursor(), self.path)

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations ---------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply every packaged migration not yet applied, each in its own transaction."""
        self._backend.run("CREATE SCHEMA IF NOT EXISTS nba_orchestration", None)
        self._backend.run(
            "CREATE TABLE IF NOT EXISTS nba_orchestration.schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_utc TIMESTAMP NOT NULL)", None,
        )
        self._columns.clear()
        applied = {row[0] for row in self._backend.run(
            "SELECT version FROM nba_orchestration.schema_migrations", None).fetchall()}
        done: list[str] = []
        for version, name, sql in _packaged_migrations():
            if version in applied:
                continue
            try:
                with self.transaction():
                    self._backend.run_script(sql)
                    self._backend.run(
                        "INSERT INTO nba_orchestration.schema_migrations VALUES (?, ?, ?)",
                        [version, name, _utcnow()],
                    )
            except self._backend.errors as e:
                raise WarehouseError(f"Migration {name} failed: {e}") from e
            done.append(name)
        self._backend.tune()
        return done

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self._backend.run(
            "SELECT name FROM nba_orchestration.schema_migrations ORDER BY version", None).fetchall()]

    # -- reads --------------------------------------------------------------------------------

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        """Run a query and return rows as dicts."""
        cursor = self._run(sql, params)
        names = [d[0] for d in cursor.description or []]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        self.rows_returned += len(rows)
        return rows

    def scalar(self, sql: str, params: Params = None) -> Any:
        rows = self._run(sql, params).fetchall()
        self.rows_returned += len(rows)
        return rows[0][0] if rows else None

    def arrow(self, sql: str, params: Params = None) -> pa.Table:
        """Run a query and return an Arrow table (fast path for analytics)."""
        table = self._backend.arrow(sql, params)
        self.rows_returned += table.num_rows
        return table

    def execute(self, sql: str, params: Params = None) -> None:
        self._run(sql, params).fetchall()

    def _run(self, sql: str, params: Params) -> Result:
        return self._backend.run(sql, params)

    def table_columns(self, table: str) -> list[str]:
        """Column names of `table` in order (cached: only migrations change them)."""
        cached = self._columns.get(table)
        if cached is not None:
            return cached
        schema, name = _check_identifier(table, "Table").split(".")
        rows = self._backend.run(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "ORDER BY ordinal_position", [schema, name]).fetchall()
        if not rows:
            raise WarehouseError(f"Table {table} does not exist; run {migrate_warehouse()}.")
        self._columns[table] = [r[0] for r in rows]
        return self._columns[table]

    # -- writes -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self._backend.begin()
        try:
            yield
        except BaseException:
            self._backend.rollback()
            raise
        self._backend.commit()

    def replace_partition(
        self,
        table: str,
        partition: Mapping[str, Any],
        rows: pa.Table | Sequence[Mapping[str, Any]],
        *,
        in_transaction: bool = False,
    ) -> int:
        """Replace every row of `table` matching `partition` with `rows`, atomically.

        `partition` maps column names to values, e.g. `{"game_date": date(2025, 1, 10)}`.
        Readers see either the old partition or the new one, never a mix; a crash mid-write
        leaves the old partition. Every row must carry the partition's values. Returns the row
        count written. Pass `in_transaction=True` when the caller already opened a transaction.
        A partition with a `game_date` moves that date's version token of `table` in the same
        transaction (`nba_orchestration.partition_versions`, read by `DatedReads`).
        """
        _check_identifier(table, "Table")
        if not partition:
            raise WarehouseError(f"replace_partition on {table} needs at least one partition column.")
        columns = set(self.table_columns(table))
        for key in partition:
            if key not in columns:
                raise WarehouseError(f"Partition column {key!r} is not a column of {table}.")
        data = rows if isinstance(rows, pa.Table) else _to_arrow(rows, table)
        unknown = [name for name in data.column_names if name not in columns]
        if unknown:
            raise WarehouseError(f"Rows for {table} carry unknown columns: {', '.join(sorted(unknown))}.")
        _check_rows_in_partition(data, partition, table)

        # Plain equality lets DuckDB prune by zone maps; IS NULL only where a key really is NULL.
        where = " AND ".join(f"{key} IS NULL" if value is None else f"{key} = ?" for key, value in partition.items())
        params = [value for value in partition.values() if value is not None]
        has_rows = data.num_columns > 0 and data.num_rows > 0

        def write() -> None:
            self._backend.run(f"DELETE FROM {table} WHERE {where}", params).fetchall()
            if has_rows:
                self._backend.insert_arrow(table, data)
            if partition.get("game_date") is not None:
                self._backend.run(_NEW_VERSION, [table, partition["game_date"], uuid4().hex]).fetchall()

        try:
            if in_transaction:
                write()
            else:
                with self.transaction():
                    write()
        except self._backend.errors as e:
            raise WarehouseError(f"Writing partition {dict(partition)} of {table} failed: {e}") from e
        return data.num_rows


def _to_arrow(rows: Sequence[Mapping[str, Any]], table: str) -> pa.Table:
    if not rows:
        return pa.table({})
    try:
        return pa.Table.from_pylist(list(rows))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise WarehouseError(f"Rows for {table} have inconsistent types: {e}") from e


def _check_rows_in_partition(data: pa.Table, partition: Mapping[str, Any], table: str) -> None:
    if data.num_rows == 0:
        return
    for key, value in partition.items():
        if key not in data.column_names:
            raise WarehouseError(f"Rows for {table} lack the partition column {key!r}.")
        distinct = data.column(key).unique().to_pylist()
        if distinct != [value]:
            raise WarehouseError(
                f"Rows for {table} partition {key}={value!r} carry other values: {distinct[:3]!r}."
            )


def _packaged_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("nbaprops.warehouse") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise WarehouseError(f"Two migrations share a version number: {versions}.")
    return found


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
