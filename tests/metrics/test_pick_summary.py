import json
from datetime import date, datetime

import pytest

from nbaprops.grading import GameOutcome, GradedPrediction, PredictionToGrade, grade_prediction
from nbaprops.metrics import PickSummary, summarise_picks, wilson_interval
from nbaprops.predictions import RecommendationKind

OVER, UNDER, PASS, NO_LINE = (
    RecommendationKind.OVER,
    RecommendationKind.UNDER,
    RecommendationKind.PASS,
    RecommendationKind.NO_LINE,
)


def graded(
    recommendation: RecommendationKind,
    line: float | None,
    predicted: float,
    actual: float | None,
    *,
    p_over: float | None = None,
    under_price: int = -110,
) -> GradedPrediction:
    prediction = PredictionToGrade(
        prediction_id=f"{recommendation}-{line}-{actual}", game_date=date(2025, 1, 10),
        game_id="0022400500", player_lookup="jaysontatum", market="points", system_id="baseline",
        recommendation=recommendation, bookmaker="draftkings", line_source="preferred",
        predicted_value=predicted, line_value=line, over_price=-110, under_price=under_price,
        p_over=p_over, confidence=0.5,
    )
    outcome = None if actual is None else GameOutcome(minutes=30.0, actual_value=actual)
    return grade_prediction(prediction, outcome, graded_at=datetime(2025, 1, 11, 9, 0))


ROWS = [
    graded(OVER, 24.5, 27.0, 30.0, p_over=0.7),                    # win +0.909
    graded(OVER, 24.5, 27.0, 20.0, p_over=0.6),                    # loss -1
    graded(UNDER, 24.5, 21.0, 20.0, p_over=0.3, under_price=120),  # win +1.2
    graded(UNDER, 30.0, 27.0, 30.0, p_over=0.4),                   # push 0
    graded(OVER, 24.5, 27.0, None, p_over=0.65),                   # void
    graded(PASS, 24.5, 25.0, 30.0, p_over=0.55),
    graded(NO_LINE, None, 27.0, 30.0),
]


def test_summarise_picks() -> None:
    summary = summarise_picks(ROWS)
    assert (summary.predictions, summary.picks, summary.wins, summary.losses, summary.pushes,
            summary.voids) == (7, 4, 2, 1, 1, 1)
    assert summary.hit_rate == pytest.approx(2 / 3)
    assert summary.hit_rate_interval == wilson_interval(2, 3)
    assert summary.profit_units == pytest.approx(100 / 110 - 1.0 + 1.2)
    assert summary.roi == pytest.approx((100 / 110 - 1.0 + 1.2) / 4)
    # errors over the five non-void rows with a line: |27-30|, |27-20|, |21-20|, |27-30|, |25-30|
    assert summary.mae_prediction == pytest.approx((3 + 7 + 1 + 3 + 5) / 5)
    assert summary.mae_line == pytest.approx((5.5 + 4.5 + 4.5 + 0.0 + 5.5) / 5)
    # the push is left out: 0.7 went over, 0.6 and 0.3 did not, 0.55 went over
    assert summary.brier_score == pytest.approx((0.09 + 0.36 + 0.09 + 0.2025) / 4)
    counts = {round(row.bin_low, 1): (row.count, row.observed_rate) for row in summary.calibration}
    assert counts[0.3] == (1, 0.0) and counts[0.5] == (1, 1.0)
    assert counts[0.6] == (1, 0.0) and counts[0.7] == (1, 1.0)
    assert sum(row.count for row in summary.calibration) == 4


def test_summary_of_nothing() -> None:
    summary = summarise_picks([])
    assert summary == PickSummary(
        predictions=0, picks=0, wins=0, losses=0, pushes=0, voids=0, hit_rate=None,
        hit_rate_interval=(0.0, 1.0), profit_units=0.0, roi=None, mae_prediction=None,
        mae_line=None, brier_score=None, calibration=summary.calibration,
    )
    assert [row.count for row in summary.calibration] == [0] * 10


def test_only_pushes_have_no_hit_rate_but_an_roi() -> None:
    summary = summarise_picks([graded(OVER, 30.0, 31.0, 30.0, p_over=0.6)])
    assert (summary.picks, summary.pushes, summary.hit_rate, summary.roi) == (1, 1, None, 0.0)
    assert summary.brier_score is None


def test_summary_to_json_is_one_json_document() -> None:
    document = summarise_picks(ROWS).to_json()
    decoded = json.loads(json.dumps(document))
    assert decoded == document
    assert list(document) == [
        "predictions", "picks", "wins", "losses", "pushes", "voids", "hit_rate",
        "hit_rate_interval", "profit_units", "roi", "mae_prediction", "mae_line", "brier_score",
        "calibration",
    ]
    assert document["hit_rate_interval"] == list(wilson_interval(2, 3))
    assert len(document["calibration"]) == 10
    assert document["calibration"][7]["count"] == 1


def test_public_names_are_exported() -> None:
    import nbaprops.metrics as metrics

    public = {name for name in vars(metrics) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(metrics, name)).__name__ == "module"}
    assert set(metrics.__all__) == public - modules
