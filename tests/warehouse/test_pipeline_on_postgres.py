"""Two daily pipeline runs, the warehouse on DuckDB and on PostgreSQL: the same rows.

Each home ingests the same synthetic league, then `nbaprops run` builds two game days (ingest, all
phases, predictions, grading of the first) through the real console script. Every platform table must hold
the same rows on both backends, but for the columns that differ by nature: wall-clock stamps,
the files' paths (each home has its own folder) and the config (the PostgreSQL home names its URL).
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from tests.cli.sim_cli import CONFIG, cli

from nbaprops.config import Settings, SyntheticConfig
from nbaprops.home import Home
from nbaprops.sources.replay import ReplaySource
from nbaprops.sources.synthetic import prepare_synthetic_history
from nbaprops.warehouse import Warehouse

NOT_COMPARED = {
    "nba_orchestration.schema_migrations": {"applied_utc"},
    "nba_orchestration.config_history": {"hash", "first_seen_at", "last_seen_at", "config_json", "toml_text"},
    "nba_orchestration.phase_completions": {"processors", "started_utc", "completed_utc", "config_hash"},
    "nba_orchestration.orchestration_events": {"recorded_utc"},
    "nba_orchestration.processor_run_history": {"started_utc"},
    "nba_orchestration.partition_versions": {"version"},  # a fresh token per write
    # What a run used is measured, not computed: it differs from one run to the next on any backend.
    "nba_orchestration.processor_run_usage": {"wall_seconds", "cpu_seconds", "peak_rss_bytes", "rss_grew",
                                             "recorded_utc"},
    "nba_raw.ingested_files": {"source_key", "ingested_utc"},
    **{f"nba_raw.history_{name}": {"source_key"}
       for name in ("games", "injuries", "player_boxscores", "prop_lines", "team_boxscores")},
}


def prepared_home(root: Path, target: Path | str) -> tuple[Home, list[date]]:
    home = Home(root).ensure()
    url = f'[warehouse]\nurl = "{target}"\n' if isinstance(target, str) else ""
    home.config_path.write_text(CONFIG + url)
    with Warehouse.open(target) as warehouse:
        history = prepare_synthetic_history(
            warehouse, SyntheticConfig(teams=4, players_per_team=8), days=6, out_dir=root / "files"
        )
        dates = ReplaySource(warehouse, Settings().replay).game_dates(
            history.league.first_date, history.league.last_date
        )
    return home, dates


def comparable(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.12g}")  # a parallel SUM may differ in the last bit
    if isinstance(value, list):
        return tuple(comparable(item) for item in value)
    return value


def table_rows(target: Path | str) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every platform table's rows as a multiset, without the columns that may differ."""
    with Warehouse.open(target, read_only=True) as warehouse:
        tables = [r["name"] for r in warehouse.query(
            "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables "
            "WHERE table_schema LIKE 'nba_%' AND table_type = 'BASE TABLE'")]
        found = {}
        for table in tables:
            columns = [c for c in warehouse.table_columns(table) if c not in NOT_COMPARED.get(table, set())]
            rows = warehouse.query(f"SELECT {', '.join(columns) or '1 AS one'} FROM {table}")
            found[table] = Counter(tuple(comparable(row[c]) for c in columns) for row in rows)  # () a row
    return found


def test_a_pipeline_day_writes_the_same_rows_on_duckdb_and_postgresql(tmp_path: Path, postgres_url: str) -> None:
    duck_home, dates = prepared_home(tmp_path / "duckdb", tmp_path / "duckdb" / "warehouse.duckdb")
    postgres_home, postgres_dates = prepared_home(tmp_path / "postgres", postgres_url)
    assert postgres_dates == dates
    # The third day has two days of history (every system predicts); the fourth grades it.
    for home in (duck_home, postgres_home):
        for day in dates[2:4]:
            done = cli(home, "run", "--date", day.isoformat(), "--source", "sim", "--mode", "overnight")
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    duck, postgres = table_rows(duck_home.warehouse_path), table_rows(postgres_url)
    assert sorted(postgres) == sorted(duck)
    for table in ("nba_predictions.player_prop_predictions", "nba_predictions.prediction_accuracy",
                  "nba_precompute.ml_feature_store", "nba_analytics.player_game_summary"):
        assert sum(duck[table].values()) > 0, table  # the day really ran
    assert {t: rows for t, rows in postgres.items() if rows != duck[t]} == {}
