"""Whether a day's hit rate has fallen against its recent history (`investigate grading`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from nbaprops.metrics.intervals import binomial_test, wilson_interval

RATE_TOLERANCE = 1e-9
"""So a drop of exactly `degraded_drop` (0.45 against 0.55) counts despite float rounding."""


class AccuracyStatus(StrEnum):
    REGRESSION = "REGRESSION"
    DEGRADED = "DEGRADED"
    SMALL_SAMPLE = "SMALL SAMPLE"
    NORMAL = "NORMAL"


@dataclass(frozen=True)
class AccuracyCheck:
    """The verdict on one day against its history, with the evidence behind it.

    p_value is the exact one-sided binomial test that the day's rate is below the history rate;
    None when either side has no graded picks.
    """

    status: AccuracyStatus
    p_value: float | None
    day_rate: float | None
    history_rate: float | None
    day_interval: tuple[float, float]
    history_interval: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "p_value": self.p_value,
            "day_rate": self.day_rate,
            "history_rate": self.history_rate,
            "day_interval": list(self.day_interval),
            "history_interval": list(self.history_interval),
        }


def classify_accuracy(
    day_correct: int,
    day_total: int,
    history_correct: int,
    history_total: int,
    *,
    min_sample: int = 20,
    alpha: float = 0.05,
    degraded_drop: float = 0.10,
) -> AccuracyCheck:
    """Classify a day's hit rate against the history rate, checking in this order:

    SMALL SAMPLE  the day (or the history) has fewer than `min_sample` graded picks;
    REGRESSION    p_value < `alpha` and the day's 95% Wilson upper bound is below the history rate;
    DEGRADED      the day is at least `degraded_drop` (10 points) below history, not significant;
    NORMAL        otherwise.
    """
    if min_sample < 1:
        raise ValueError(f"min_sample {min_sample!r} must be at least 1.")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha {alpha!r} must lie strictly between 0 and 1.")
    day_interval = wilson_interval(day_correct, day_total)
    history_interval = wilson_interval(history_correct, history_total)
    day_rate = day_correct / day_total if day_total else None
    history_rate = history_correct / history_total if history_total else None
    p_value = None
    if day_rate is not None and history_rate is not None:
        p_value = binomial_test(day_correct, day_total, p=history_rate, alternative="less")

    if (
        day_rate is None
        or history_rate is None
        or p_value is None
        or day_total < min_sample
        or history_total < min_sample
    ):
        status = AccuracyStatus.SMALL_SAMPLE
    elif p_value < alpha and day_interval[1] < history_rate:
        status = AccuracyStatus.REGRESSION
    elif day_rate <= history_rate - degraded_drop + RATE_TOLERANCE:
        status = AccuracyStatus.DEGRADED
    else:
        status = AccuracyStatus.NORMAL
    return AccuracyCheck(status, p_value, day_rate, history_rate, day_interval, history_interval)


def drop_p_value(day_correct: int, day_total: int, history_correct: int, history_total: int) -> float | None:
    """One-sided p-value that the day's hit rate is below the history's, with BOTH rates estimated
    (a pooled two-proportion z-test). Stricter than `classify_accuracy`'s binomial test, which takes
    the history's rate as known: a short history's rate is itself uncertain. None without data."""
    if day_total < 1 or history_total < 1:
        return None
    pooled = (day_correct + history_correct) / (day_total + history_total)
    spread = pooled * (1 - pooled) * (1 / day_total + 1 / history_total)
    if spread <= 0:
        return None
    z = (history_correct / history_total - day_correct / day_total) / math.sqrt(spread)
    return 0.5 * math.erfc(z / math.sqrt(2))
