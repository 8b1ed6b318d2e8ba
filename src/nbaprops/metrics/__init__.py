"""Statistics for backtest reports and `investigate grading`: intervals, scores, pick summaries."""

from nbaprops.metrics.accuracy import AccuracyCheck, AccuracyStatus, classify_accuracy
from nbaprops.metrics.intervals import binomial_test, wilson_interval
from nbaprops.metrics.picks import PickSummary, summarise_picks
from nbaprops.metrics.prices import MarketQuote, PriceSummary, picked_price, summarise_prices
from nbaprops.metrics.scores import (
    CalibrationBin,
    brier_score,
    calibration_table,
    mean_absolute_error,
    roi,
)
from nbaprops.metrics.versus_line import LineComparison, compare_with_line

__all__ = [
    "AccuracyCheck",
    "AccuracyStatus",
    "CalibrationBin",
    "LineComparison",
    "MarketQuote",
    "PickSummary",
    "PriceSummary",
    "binomial_test",
    "brier_score",
    "calibration_table",
    "classify_accuracy",
    "compare_with_line",
    "mean_absolute_error",
    "picked_price",
    "roi",
    "summarise_picks",
    "summarise_prices",
    "wilson_interval",
]
