"""The interface every warehouse backend implements; the `Warehouse` speaks only to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pyarrow as pa

Params = Sequence[Any] | Mapping[str, Any] | None


class Result(Protocol):
    """The rows of one statement, as a DB-API cursor holds them."""

    @property
    def description(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Backend(Protocol):
    """One connection to a database holding the five nba_* schemas. Statements are DuckDB SQL,
    with `?` positional or `$name` named parameters; a backend of another dialect translates them."""

    name: str
    errors: tuple[type[Exception], ...]
    """The exception classes a failed statement raises."""
    missing_table_errors: tuple[type[Exception], ...]
    """The exception classes a statement on a table that does not exist raises."""

    def run(self, sql: str, params: Params) -> Result: ...

    def arrow(self, sql: str, params: Params) -> pa.Table: ...

    def run_script(self, sql: str) -> None:
        """Run a script of several statements (a migration)."""

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        """Insert `data`'s rows into `table`, matching columns by name, in the open transaction."""

    def tune(self) -> None:
        """After the migrations: what the backend itself needs of the tables they made (indexes)."""

    def begin(self) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def cursor(self) -> Backend:
        """A second connection to the same database, for another thread."""

    def close(self) -> None: ...
