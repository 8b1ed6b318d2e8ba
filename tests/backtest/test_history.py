"""Earlier history: Phases 2-4 of game days built without predicting them, the look-back of the days after."""

from __future__ import annotations

from datetime import date, timedelta

from tests.processors.league import TinyLeague

from nbaprops.backtest import run_backtest
from nbaprops.backtest.runner import build_history, history_built
from nbaprops.config import Settings
from nbaprops.pipeline.plan import daily_plan, history_plan, history_results_plan
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(8)]
HISTORY, FIRST = DATES[:-1], DATES[-1]


def _dates(warehouse: Warehouse, table: str) -> list[date]:
    return [row["game_date"] for row in warehouse.query(f"SELECT DISTINCT game_date FROM {table} ORDER BY 1")]


def test_history_plans_stop_before_predicting_and_grading() -> None:
    assert [phase.phase for phase in history_plan()] == ["phase2", "phase3", "phase4"]
    assert [phase.processor_names() for phase in history_plan()] == [
        phase.processor_names() for phase in daily_plan()[:3]
    ]
    assert [phase.phase for phase in history_results_plan()] == ["phase2", "phase3"]


def test_history_is_built_through_phase4_and_the_next_day_predicts_from_it(warehouse: Warehouse) -> None:
    assert not history_built(warehouse, HISTORY)
    runs = build_history(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(), game_dates=HISTORY)
    assert {run.status for run in runs} == {"success"}
    assert {run.phase for run in runs} == {"phase2", "phase3", "phase4"}
    assert {run.run_id for run in runs} == {f"history:{d}" for d in HISTORY} | {"history:final"}
    assert _dates(warehouse, "nba_analytics.player_game_summary") == HISTORY, "the last day's results too"
    assert _dates(warehouse, "nba_precompute.ml_feature_store") == HISTORY
    assert warehouse.scalar("SELECT count(*) FROM nba_predictions.player_prop_predictions") == 0
    assert warehouse.scalar("SELECT count(*) FROM nba_predictions.prediction_accuracy") == 0
    assert history_built(warehouse, HISTORY)

    run_backtest(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(), market="points",
                 start=FIRST, end=FIRST)
    predicted = warehouse.query(
        "SELECT DISTINCT player_lookup FROM nba_predictions.player_prop_predictions WHERE game_date = ? "
        "AND is_active ORDER BY 1", [FIRST])
    assert [row["player_lookup"] for row in predicted] == ["jalenbrunson", "jaylenbrown", "jaysontatum", "joshhart"]
    assert warehouse.scalar("SELECT count(*) FROM nba_predictions.prediction_accuracy WHERE game_date = ?",
                            [FIRST]) > 0


def test_no_history_days_builds_nothing(warehouse: Warehouse) -> None:
    assert build_history(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(), game_dates=[]) == []
    assert warehouse.scalar("SELECT count(*) FROM nba_orchestration.processor_run_history") == 0


def test_a_day_without_its_game_summaries_is_not_built(warehouse: Warehouse) -> None:
    build_history(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(), game_dates=HISTORY)
    warehouse.execute("DELETE FROM nba_analytics.player_game_summary WHERE game_date = ?", [HISTORY[-1]])
    assert not history_built(warehouse, HISTORY)
    assert history_built(warehouse, HISTORY[:-1]) and history_built(warehouse, [])
