"""What only the PostgreSQL backend can get wrong: its URL, one statement a call, upserts without a key."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from nbaprops.errors import WarehouseError
from nbaprops.warehouse import Warehouse
from nbaprops.warehouse._pg_analyze import Analyzer


def test_an_unreachable_server_is_a_warehouse_error_without_the_password() -> None:
    with pytest.raises(WarehouseError, match="Cannot open the PostgreSQL warehouse") as raised:
        Warehouse.open("postgresql://someone:s3cret@127.0.0.1:1/nowhere?connect_timeout=2")
    assert "s3cret" not in str(raised.value)
    assert "postgresql://someone@127.0.0.1:1/nowhere" in str(raised.value)


def test_the_warehouse_names_its_database_without_the_password(postgres_url: str) -> None:
    scheme, _, rest = postgres_url.partition("://")
    user, _, where = rest.partition("@")
    with Warehouse.open(f"{scheme}://{user.split(':')[0]}:pw@{where}", migrate=False) as warehouse:
        assert warehouse.backend_name == "postgres"
        assert "pw" not in str(warehouse.path)


def test_a_call_runs_one_statement(postgres_url: str) -> None:
    with Warehouse.open(postgres_url) as warehouse, pytest.raises(
            WarehouseError, match="Expected one SQL statement, got 2"):
        warehouse.execute("SELECT 1; SELECT 2")


def test_insert_or_replace_needs_a_primary_key(postgres_url: str) -> None:
    with Warehouse.open(postgres_url) as warehouse, pytest.raises(
            WarehouseError, match="INSERT OR REPLACE into nba_raw.schedule needs a primary key"):
        warehouse.execute("INSERT OR REPLACE INTO nba_raw.schedule (game_id) VALUES (?)", ["G1"])


def _reltuples(warehouse: Warehouse, table: str) -> float:
    schema, _, name = table.partition(".")
    (row,) = warehouse.query(
        "SELECT c.reltuples AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
        "WHERE s.nspname = ? AND c.relname = ?", [schema, name])
    return float(row["n"])


def test_a_table_written_in_bulk_is_analyzed_once_its_transaction_commits(postgres_url: str) -> None:
    """Planned on no statistics, a join of a few thousand rows ran as a nested loop for seconds; the
    backend analyzes what it filled, after the commit (ANALYZE's lock would be held to the end)."""
    table = "nba_raw.schedule"
    rows = [{"game_id": f"G{i}", "game_date": date(2025, 1, 1) + timedelta(days=i % 30), "season": "2024-25",
             "season_type": "regular", "home_team": "BOS", "away_team": "NYK",
             "tipoff_utc": datetime(2025, 1, 1, 0, 30), "status": "final"} for i in range(600)]
    with Warehouse.open(postgres_url) as warehouse:
        assert _reltuples(warehouse, table) < 0, "a new table has never been analyzed"
        with warehouse.transaction():
            warehouse.replace_partition(table, {"season": "2024-25"}, rows, in_transaction=True)
            assert _reltuples(warehouse, table) < 0, "not inside the writing transaction"
        assert _reltuples(warehouse, table) == 600
        # A few more rows are not worth an ANALYZE; enough of them (a fifth of the table, 200 at least) are.
        warehouse.execute(
            "INSERT INTO nba_raw.schedule (game_id, game_date, season, season_type, home_team, away_team, "
            "tipoff_utc, status) VALUES ('X1', DATE '2025-03-01', '2025-26', 'regular', 'BOS', 'NYK', "
            "TIMESTAMP '2025-03-01 00:30:00', 'final')")
        assert _reltuples(warehouse, table) == 600
        more = [{**row, "game_id": f"H{i}", "season": "2025-27"} for i, row in enumerate(rows[:199])]
        warehouse.replace_partition(table, {"season": "2025-27"}, more)
        assert _reltuples(warehouse, table) == 800


@pytest.mark.parametrize(
    ("known", "writes", "due"),
    [(-1.0, [10], False), (-1.0, [150, 50], True), (10_000.0, [1_500], False), (10_000.0, [1_500, 500], True)],
)
def test_a_table_is_due_for_analyze_when_its_writes_are_a_share_of_it(
    known: float, writes: list[int], due: bool
) -> None:
    analyzed: list[str] = []

    def execute(sql: str, params: list[object]) -> list[tuple[object, ...]]:
        if sql.startswith("ANALYZE"):
            analyzed.append(sql)
            return []
        return [(known,)]

    analyzer = Analyzer(execute)
    for rows in writes:
        analyzer.wrote("nba_raw.schedule", rows)
    analyzer.analyze_due()
    assert analyzed == (["ANALYZE nba_raw.schedule"] if due else [])


# Tables with every column of an index key (game_date; market and game_date), as "schema.table".
_KEYED = ("SELECT c.table_schema || '.' || c.table_name AS name FROM information_schema.columns c "
          "WHERE c.table_schema LIKE 'nba%' AND c.column_name = 'game_date' AND ({}) ORDER BY 1")
_WITH_MARKET = ("EXISTS (SELECT 1 FROM information_schema.columns d WHERE d.table_schema = c.table_schema "
                "AND d.table_name = c.table_name AND d.column_name = 'market')")


@pytest.mark.parametrize(("key", "tables_sql", "must_have"), [
    # No zone maps: without an index, a day's read scans every day of the table.
    ("game_date", _KEYED.format("true"), "nba_raw.player_prop_lines"),
    # Phase 5's graded windows read one market's days: the index skips the other markets' rows.
    ("market, game_date", _KEYED.format(_WITH_MARKET), "nba_predictions.prediction_accuracy"),
    # The retry budget counts the runs started in its storm window on every attempt.
    ("started_at", "SELECT table_schema || '.' || table_name AS name FROM information_schema.columns "
                   "WHERE table_schema LIKE 'nba%' AND column_name = 'started_at' ORDER BY 1",
     "nba_orchestration.processor_run_history"),
])
def test_every_table_with_the_keys_columns_is_indexed_on_it_once(
    postgres_url: str, key: str, tables_sql: str, must_have: str
) -> None:
    indexed = ("SELECT schemaname || '.' || tablename AS name, indexname FROM pg_indexes "
               f"WHERE schemaname LIKE 'nba%' AND indexdef LIKE '%({key})' ORDER BY 1")
    with Warehouse.open(postgres_url) as warehouse:
        tables = [r["name"] for r in warehouse.query(tables_sql)]
        first = warehouse.query(indexed)
    assert must_have in tables and len(tables) > 2
    assert [r["name"] for r in first] == tables
    with Warehouse.open(postgres_url) as warehouse:  # opened again: the same indexes, no more
        assert warehouse.query(indexed) == first
