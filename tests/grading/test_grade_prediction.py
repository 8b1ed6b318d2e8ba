from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nbaprops.grading as grading
from nbaprops.grading import (
    GameOutcome,
    PredictionToGrade,
    confidence_decile,
    grade_prediction,
)
from nbaprops.predictions import LineSource, PropPrediction, RecommendationKind
from nbaprops.warehouse import Warehouse

OVER, UNDER, PASS, NO_LINE = (
    RecommendationKind.OVER,
    RecommendationKind.UNDER,
    RecommendationKind.PASS,
    RecommendationKind.NO_LINE,
)
GRADED_AT = datetime(2025, 1, 11, 9, 0)
GAME_DATE = date(2025, 1, 10)


def prediction(
    recommendation: RecommendationKind | str,
    line: float | None,
    predicted: float,
    *,
    over: int | None = -110,
    under: int | None = -110,
    confidence: float | None = 0.62,
    prediction_id: str = "p-1",
) -> PredictionToGrade:
    return PredictionToGrade(
        prediction_id=prediction_id, game_date=GAME_DATE, game_id="0022400500",
        player_lookup="jaysontatum", market="points", system_id="baseline",
        recommendation=recommendation,  # type: ignore[arg-type]
        bookmaker=None if line is None else "draftkings",
        line_source="none" if line is None else "preferred",
        predicted_value=predicted, line_value=line, over_price=over, under_price=under,
        p_over=None if line is None else 0.58, confidence=confidence,
    )


PLAYED_30 = GameOutcome(minutes=34.5, actual_value=30.0)
FIELDS = ("actual_value", "prediction_correct", "is_push", "is_void", "void_reason",
          "absolute_error", "signed_error", "predicted_margin", "actual_margin",
          "within_3_points", "within_5_points", "profit_units")

CASES: dict[str, tuple[PredictionToGrade, GameOutcome | None, tuple[Any, ...]]] = {
    # name: (prediction, outcome, values of FIELDS)
    "over wins": (prediction(OVER, 24.5, 27.0), PLAYED_30,
                  (30.0, True, False, False, None, 3.0, -3.0, 2.5, 5.5, True, True, 100 / 110)),
    "over loses": (prediction(OVER, 24.5, 27.0), GameOutcome(31.0, 20.0),
                   (20.0, False, False, False, None, 7.0, 7.0, 2.5, -4.5, False, False, -1.0)),
    "over wins at plus money": (
        prediction(OVER, 24.5, 27.0, over=150), PLAYED_30,
        (30.0, True, False, False, None, 3.0, -3.0, 2.5, 5.5, True, True, 1.5)),
    "over with no over price is paid at -110": (
        prediction(OVER, 24.5, 27.0, over=None), PLAYED_30,
        (30.0, True, False, False, None, 3.0, -3.0, 2.5, 5.5, True, True, 100 / 110)),
    "under wins": (prediction(UNDER, 24.5, 21.0, under=120), GameOutcome(28.0, 20.0),
                   (20.0, True, False, False, None, 1.0, 1.0, -3.5, -4.5, True, True, 1.2)),
    "under loses": (prediction(UNDER, 24.5, 21.0, under=120), PLAYED_30,
                    (30.0, False, False, False, None, 9.0, -9.0, -3.5, 5.5, False, False, -1.0)),
    "over pushes on an integer line": (
        prediction(OVER, 30.0, 32.0), PLAYED_30,
        (30.0, None, True, False, None, 2.0, 2.0, 2.0, 0.0, True, True, 0.0)),
    "under pushes on an integer line": (
        prediction(UNDER, 30.0, 26.0), PLAYED_30,
        (30.0, None, True, False, None, 4.0, -4.0, -4.0, 0.0, False, True, 0.0)),
    "void: no box-score row": (
        prediction(OVER, 24.5, 27.0), None,
        (None, None, False, True, "no_boxscore", None, None, 2.5, None, None, None, 0.0)),
    "void: zero minutes": (
        prediction(UNDER, 24.5, 21.0), GameOutcome(0.0, 0.0),
        (None, None, False, True, "did_not_play", None, None, -3.5, None, None, None, 0.0)),
    "pass is graded for error only": (
        prediction(PASS, 24.5, 25.0), PLAYED_30,
        (30.0, None, False, False, None, 5.0, -5.0, 0.5, 5.5, False, True, 0.0)),
    "pass on a pushed line": (
        prediction(PASS, 30.0, 30.5), PLAYED_30,
        (30.0, None, True, False, None, 0.5, 0.5, 0.5, 0.0, True, True, 0.0)),
    "pass void": (
        prediction(PASS, 24.5, 25.0), GameOutcome(0.0, 0.0),
        (None, None, False, True, "did_not_play", None, None, 0.5, None, None, None, 0.0)),
    "no line is graded for error only": (
        prediction(NO_LINE, None, 27.0), PLAYED_30,
        (30.0, None, False, False, None, 3.0, -3.0, None, None, True, True, 0.0)),
    "no line void": (
        prediction(NO_LINE, None, 27.0), None,
        (None, None, False, True, "no_boxscore", None, None, None, None, None, None, 0.0)),
    "stored string recommendation": (
        prediction("UNDER", 24.5, 21.0), GameOutcome(28.0, 20.0),
        (20.0, True, False, False, None, 1.0, 1.0, -3.5, -4.5, True, True, 100 / 110)),
}


