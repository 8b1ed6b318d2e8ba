from nbaprops.warehouse import Warehouse

EXPECTED_SCHEMAS = {"nba_raw", "nba_analytics", "nba_precompute", "nba_predictions", "nba_orchestration"}


def test_first_open_creates_every_schema(warehouse: Warehouse) -> None:
    schemas = {r["schema_name"] for r in warehouse.query("SELECT schema_name FROM information_schema.schemata")}
    assert schemas >= EXPECTED_SCHEMAS


def test_migrate_twice_applies_nothing_the_second_time(warehouse: Warehouse) -> None:
    assert warehouse.migrate() == []
    assert warehouse.applied_migrations()[0] == "0001_raw_history.sql"


def test_platform_tables_exist(warehouse: Warehouse) -> None:
    for table in (
        "nba_analytics.player_game_summary",
        "nba_analytics.upcoming_player_game_context",
        "nba_precompute.ml_feature_store",
        "nba_predictions.player_prop_predictions",
        "nba_predictions.prediction_accuracy",
        "nba_orchestration.processor_run_history",
    ):
        assert warehouse.table_columns(table)


def test_phase2_tables_name_the_serving_source_in_a_nullable_column(warehouse: Warehouse) -> None:
    for table in ("schedule", "player_boxscores", "team_boxscores", "player_prop_lines", "injury_report"):
        (column,) = warehouse.query(
            "SELECT is_nullable FROM information_schema.columns "
            f"WHERE table_schema = 'nba_raw' AND table_name = '{table}' AND column_name = 'source'")
        assert column["is_nullable"] == "YES", table
    assert "0006_raw_source.sql" in warehouse.applied_migrations()


def test_the_worker_records_its_window_polls_keyed_by_kind_date_source_and_slot(warehouse: Warehouse) -> None:
    keys = warehouse.query(
        "SELECT k.column_name FROM information_schema.table_constraints c "
        "JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name "
        "AND k.table_schema = c.table_schema AND k.table_name = c.table_name "
        "WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = 'nba_orchestration' "
        "AND c.table_name = 'source_polls' ORDER BY k.ordinal_position")
    assert [k["column_name"] for k in keys] == ["kind", "game_date", "source", "slot_at"]
    assert "0007_source_polls_windows.sql" in warehouse.applied_migrations()
