"""The embedded DuckDB backend: one file, one writing process at a time."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from nbaprops.errors import WarehouseBusyError, WarehouseError
from nbaprops.warehouse._backend import Params, Result

_NAMED_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _bind(sql: str, params: Params) -> Params:
    """DuckDB rejects named parameters a statement does not use; keep only the used ones."""
    if isinstance(params, Mapping):
        used = set(_NAMED_PARAMETER.findall(sql))
        return {name: value for name, value in params.items() if name in used}
    return params


class DuckDBBackend:
    """A DuckDB connection to one file."""

    name = "duckdb"
    errors: tuple[type[Exception], ...] = (duckdb.Error,)
    missing_table_errors: tuple[type[Exception], ...] = (duckdb.CatalogException,)

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self._con = connection

    @classmethod
    def connect(cls, path: Path, *, read_only: bool, wait_seconds: float, threads: int | None) -> DuckDBBackend:
        """Open `path`; when another process holds it, wait up to `wait_seconds`, then raise
        `WarehouseBusyError`."""
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as e:
                if "lock" not in str(e).lower():
                    raise WarehouseError(f"Cannot open the warehouse {path}: {e}") from e
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"The warehouse {path} is in use by another nbaprops process; "
                        "wait for it to finish (or stop it) and try again."
                    ) from e
                time.sleep(0.2)
        if threads is not None:
            con.execute(f"SET threads TO {int(threads)}").fetchall()
        return cls(con)

    def run(self, sql: str, params: Params) -> Result:
        if params is None:
            return self._con.execute(sql)
        return self._con.execute(sql, _bind(sql, params))

    def arrow(self, sql: str, params: Params) -> pa.Table:
        relation = self._con.sql(sql, params=_bind(sql, params)) if params is not None else self._con.sql(sql)
        return relation.to_arrow_table()

    def run_script(self, sql: str) -> None:
        self._con.execute(sql)

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        # Registering is not transactional; the view lives only for this insert.
        view = f"_nbaprops_rows_{id(data):x}"
        self._con.register(view, data)
        try:
            self._con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}").fetchall()
        finally:
            self._con.unregister(view)

    def begin(self) -> None:
        self._con.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self._con.execute("COMMIT")

    def rollback(self) -> None:
        self._con.execute("ROLLBACK")

    def cursor(self) -> DuckDBBackend:
        return DuckDBBackend(self._con.cursor())

    def tune(self) -> None:
        """Nothing: DuckDB prunes a day's rows by its zone maps, without an index."""

    def close(self) -> None:
        self._con.close()
