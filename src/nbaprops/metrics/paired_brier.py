"""Two systems' Brier scores on the same rows, with a day-clustered interval of their difference.

Each graded day gives its rows' sums of squared errors of both systems, `first_sum` and `second_sum`;
the paired difference d = (p_first - y)^2 - (p_second - y)^2 is below 0 where the first did better.
Rows of one day share news, so the standard error of the mean difference is clustered by day (as in
`metrics.evidence`): var = G/(G-1) * sum_g (D_g - mean * n_g)^2 / N^2. The interval is
mean -/+ z * se with z the one-sided quantile of `confidence`: the first is better with that
confidence when the upper bound is below 0, worse when the lower bound is above 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from scipy.stats import norm


@dataclass(frozen=True)
class PairedDay:
    """One graded day: rows both systems predicted, and each one's sum of squared errors there."""

    game_date: date
    rows: int
    first_sum: float
    second_sum: float


@dataclass(frozen=True)
class PairedBrier:
    """The first system's Brier score against the second's on the same rows."""

    days: int
    rows: int
    first_brier: float | None
    second_brier: float | None
    mean_difference: float | None
    lower: float | None
    upper: float | None
    confidence: float

    @property
    def first_better(self) -> bool:
        return self.upper is not None and self.upper < 0.0

    @property
    def first_worse(self) -> bool:
        return self.lower is not None and self.lower > 0.0

    def describe(self, first: str = "system", second: str = "champion") -> str:
        """The record in one line: both Brier scores, the difference and its interval."""
        if self.first_brier is None or self.second_brier is None or self.mean_difference is None:
            return f"no rows graded for both {first} and {second}"
        bounds = "" if self.lower is None or self.upper is None else (
            f", {self.confidence:.0%} one-sided bounds [{self.lower:+.4f}, {self.upper:+.4f}]")
        return (f"Brier {first} {self.first_brier:.4f} vs {second} {self.second_brier:.4f} over {self.rows} rows "
                f"of {self.days} days: difference {self.mean_difference:+.4f}{bounds}")

    def to_json(self) -> dict[str, Any]:
        return {"days": self.days, "rows": self.rows, "first_brier": self.first_brier,
                "second_brier": self.second_brier, "mean_difference": self.mean_difference,
                "lower": self.lower, "upper": self.upper, "confidence": self.confidence}


def paired_brier(days: Sequence[PairedDay], *, confidence: float) -> PairedBrier:
    """The Brier scores of both systems over `days` and the clustered bounds of their difference
    (no bounds with fewer than two days)."""
    if not 0.5 < confidence < 1.0:
        raise ValueError(f"confidence {confidence!r} must lie strictly between 0.5 and 1.")
    kept = [day for day in days if day.rows > 0]
    rows = sum(day.rows for day in kept)
    if rows == 0:
        return PairedBrier(0, 0, None, None, None, None, None, confidence)
    first = math.fsum(day.first_sum for day in kept) / rows
    second = math.fsum(day.second_sum for day in kept) / rows
    mean = first - second
    if len(kept) < 2:
        return PairedBrier(len(kept), rows, first, second, mean, None, None, confidence)
    clusters = len(kept)
    spread = math.fsum((day.first_sum - day.second_sum - mean * day.rows) ** 2 for day in kept)
    half_width = float(norm.ppf(confidence)) * math.sqrt(clusters / (clusters - 1) * spread) / rows
    return PairedBrier(clusters, rows, first, second, mean, mean - half_width, mean + half_width, confidence)
