"""The PostgreSQL backend: the same DuckDB SQL, translated by `PostgresTranslator`."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from typing import Any

import psycopg
import pyarrow as pa
from psycopg.adapt import Dumper
from psycopg.types.numeric import FloatLoader

from nbaprops.errors import WarehouseError
from nbaprops.warehouse._backend import Params, Result
from nbaprops.warehouse._dialect import NULL_TEST_SUFFIX, PostgresTranslator
from nbaprops.warehouse._pg_analyze import Analyzer
from nbaprops.warehouse._pg_arrow import to_arrow

# The table an INSERT writes (DuckDB's `INSERT OR REPLACE/IGNORE INTO` too).
_INSERT_INTO = re.compile(r"\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+([\w.]+)", re.IGNORECASE)

# Tables of the nba_* schemas with every column of an index key and no index on exactly that key
# (`%(key)s`: the key's columns as an index definition lists them, such as "market, game_date").
_UNINDEXED = """
    SELECT t.table_schema, t.table_name FROM information_schema.tables t
    WHERE t.table_schema LIKE 'nba\\_%%' AND t.table_type = 'BASE TABLE'
      AND (SELECT count(*) FROM information_schema.columns c WHERE c.table_schema = t.table_schema
           AND c.table_name = t.table_name AND c.column_name = ANY(%(columns)s)) = cardinality(%(columns)s)
      AND NOT EXISTS (SELECT 1 FROM pg_indexes i WHERE i.schemaname = t.table_schema
                      AND i.tablename = t.table_name AND i.indexdef LIKE '%%(' || %(key)s || ')')
    ORDER BY 1, 2
"""
# The keys indexed (PostgreSQL has no zone maps): a day's rows, and a market's days, the graded
# windows of Phase 5 (with game_date alone, a window of one market read the other markets' rows too),
# and the runs started in a time window (the retry budget's storm window, on every attempt).
_INDEX_KEYS: tuple[tuple[str, ...], ...] = (("game_date",), ("market", "game_date"), ("started_at",))

_PRIMARY_KEY = """
    SELECT k.column_name FROM information_schema.table_constraints c
    JOIN information_schema.key_column_usage k
      ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
    WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = %s AND c.table_name = %s
    ORDER BY k.ordinal_position
"""


class _Rows:
    """A statement's rows; a statement without a result set has none (psycopg would raise)."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description is not None else []


