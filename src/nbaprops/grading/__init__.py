"""Grading: each prediction against the box score (`nba_predictions.prediction_accuracy`)."""

from nbaprops.grading.rules import (
    GameOutcome,
    GradedPrediction,
    PredictionToGrade,
    confidence_decile,
    grade_prediction,
)

__all__ = [
    "GameOutcome",
    "GradedPrediction",
    "PredictionToGrade",
    "confidence_decile",
    "grade_prediction",
]
