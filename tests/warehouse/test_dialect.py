"""DuckDB SQL that PostgreSQL reads only after a rewrite (`warehouse/_dialect.py`): one case a line,
each run on both backends with DuckDB's answer as the expected one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from nbaprops.warehouse import Warehouse

PAIRS = "(VALUES (1, 'a'), (2, 'b'), (3, NULL), (NULL, 'z'), (0, 'c')) AS t(k, v)"

CASES: list[tuple[str, str, Any, list[tuple[Any, ...]]]] = [
    ("arg_max and arg_min skip NULL keys and values",
     f"SELECT arg_max(v, k) AS hi, arg_min(v, k) AS lo FROM {PAIRS}", None, [("b", "c")]),
    ("arg_max under a FILTER",
     f"SELECT arg_max(v, k) FILTER (WHERE k < 2) AS hi FROM {PAIRS}", None, [("a",)]),
    ("any_value of equal values",
     "SELECT any_value(x) AS x FROM (VALUES (7), (7)) AS t(x)", None, [(7,)]),
    ("GROUP BY ALL and ORDER BY ALL",
     "SELECT g, count(*) AS n FROM (VALUES ('b'), ('a'), ('b')) AS t(g) GROUP BY ALL ORDER BY ALL", None,
     [("a", 1), ("b", 2)]),
    ("a comparison cast to DOUBLE",
     f"SELECT avg(CAST(k > 1 AS DOUBLE)) AS share FROM {PAIRS} WHERE k IS NOT NULL", None, [(0.5,)]),
    ("a named parameter tested for NULL and compared",
     "SELECT count(*) AS n FROM (VALUES (TIMESTAMP '2025-01-01'), (TIMESTAMP '2025-02-01')) AS t(seen) "
     "WHERE ($since IS NULL OR seen >= $since)", {"since": datetime(2025, 1, 15)}, [(1,)]),
    ("the same, NULL",
     "SELECT count(*) AS n FROM (VALUES (TIMESTAMP '2025-01-01'), (TIMESTAMP '2025-02-01')) AS t(seen) "
     "WHERE ($since IS NULL OR seen >= $since)", {"since": None}, [(2,)]),
    ("a positional parameter tested for NULL", "SELECT ? IS NULL AS missing", [None], [(True,)]),
    ("a JSON field of a VARCHAR column compared to a parameter",
     "SELECT json_extract_string(inputs, '$.graded_date') AS d FROM (VALUES ('{\"graded_date\": \"2024-01-02\"}'), "
     "('{\"graded_date\": \"2024-01-03\"}')) AS t(inputs) WHERE json_extract_string(inputs, '$.graded_date') = ?",
     ["2024-01-03"], [("2024-01-03",)]),
    ("a list parameter unnested, counted and searched",
     "SELECT m, array_length($markets) AS n, list_contains($markets, 'pra') AS has_pra "
     "FROM (SELECT unnest($markets) AS m) ORDER BY m", {"markets": ["threes", "points"]},
     [("points", 2, False), ("threes", 2, False)]),
    ("a % in a literal beside a parameter",
     "SELECT 'out%' AS pattern, 'outx' LIKE 'out%' AS matched, ? AS n", [3], [("out%", True, 3)]),
    ("an unaliased subquery inside another",
     "SELECT max(x) AS x FROM (SELECT 1 AS x UNION ALL SELECT x FROM (SELECT 2 AS x))", None, [(2,)]),
    ("list(DISTINCT ... ORDER BY ...)",
     "SELECT list(DISTINCT g ORDER BY g) AS gs FROM (VALUES ('b'), ('a'), ('b')) AS t(g)", None, [(["a", "b"],)]),
    ("a lateral VALUES unpivot dropping NULLs",
     "SELECT u.market, u.stat FROM (VALUES (1, CAST(NULL AS INTEGER))) AS g(points, threes) "
     "CROSS JOIN LATERAL (VALUES ('points', g.points), ('threes', g.threes)) AS u(market, stat) "
     "WHERE u.stat IS NOT NULL", None, [("points", 1)]),
]


@pytest.mark.parametrize(("sql", "params", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rewrite_gives_duckdbs_answer(warehouse: Warehouse, sql: str, params: Any,
                                           expected: list[tuple[Any, ...]]) -> None:
    rows = [tuple(row.values()) for row in warehouse.query(sql, params)]
    assert rows == expected


FILES = "nba_raw.ingested_files"
FILE_COLUMNS = "(source_key, format, sha256, rows_loaded, rows_quarantined, ingested_utc)"
STAMP = datetime(2025, 1, 10, 12)


def test_insert_or_ignore_keeps_and_insert_or_replace_overwrites_by_primary_key(warehouse: Warehouse) -> None:
    insert = f"INSERT INTO {FILES} {FILE_COLUMNS} VALUES (?, 'csv', ?, 1, 0, ?)"
    warehouse.execute(insert, ["a.csv", "first", STAMP])
    warehouse.execute(insert.replace("INSERT INTO", "INSERT OR IGNORE INTO"), ["a.csv", "second", STAMP])
    assert warehouse.scalar(f"SELECT sha256 FROM {FILES}") == "first"
    warehouse.execute(insert.replace("INSERT INTO", "INSERT OR REPLACE INTO"), ["a.csv", "third", STAMP])
    assert warehouse.query(f"SELECT source_key, sha256 FROM {FILES}") == [{"source_key": "a.csv", "sha256": "third"}]


def test_a_bare_column_in_on_conflict_do_update_is_the_existing_rows(warehouse: Warehouse) -> None:
    upsert = (f"INSERT INTO {FILES} {FILE_COLUMNS} VALUES ('a.csv', 'csv', 'x', ?, 0, ?) "
              "ON CONFLICT (source_key) DO UPDATE SET rows_loaded = rows_loaded + excluded.rows_loaded")
    warehouse.execute(upsert, [2, STAMP])
    warehouse.execute(upsert, [3, STAMP])
    assert warehouse.scalar(f"SELECT rows_loaded FROM {FILES}") == 5
