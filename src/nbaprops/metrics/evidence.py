"""The walk-forward record that lets a system pick: has it beaten the market's Brier score?

Each earlier graded day of a market gives, over its rows, the sum of the paired differences
    d = (p_over - y)^2 - (p_fair_over - y)^2
(the system's squared error minus the vig-free market's on the same row; below 0 the system did
better). Rows of one day share news and are not independent, so the standard error of the mean
difference is clustered by day: var = G/(G-1) * sum_g (D_g - mean * n_g)^2 / N^2 over G days of
D_g summed differences and n_g rows. The record supports picks when the one-sided upper bound
mean + z * se lies below 0 with at least `min_days` days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from scipy.stats import norm


@dataclass(frozen=True)
class DayBrier:
    """One graded day of one system and market: rows and the sum of their Brier differences."""

    game_date: date
    rows: int
    difference_sum: float


@dataclass(frozen=True)
class Evidence:
    """A system's Brier record against the market on earlier days, and whether it supports picks."""

    days: int
    rows: int
    mean_difference: float | None
    upper_bound: float | None
    confidence: float
    min_days: int

    @property
    def supported(self) -> bool:
        return self.days >= self.min_days and self.upper_bound is not None and self.upper_bound < 0.0

    def describe(self) -> str:
        """The record in a few words: the mean difference and its bound, or the days still missing."""
        if self.days < self.min_days or self.mean_difference is None or self.upper_bound is None:
            return f"{self.days} graded days of the market, {self.min_days} needed"
        return (f"Brier vs market {self.mean_difference:+.4f} over {self.days} days, "
                f"{self.confidence:.0%} bound {self.upper_bound:+.4f}")

    def to_json(self) -> dict[str, Any]:
        return {"days": self.days, "rows": self.rows, "mean_difference": self.mean_difference,
                "upper_bound": self.upper_bound, "confidence": self.confidence, "supported": self.supported}


def brier_evidence(days: Sequence[DayBrier], *, confidence: float, min_days: int) -> Evidence:
    """The day-clustered one-sided upper bound of the mean Brier difference over `days`."""
    if not 0.5 < confidence < 1.0:
        raise ValueError(f"confidence {confidence!r} must lie strictly between 0.5 and 1.")
    kept = [day for day in days if day.rows > 0]
    rows = sum(day.rows for day in kept)
    if len(kept) < 2 or rows == 0:
        mean = math.fsum(day.difference_sum for day in kept) / rows if rows else None
        return Evidence(len(kept), rows, mean, None, confidence, min_days)
    mean = math.fsum(day.difference_sum for day in kept) / rows
    clusters = len(kept)
    spread = math.fsum((day.difference_sum - mean * day.rows) ** 2 for day in kept)
    standard_error = math.sqrt(clusters / (clusters - 1) * spread) / rows
    upper = mean + float(norm.ppf(confidence)) * standard_error
    return Evidence(clusters, rows, mean, upper, confidence, min_days)
