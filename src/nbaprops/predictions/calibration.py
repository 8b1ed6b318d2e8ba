"""Calibration against the market: blend a system's probability with the vig-free market one.

The backtests showed the systems over-confident where they disagree most with the line (the line
knows rotation and injury news the features lack). The blend weight w in
    p = w * p_model + (1 - w) * p_market
is the least-squares (Brier) fit over earlier graded predictions, in closed form:
    w = sum((y - f) * (m - f)) / sum((m - f) ** 2), clipped to [0, 1],
with m the model's p_over, f the market's and y whether the actual went over. Fitted only on days
before the one predicted, so there is no look-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BlendFit:
    """Sufficient statistics of the fit: sum((y - f)(m - f)), sum((m - f)^2) and the sample size."""

    cross: float
    spread: float
    rows: int

    def weight(self, *, min_rows: int, prior_weight: float) -> float:
        """The fitted weight, or `prior_weight` while fewer than `min_rows` graded rows exist."""
        if self.rows < min_rows or self.spread <= 0:
            return prior_weight
        return float(np.clip(self.cross / self.spread, 0.0, 1.0))


def blend(
    p_over: np.ndarray, p_under: np.ndarray, p_fair_over: np.ndarray, *, weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """Blend both sides; a push keeps its probability, so over + under still equals 1 - p_push."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight is {weight!r}; a blend weight must lie between 0 and 1.")
    no_push = p_over + p_under
    market_over = p_fair_over * no_push
    over = weight * p_over + (1.0 - weight) * market_over
    return over, no_push - over
