"""Grading one prediction against the box score, as the platform does."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, assert_never

from nbaprops.predictions.odds import STANDARD_PRICE
from nbaprops.predictions.odds import profit_units as price_profit_units
from nbaprops.predictions.recommendation import RecommendationKind


@dataclass(frozen=True)
class PredictionToGrade:
    """The columns of `nba_predictions.player_prop_predictions` that grading reads."""

    prediction_id: str
    game_date: date
    game_id: str
    player_lookup: str
    market: str
    system_id: str
    recommendation: RecommendationKind
    bookmaker: str | None
    line_source: str | None
    predicted_value: float
    line_value: float | None
    over_price: int | None
    under_price: int | None
    p_over: float | None
    confidence: float | None

    def __post_init__(self) -> None:
        try:
            # Rows read back from the warehouse carry the recommendation as its stored string.
            kind = RecommendationKind(self.recommendation)
        except ValueError as e:
            raise ValueError(
                f"Prediction {self.prediction_id} has recommendation {self.recommendation!r}; "
                "expected OVER, UNDER, PASS or NO_LINE."
            ) from e
        object.__setattr__(self, "recommendation", kind)
        if self.line_value is None and self.recommendation is not RecommendationKind.NO_LINE:
            raise ValueError(
                f"Prediction {self.prediction_id} recommends {self.recommendation.value} but has "
                "no line_value; only NO_LINE predictions may lack a line."
            )
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ValueError(
                f"Prediction {self.prediction_id} has confidence {self.confidence!r}; "
                "it must lie between 0 and 1."
            )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PredictionToGrade:
        """From a `player_prop_predictions` row (extra columns are ignored)."""
        return cls(**{field.name: row[field.name] for field in fields(cls)})


@dataclass(frozen=True)
class GameOutcome:
    """What the player did: minutes played and the market's stat (e.g. points)."""

    minutes: float
    actual_value: float


@dataclass(frozen=True)
class GradedPrediction:
    """One row of `nba_predictions.prediction_accuracy`, field for column."""

    prediction_id: str
    game_date: date
    game_id: str
    player_lookup: str
    market: str
    system_id: str
    recommendation: RecommendationKind
    bookmaker: str | None
    line_source: str | None
    predicted_value: float | None
    line_value: float | None
    actual_value: float | None
    p_over: float | None
    confidence: float | None
    prediction_correct: bool | None
    is_push: bool
    is_void: bool
    void_reason: str | None
    absolute_error: float | None
    signed_error: float | None
    predicted_margin: float | None
    actual_margin: float | None
    within_3_points: bool | None
    within_5_points: bool | None
    confidence_decile: int | None
    profit_units: float
    graded_at: datetime

    def as_row(self) -> dict[str, Any]:
        """The row, keyed by the table's column names, the recommendation as its stored string."""
        row = {field.name: getattr(self, field.name) for field in fields(self)}
        row["recommendation"] = self.recommendation.value
        return row


def confidence_decile(confidence: float | None) -> int | None:
    """1 for [0, 0.1), 2 for [0.1, 0.2), ..., 10 for [0.9, 1.0]; None stays None."""
    if confidence is None:
        return None
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"Confidence {confidence!r} has no decile; it must lie between 0 and 1.")
    return min(10, math.floor(confidence * 10) + 1)


def _void_reason(outcome: GameOutcome | None) -> str | None:
    if outcome is None:
        return "no_boxscore"
    if outcome.minutes <= 0:
        return "did_not_play"
    return None


def _correct(recommendation: RecommendationKind, actual: float, line: float) -> bool | None:
    match recommendation:
        case RecommendationKind.OVER:
            return actual > line
        case RecommendationKind.UNDER:
            return actual < line
        case RecommendationKind.PASS | RecommendationKind.NO_LINE:
            return None
        case _:
            assert_never(recommendation)


def _profit(prediction: PredictionToGrade, correct: bool | None) -> float:
    if correct is None:
        return 0.0
    match prediction.recommendation:
        case RecommendationKind.OVER:
            price = prediction.over_price
        case RecommendationKind.UNDER:
            price = prediction.under_price
        case RecommendationKind.PASS | RecommendationKind.NO_LINE:
            return 0.0
        case _:
            assert_never(prediction.recommendation)
    return price_profit_units(STANDARD_PRICE if price is None else price, won=correct)


def grade_prediction(
    prediction: PredictionToGrade, outcome: GameOutcome | None, *, graded_at: datetime
) -> GradedPrediction:
    """Grade one prediction against the player's box score (`outcome`, None when he has no row).

    - Void (is_void, no actual_value, prediction_correct None, profit 0) when there is no
      box-score row ("no_boxscore") or the player logged 0 minutes ("did_not_play").
    - A push (actual == line) leaves prediction_correct None and profit 0; is_push is set for
      PASS too, since it describes the line. PASS and NO_LINE are never correct or wrong and earn
      0, but their error fields are filled when the player played.
    - Profit is per 1-unit stake at the offered price of the recommended side; a missing price
      is taken as -110.
    """
    line = prediction.line_value
    void_reason = _void_reason(outcome)
    predicted_margin = None if line is None else prediction.predicted_value - line
    actual: float | None = None
    correct: bool | None = None
    is_push = False
    absolute_error = signed_error = actual_margin = None
    within_3 = within_5 = None
    if outcome is not None and void_reason is None:
        actual = outcome.actual_value
        signed_error = prediction.predicted_value - actual
        absolute_error = abs(signed_error)
        within_3 = absolute_error <= 3.0
        within_5 = absolute_error <= 5.0
        if line is not None:
            actual_margin = actual - line
            is_push = actual == line
            if not is_push:
                correct = _correct(prediction.recommendation, actual, line)
    return GradedPrediction(
        prediction_id=prediction.prediction_id,
        game_date=prediction.game_date,
        game_id=prediction.game_id,
        player_lookup=prediction.player_lookup,
        market=prediction.market,
        system_id=prediction.system_id,
        recommendation=prediction.recommendation,
        bookmaker=prediction.bookmaker,
        line_source=prediction.line_source,
        predicted_value=prediction.predicted_value,
        line_value=line,
        actual_value=actual,
        p_over=prediction.p_over,
        confidence=prediction.confidence,
        prediction_correct=correct,
        is_push=is_push,
        is_void=void_reason is not None,
        void_reason=void_reason,
        absolute_error=absolute_error,
        signed_error=signed_error,
        predicted_margin=predicted_margin,
        actual_margin=actual_margin,
        within_3_points=within_3,
        within_5_points=within_5,
        confidence_decile=confidence_decile(prediction.confidence),
        profit_units=_profit(prediction, correct),
        graded_at=graded_at,
    )
