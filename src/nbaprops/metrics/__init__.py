"""Statistics for backtest reports and `investigate grading`: intervals, scores, pick summaries."""

from nbaprops.metrics.accuracy import AccuracyCheck, AccuracyStatus, classify_accuracy
from nbaprops.metrics.intervals import binomial_test, wilson_interval
from nbaprops.metrics.picks import PickSummary, summarise_picks
from nbaprops.metrics.scores import (
    CalibrationBin,
    brier_score,
    calibration_table,
    mean_absolute_error,
    roi,
)

__all__ = [
    "AccuracyCheck",
    "AccuracyStatus",
    "CalibrationBin",
    "PickSummary",
    "binomial_test",
    "brier_score",
    "calibration_table",
    "classify_accuracy",
    "mean_absolute_error",
    "roi",
    "summarise_picks",
    "wilson_interval",
]
