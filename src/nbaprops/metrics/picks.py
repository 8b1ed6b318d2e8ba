"""The summary of a set of graded predictions that backtests and investigations report."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nbaprops.grading.rules import GradedPrediction
from nbaprops.metrics.intervals import wilson_interval
from nbaprops.metrics.scores import (
    CalibrationBin,
    brier_score,
    calibration_table,
    mean_absolute_error,
    roi,
)
from nbaprops.predictions.recommendation import RecommendationKind

ACTIONABLE = (RecommendationKind.OVER, RecommendationKind.UNDER)


@dataclass(frozen=True)
class PickSummary:
    """How a set of graded predictions did.

    predictions   every row given
    picks         OVER/UNDER rows that are not void (wins + losses + pushes)
    voids         void rows of any recommendation (the player did not play)
    hit_rate      wins / (wins + losses), None without decided picks; 95% Wilson interval beside it
    roi           profit_units / picks, None without picks
    mae_*         over non-void rows with a line: the prediction's and the line's error vs actual
    brier_score   p_over vs (actual > line) over non-void, non-push rows with a line and a p_over;
                  the calibration table bins the same rows by p_over
    """

    predictions: int
    picks: int
    wins: int
    losses: int
    pushes: int
    voids: int
    hit_rate: float | None
    hit_rate_interval: tuple[float, float]
    profit_units: float
    roi: float | None
    mae_prediction: float | None
    mae_line: float | None
    brier_score: float | None
    calibration: tuple[CalibrationBin, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the interval as a two-item list, calibration as a list of rows)."""
        return {
            "predictions": self.predictions,
            "picks": self.picks,
            "wins": self.wins,
            "losses": self.losses,
            "pushes": self.pushes,
            "voids": self.voids,
            "hit_rate": self.hit_rate,
            "hit_rate_interval": list(self.hit_rate_interval),
            "profit_units": self.profit_units,
            "roi": self.roi,
            "mae_prediction": self.mae_prediction,
            "mae_line": self.mae_line,
            "brier_score": self.brier_score,
            "calibration": [row.to_json() for row in self.calibration],
        }


def summarise_picks(rows: Sequence[GradedPrediction]) -> PickSummary:
    """Counts, hit rate and its Wilson interval, ROI, MAE, Brier score and calibration."""
    picks = [r for r in rows if r.recommendation in ACTIONABLE and not r.is_void]
    wins = sum(r.prediction_correct is True for r in picks)
    losses = sum(r.prediction_correct is False for r in picks)
    profits = [r.profit_units for r in picks]

    predicted, lines, actuals = beside_line(rows)
    scored = [(r.p_over, over) for r in rows if (over := went_over(r)) is not None and r.p_over is not None]
    p_over = [p for p, _ in scored]
    outcomes = [over for _, over in scored]

    return PickSummary(
        predictions=len(rows),
        picks=len(picks),
        wins=wins,
        losses=losses,
        pushes=sum(r.is_push for r in picks),
        voids=sum(r.is_void for r in rows),
        hit_rate=wins / (wins + losses) if wins + losses else None,
        hit_rate_interval=wilson_interval(wins, wins + losses),
        profit_units=math.fsum(profits),
        roi=roi(profits) if profits else None,
        mae_prediction=mean_absolute_error(predicted, actuals) if actuals else None,
        mae_line=mean_absolute_error(lines, actuals) if actuals else None,
        brier_score=brier_score(p_over, outcomes) if p_over else None,
        calibration=tuple(calibration_table(p_over, outcomes)),
    )


def beside_line(rows: Sequence[GradedPrediction]) -> tuple[list[float], list[float], list[float]]:
    """(predicted, line, actual) of the non-void rows with a prediction, a line and an actual value."""
    kept = [
        (r.predicted_value, r.line_value, r.actual_value)
        for r in rows
        if not r.is_void and r.predicted_value is not None and r.line_value is not None
        and r.actual_value is not None
    ]
    return [p for p, _, _ in kept], [line for _, line, _ in kept], [a for _, _, a in kept]


def went_over(row: GradedPrediction) -> bool | None:
    """Whether the player went over the line; None when void, a push, or without a line."""
    if row.is_void or row.is_push or row.line_value is None or row.actual_value is None:
        return None
    return row.actual_value > row.line_value