class PostgresBackend:
    """A psycopg connection to one PostgreSQL database, in autocommit mode outside `begin()`."""

    name = "postgres"
    errors: tuple[type[Exception], ...] = (psycopg.Error,)
    missing_table_errors: tuple[type[Exception], ...] = (psycopg.errors.UndefinedTable,)

    def __init__(
        self,
        url: str,
        *,
        read_only: bool,
        translator: PostgresTranslator | None = None,
        application_name: str | None = None,
    ) -> None:
        self.url = url
        self._read_only = read_only
        self._application_name = application_name
        try:
            # The session's name in pg_stat_activity: whose it is, so another process can end it
            # (None: psycopg leaves the parameter out).
            self._con = psycopg.connect(url, autocommit=True, application_name=application_name)
        except psycopg.Error as e:
            raise WarehouseError(f"Cannot open the PostgreSQL warehouse {redacted(url)}: {e}") from e
        # NUMERIC (avg, sum of BIGINT) reads as float, as DuckDB's DOUBLE does.
        self._con.adapters.register_loader("numeric", FloatLoader)
        self._con.adapters.register_dumper(_TextArray, _TextArrayDumper)
        # Each execution planned for its own parameters: a generic plan of a prepared statement guesses a
        # date range's rows, and took a nested loop over a season of feature rows for a handful.
        self._con.execute("SET plan_cache_mode = force_custom_plan")
        if read_only:
            self._con.execute("SET default_transaction_read_only = on")
        self._translator = translator or PostgresTranslator(self._primary_key)
        self._in_transaction = False
        self._analyzer = Analyzer(self._fetch)

    def _fetch(self, sql: str, params: list[object]) -> list[tuple[object, ...]]:
        cursor = self._con.execute(sql, params)
        return cursor.fetchall() if cursor.description else []

    def _primary_key(self, table: str) -> list[str]:
        schema, _, name = table.rpartition(".")
        rows = self._con.execute(_PRIMARY_KEY, [schema or "public", name]).fetchall()
        if not rows:
            raise WarehouseError(f"INSERT OR REPLACE into {table} needs a primary key; the table has none.")
        return [r[0] for r in rows]

    def _statement(self, sql: str) -> str:
        statements = self._translator.translate(sql)
        if len(statements) != 1:
            raise WarehouseError(f"Expected one SQL statement, got {len(statements)}: {sql[:200]!r}")
        return statements[0]

    def run(self, sql: str, params: Params) -> Result:
        cursor = self._con.execute(self._statement(sql), _params(params))
        inserted = _INSERT_INTO.match(sql)
        if inserted is not None and cursor.rowcount > 0:
            self._wrote(inserted.group(1), cursor.rowcount)
        return _Rows(cursor)

    def arrow(self, sql: str, params: Params) -> pa.Table:
        cursor = self._con.execute(self._statement(sql), _params(params))
        return to_arrow(cursor.description or [], cursor.fetchall())

    def run_script(self, sql: str) -> None:
        for statement in self._translator.translate(sql):
            self._con.execute(statement, [])

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        columns = ", ".join(data.column_names)
        with self._con.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in zip(*(data.column(name).to_pylist() for name in data.column_names), strict=True):
                copy.write_row(row)
        self._wrote(table, data.num_rows)

    def _wrote(self, table: str, rows: int) -> None:
        self._analyzer.wrote(table, rows)
        if not self._in_transaction:
            self._analyzer.analyze_due()

    def tune(self) -> None:
        """Index every table's game_date, and (market, game_date) where it has a market: PostgreSQL has
        no zone maps, so without them each read or replace of a day scans the whole table (a day's
        lines: 150 ms at 200,000 rows), and a market's graded year reads every market's."""
        for columns in _INDEX_KEYS:
            name, key = "_".join(columns), ", ".join(columns)
            unindexed = self._con.execute(_UNINDEXED, {"columns": list(columns), "key": key}).fetchall()
            for schema, table in unindexed:
                # IF NOT EXISTS, and a lost race ignored: another worker may create it at the same moment.
                with contextlib.suppress(psycopg.errors.UniqueViolation, psycopg.errors.DuplicateTable):
                    self._con.execute(f"CREATE INDEX IF NOT EXISTS {table}_{name} ON {schema}.{table} ({key})")

    def begin(self) -> None:
        self._con.execute("BEGIN")
        self._in_transaction = True

    def commit(self) -> None:
        self._con.execute("COMMIT")
        self._in_transaction = False
        self._analyzer.analyze_due()

    def rollback(self) -> None:
        self._con.execute("ROLLBACK")
        self._in_transaction = False
        self._analyzer.due.clear()

    def cursor(self) -> PostgresBackend:
        return PostgresBackend(
            self.url, read_only=self._read_only, translator=self._translator, application_name=self._application_name
        )

    def close(self) -> None:
        self._con.close()


class _TextArray(list[str | None]):
    """A list of str bound as text[]: psycopg binds a str as `unknown`, which leaves
    `unnest($markets)` or `array_length($markets)` without a type."""


class _TextArrayDumper(Dumper):
    oid = 1009  # text[]

    def dump(self, obj: Any) -> bytes:
        items = ("NULL" if item is None else '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
                 for item in obj)
        return ("{" + ",".join(items) + "}").encode()


def _value(value: Any) -> Any:
    if isinstance(value, list | tuple) and value and all(item is None or isinstance(item, str) for item in value):
        return _TextArray(value)
    return value


def _params(params: Params) -> Any:
    # Always bind (an empty list when none), so psycopg reads the doubled `%` of every statement.
    if params is None:
        return []
    if isinstance(params, Mapping):
        bound = {name: _value(value) for name, value in params.items()}
        return bound | {name + NULL_TEST_SUFFIX: value for name, value in bound.items()}
    return [_value(value) for value in params]


def redacted(url: str) -> str:
    """`url` without its password."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}@{host}"