@pytest.mark.parametrize(("to_grade", "outcome", "expected"), CASES.values(), ids=CASES.keys())
def test_grade_prediction(
    to_grade: PredictionToGrade, outcome: GameOutcome | None, expected: tuple[Any, ...]
) -> None:
    graded = grade_prediction(to_grade, outcome, graded_at=GRADED_AT)
    actual = tuple(getattr(graded, name) for name in FIELDS)
    assert actual == pytest.approx(expected)
    for name, value in zip(FIELDS, expected, strict=True):
        assert type(getattr(graded, name)) is type(value), name
    assert graded.confidence_decile == 7
    assert graded.graded_at == GRADED_AT
    assert graded.recommendation is RecommendationKind(to_grade.recommendation)


@pytest.mark.parametrize(
    ("confidence", "decile"),
    [(None, None), (0.0, 1), (0.05, 1), (0.0999, 1), (0.1, 2), (0.3, 4), (0.5, 6), (0.7, 8),
     (0.8999, 9), (0.9, 10), (0.99, 10), (1.0, 10)],
)
def test_confidence_decile(confidence: float | None, decile: int | None) -> None:
    assert confidence_decile(confidence) == decile
    graded = grade_prediction(
        prediction(OVER, 24.5, 27.0, confidence=confidence), PLAYED_30, graded_at=GRADED_AT
    )
    assert graded.confidence_decile == decile


@pytest.mark.parametrize("confidence", [-0.01, 1.01])
def test_confidence_outside_0_1_has_no_decile(confidence: float) -> None:
    with pytest.raises(ValueError, match=f"Confidence {confidence} has no decile"):
        confidence_decile(confidence)
    with pytest.raises(ValueError, match=f"Prediction p-1 has confidence {confidence}; it must"):
        prediction(OVER, 24.5, 27.0, confidence=confidence)


@pytest.mark.parametrize("recommendation", [OVER, UNDER, PASS])
def test_a_prediction_with_a_side_needs_a_line(recommendation: RecommendationKind) -> None:
    message = f"Prediction p-1 recommends {recommendation.value} but has no line_value"
    with pytest.raises(ValueError, match=message):
        prediction(recommendation, None, 27.0)


def test_an_unknown_recommendation_names_the_prediction() -> None:
    with pytest.raises(ValueError, match="Prediction p-1 has recommendation 'SIDEWAYS'; expected"):
        prediction("SIDEWAYS", 24.5, 27.0)


recommendations = st.sampled_from(list(RecommendationKind))
prices = st.one_of(st.none(), st.integers(100, 500), st.integers(-500, -100))
half_points = st.integers(0, 120).map(lambda n: n / 2)
outcomes = st.one_of(
    st.none(),
    st.builds(GameOutcome, minutes=st.sampled_from([0.0, 4.5, 36.0]),
              actual_value=st.integers(0, 60).map(float)),
)


