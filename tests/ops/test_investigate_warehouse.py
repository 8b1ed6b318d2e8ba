"""`load_grading_facts` + `diagnose_grading` on fifteen realistic days in a real warehouse."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from tests.ops.test_investigate_builder import SYSTEMS, D, GradingDays, spread

from nbaprops.errors import WarehouseError
from nbaprops.ops import (
    FreshnessStatus,
    GradingPeriod,
    GradingVerdict,
    Tally,
    diagnose_grading,
    load_grading_facts,
)
from nbaprops.warehouse import Warehouse


@pytest.fixture
def days(warehouse: Warehouse) -> GradingDays:
    """Fourteen days at about 55% before D."""
    builder = GradingDays(warehouse)
    builder.history(D)
    return builder


def test_nine_of_48_is_model_drift_not_variance(days: GradingDays) -> None:
    days.day(D, spread(9, 12), passes=1, voids=1)
    facts = load_grading_facts(days.warehouse, D)
    investigation = diagnose_grading(facts)
    assert investigation.verdict is GradingVerdict.MODEL_DRIFT
    assert investigation.p_value is not None and investigation.p_value < 0.001
    overall = investigation.overall
    assert (overall.day.wins, overall.day.decided) == (9, 48)
    assert (overall.history.wins, overall.history.decided) == (371, 672)
    assert overall.check.status.value == "REGRESSION"
    assert [row.key for row in investigation.systems] == list(SYSTEMS)
    assert investigation.coverage.predicted == investigation.coverage.graded == 56


def test_the_facts_are_read_as_the_pipeline_wrote_them(days: GradingDays) -> None:
    days.day(D, spread(9, 12), passes=1, voids=1)
    facts = load_grading_facts(days.warehouse, D)
    assert facts.history_start == D - timedelta(days=14)
    # The superseded prediction made the evening before is inactive and does not count.
    assert facts.first_prediction_at == datetime(2025, 1, 15, 17, 0)
    # Game summaries for D finish the next morning, after the predictions: not what they used.
    assert facts.phase3_processor == "upcoming_player_game_context"
    assert facts.phase3_finished_at == datetime(2025, 1, 15, 15, 0)
    assert {(c.system_id, c.predicted, c.graded) for c in facts.coverage} == {
        (system, 14, 14) for system in SYSTEMS
    }
    day = Tally.total(c.tally for c in facts.cells if c.period is GradingPeriod.DAY)
    assert (day.graded, day.wins, day.losses, day.voids) == (56, 9, 39, 4)
    assert day.error_count == 52  # every row but the voids has an absolute_error
    assert [run.processor for run in facts.latest_runs] == [
        "upcoming_team_game_context", "upcoming_player_game_context", "player_prop_predictions",
        "player_game_summary", "prediction_accuracy",
    ]


def test_three_of_twelve_is_variance(days: GradingDays) -> None:
    days.day(D, spread(3, 3))
    investigation = diagnose_grading(load_grading_facts(days.warehouse, D))
    assert investigation.verdict is GradingVerdict.VARIANCE
    assert "Only 12 graded picks" in investigation.reason


def test_phase3_thirty_hours_before_the_predictions_is_scheduling(days: GradingDays) -> None:
    days.day(D, spread(26, 12), phase3_lead_hours=30)
    investigation = diagnose_grading(load_grading_facts(days.warehouse, D))
    assert investigation.verdict is GradingVerdict.SCHEDULING
    assert investigation.freshness.status is FreshnessStatus.STALE
    assert investigation.freshness.gap_hours == pytest.approx(30.0)


def test_twenty_of_a_hundred_graded_is_a_regrade(days: GradingDays) -> None:
    error = "player_game_summary for 2025-01-15 has no rows"
    days.day(D, spread(52, 25), graded=20, grading_error=error)
    investigation = diagnose_grading(load_grading_facts(days.warehouse, D))
    assert investigation.verdict is GradingVerdict.REGRADE
    assert (investigation.coverage.predicted, investigation.coverage.graded) == (100, 20)
    assert {s.system_id: s.missing for s in investigation.coverage.systems} == {
        "gbm": 5, "matchup": 25, "moving_average": 25, "similarity": 25,
    }
    assert f"failed with ProcessorError: {error}" in investigation.reason
    assert "`nbaprops run --date 2025-01-15 --results --rerun`" in investigation.action


def test_one_system_at_20_percent_is_that_systems_regression(days: GradingDays) -> None:
    days.day(D, {"gbm": (10, 40), "matchup": (28, 22), "moving_average": (27, 23),
                 "similarity": (28, 22)})
    investigation = diagnose_grading(load_grading_facts(days.warehouse, D))
    assert investigation.verdict is GradingVerdict.SYSTEM_REGRESSION
    assert investigation.named_systems == ("gbm",)
    assert investigation.overall.check.status.value == "REGRESSION"
    statuses = {row.key: row.check.status.value for row in investigation.systems}
    assert statuses == {"gbm": "REGRESSION", "matchup": "NORMAL", "moving_average": "NORMAL",
                        "similarity": "NORMAL"}


def test_an_empty_day_is_no_data(warehouse: Warehouse) -> None:
    investigation = diagnose_grading(load_grading_facts(warehouse, D))
    assert investigation.verdict is GradingVerdict.NO_DATA
    assert investigation.p_value is None


def test_history_days_bounds_the_history(days: GradingDays) -> None:
    days.day(D, spread(26, 12))
    facts = load_grading_facts(days.warehouse, D, history_days=3)
    assert facts.history_start == D - timedelta(days=3)
    history = Tally.total(c.tally for c in facts.cells if c.period is GradingPeriod.HISTORY)
    assert history.decided == 3 * 48
    with pytest.raises(ValueError, match=r"history_days 0 must be at least 1\."):
        load_grading_facts(days.warehouse, D, history_days=0)


def test_a_missing_table_names_the_fix(warehouse: Warehouse) -> None:
    warehouse.execute("DROP TABLE nba_predictions.prediction_accuracy")
    with pytest.raises(WarehouseError, match=r"Reading the grading facts for 2025-01-15 from .* "
                       r"failed \(Catalog Error: Table with name prediction_accuracy does not "
                       r"exist!\); run `nbaprops db migrate` if a table is missing\."):
        load_grading_facts(warehouse, D)
