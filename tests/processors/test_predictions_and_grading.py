from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.processors.league import TinyLeague

from nbaprops.backtest import run_backtest
from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.grading import PredictionAccuracyProcessor
from nbaprops.processors.phase5 import PlayerPropPredictionsProcessor
from nbaprops.processors.runner import run_processor
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(10)]
LAST = DATES[-1]
ACTIVE_PER_KEY = """
    SELECT player_lookup, market, system_id, count(*) FILTER (WHERE is_active) AS active, count(*) AS total
    FROM nba_predictions.player_prop_predictions WHERE game_date = ? GROUP BY ALL ORDER BY ALL
"""


@pytest.fixture
def season(warehouse: Warehouse) -> Warehouse:
    run_backtest(warehouse=warehouse, source=TinyLeague(DATES), settings=Settings(), market="points",
                 start=DATES[0], end=LAST)
    return warehouse


def context(warehouse: Warehouse, run_id: str, hours_after: float = 0) -> ProcessorContext:
    clock = VirtualClock(datetime(LAST.year, LAST.month, LAST.day, 23, tzinfo=UTC) + timedelta(hours=hours_after))
    return ProcessorContext(warehouse=warehouse, source=TinyLeague(DATES), clock=clock, settings=Settings(),
                            run_id=run_id, markets=("points",))


def test_each_system_predicts_with_a_recommendation_against_the_line(season: Warehouse) -> None:
    rows = season.query("SELECT * FROM nba_predictions.player_prop_predictions WHERE game_date = ?", [LAST])
    assert {r["system_id"] for r in rows} >= {"moving_average", "matchup", "ensemble"}
    for row in rows:
        assert row["line_value"] == 22.5 and row["line_source"] == "preferred" and row["bookmaker"] == "draftkings"
        assert row["recommendation"] in ("OVER", "UNDER", "PASS")
        assert 0 <= row["p_over"] <= 1 and 0 <= row["confidence"] <= 1
        assert row["p_fair_over"] == pytest.approx(0.5349 / (0.5349 + 0.5122), abs=1e-3)  # -115 / -105, vig removed


def test_a_new_run_supersedes_and_keeps_the_old_rows_for_audit(season: Warehouse) -> None:
    before = {(r["player_lookup"], r["system_id"]): r["total"] for r in season.query(ACTIVE_PER_KEY, [LAST])}
    run_processor(PlayerPropPredictionsProcessor(), context(season, "lines-updated", hours_after=1), LAST)
    after = season.query(ACTIVE_PER_KEY, [LAST])
    assert all(r["active"] == 1 for r in after)
    assert all(r["total"] == before[(r["player_lookup"], r["system_id"])] + 1 for r in after)
    newest = season.query("SELECT DISTINCT run_id FROM nba_predictions.player_prop_predictions "
                          "WHERE game_date = ? AND is_active", [LAST])
    assert newest == [{"run_id": "lines-updated"}]


def test_rerunning_the_same_run_replaces_instead_of_duplicating(season: Warehouse) -> None:
    ctx = context(season, "retry-me", hours_after=1)
    run_processor(PlayerPropPredictionsProcessor(), ctx, LAST)
    first = season.query(ACTIVE_PER_KEY, [LAST])
    run_processor(PlayerPropPredictionsProcessor(), ctx, LAST, attempt=2)
    assert season.query(ACTIVE_PER_KEY, [LAST]) == first


def test_grading_the_same_date_twice_gives_the_same_rows(season: Warehouse) -> None:
    graded_day = DATES[-2]
    select = "SELECT * FROM nba_predictions.prediction_accuracy WHERE game_date = ? ORDER BY prediction_id"
    first = season.query(select, [graded_day])
    assert first, "the backtest graded the day before the last"
    run_processor(PredictionAccuracyProcessor(), context(season, "regrade"), graded_day)
    second = season.query(select, [graded_day])
    assert [{k: v for k, v in r.items() if k != "graded_at"} for r in second] == \
        [{k: v for k, v in r.items() if k != "graded_at"} for r in first]


def test_a_player_without_a_box_score_is_void_not_wrong(season: Warehouse) -> None:
    season.execute("DELETE FROM nba_analytics.player_game_summary WHERE game_date = ? AND player_lookup = 'joshhart'",
                   [DATES[-2]])
    run_processor(PredictionAccuracyProcessor(), context(season, "regrade"), DATES[-2])
    rows = season.query("SELECT DISTINCT is_void, void_reason, prediction_correct, profit_units FROM "
                        "nba_predictions.prediction_accuracy WHERE game_date = ? AND player_lookup = 'joshhart'",
                        [DATES[-2]])
    assert rows == [{"is_void": True, "void_reason": "no_boxscore", "prediction_correct": None, "profit_units": 0.0}]


def test_without_enough_history_only_the_market_anchored_systems_predict(warehouse: Warehouse) -> None:
    run_backtest(warehouse=warehouse, source=TinyLeague(DATES[:4]), settings=Settings(), market="points",
                 start=DATES[0], end=DATES[3])
    rows = warehouse.query("SELECT DISTINCT system_id FROM nba_predictions.player_prop_predictions")
    assert {row["system_id"] for row in rows} == {"market", "ensemble"}