@st.composite
def predictions(draw: st.DrawFn) -> PredictionToGrade:
    kind = draw(recommendations)
    line = None if kind is NO_LINE else draw(half_points)
    return prediction(kind, line, draw(half_points), over=draw(prices), under=draw(prices),
                      confidence=draw(st.one_of(st.none(), st.floats(0.0, 1.0))))


@given(to_grade=predictions(), outcome=outcomes)
def test_grading_is_a_pure_function(
    to_grade: PredictionToGrade, outcome: GameOutcome | None
) -> None:
    first = grade_prediction(to_grade, outcome, graded_at=GRADED_AT)
    second = grade_prediction(to_grade, outcome, graded_at=GRADED_AT)
    assert first == second
    assert first.as_row() == second.as_row()


@given(to_grade=predictions(), outcome=outcomes)
def test_graded_rows_keep_the_invariants(
    to_grade: PredictionToGrade, outcome: GameOutcome | None
) -> None:
    graded = grade_prediction(to_grade, outcome, graded_at=GRADED_AT)
    played = outcome is not None and outcome.minutes > 0
    assert graded.is_void is not played
    assert (graded.actual_value is None) is graded.is_void
    if graded.prediction_correct is None:
        assert graded.profit_units == 0.0
    else:
        assert graded.recommendation in (OVER, UNDER)
        assert not graded.is_push and not graded.is_void
        assert (graded.profit_units > 0) is graded.prediction_correct
    if graded.recommendation in (OVER, UNDER) and played and not graded.is_push:
        assert graded.prediction_correct is not None


def _stored_prediction(
    prediction_id: str, recommendation: RecommendationKind, line: float | None
) -> dict[str, Any]:
    return PropPrediction(
        prediction_id=prediction_id, game_date=GAME_DATE, game_id="0022400500",
        player_lookup="jaysontatum", market="points", system_id="baseline",
        predicted_value=27.0, predicted_std=6.0, distribution="normal", line_value=line,
        bookmaker=None if line is None else "fanduel", over_price=None if line is None else -115,
        under_price=None if line is None else -105,
        line_source=LineSource.NONE if line is None else LineSource.PREFERRED,
        p_over=0.6, p_fair_over=0.52, edge=0.08, expected_value=0.1, confidence=0.95,
        recommendation=recommendation,
        is_active=True, run_id="r1", created_at=datetime(2025, 1, 10, 20, 0), p_over_model=0.62,
    ).as_row()


def test_predictions_read_back_are_graded_into_the_accuracy_table(warehouse: Warehouse) -> None:
    stored = [_stored_prediction("p-1", OVER, 24.5), _stored_prediction("p-2", NO_LINE, None)]
    warehouse.replace_partition(
        "nba_predictions.player_prop_predictions", {"game_date": GAME_DATE}, stored
    )
    read_back = warehouse.query(
        "SELECT * FROM nba_predictions.player_prop_predictions ORDER BY prediction_id"
    )
    graded = [
        grade_prediction(PredictionToGrade.from_row(row), PLAYED_30, graded_at=GRADED_AT).as_row()
        for row in read_back
    ]
    table = "nba_predictions.prediction_accuracy"
    assert list(graded[0]) == warehouse.table_columns(table)
    warehouse.replace_partition(table, {"game_date": GAME_DATE}, graded)
    assert warehouse.query(f"SELECT * FROM {table} ORDER BY prediction_id") == graded
    assert graded[0]["recommendation"] == "OVER" and graded[0]["prediction_correct"] is True
    assert graded[0]["profit_units"] == pytest.approx(100 / 115)
    assert graded[0]["confidence_decile"] == 10
    assert graded[1]["recommendation"] == "NO_LINE" and graded[1]["absolute_error"] == 3.0


def test_public_names_are_exported() -> None:
    public = {name for name in vars(grading) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(grading, name)).__name__ == "module"}
    assert set(grading.__all__) == public - modules

