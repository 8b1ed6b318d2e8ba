"""The predictive distribution a market implies: the count whose P(over line) is the fair probability.

Variance is `dispersion * mean` (negative binomial above 1, Poisson at 1). Books refund a push, so
their fair over probability is P(X > L | X != L); for a half line that is P(X > L). The mean is
found by bisection in log space: P(X > L | X != L) grows with the mean at a fixed dispersion.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from nbaprops.predictions.distributions import DISPERSION_TOLERANCE

MIN_MEAN = 1e-3
_BISECTION_STEPS = 36
# Fair probabilities are kept this far from 0 and 1, where no finite mean matches them.
PROBABILITY_FLOOR = 1e-3


def _cdf(k: np.ndarray, mean: np.ndarray, dispersion: float) -> np.ndarray:
    """P(X <= k) through the regularised incomplete beta and gamma functions (k < 0 gives 0)."""
    safe_k = np.maximum(k, 0.0)
    if dispersion <= 1.0 + DISPERSION_TOLERANCE:
        cdf = special.gammaincc(safe_k + 1.0, mean)
    else:
        cdf = special.betainc(mean / (dispersion - 1.0), safe_k + 1.0, 1.0 / dispersion)
    return np.where(k < 0, 0.0, cdf)


def _conditional_p_over(mean: np.ndarray, line: np.ndarray, dispersion: float) -> np.ndarray:
    """P(X > line | X != line) under the mean-dispersion count distribution."""
    floor = np.floor(line)
    below = _cdf(floor, mean, dispersion)
    whole = line == floor
    at = np.zeros_like(below)
    if np.any(whole):
        at = np.where(whole, below - _cdf(floor - 1.0, mean, dispersion), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(1.0 - at > 0, (1.0 - below) / (1.0 - at), 0.0)


def implied_mean(line: np.ndarray, p_over: np.ndarray, *, dispersion: float) -> np.ndarray:
    """Per row, the mean whose P(X > line | no push) equals `p_over` (NaN where either is unknown)."""
    line = np.asarray(line, dtype=float)
    p_over = np.clip(np.asarray(p_over, dtype=float), PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
    known = np.isfinite(line) & np.isfinite(p_over) & (line >= 0)
    result = np.full(line.shape, np.nan)
    if not np.any(known):
        return result
    target, at = p_over[known], line[known]
    low = np.full(at.shape, np.log(MIN_MEAN))
    high = np.log(4.0 * at + 20.0)
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        too_low = _conditional_p_over(np.exp(middle), at, dispersion) < target
        low = np.where(too_low, middle, low)
        high = np.where(too_low, high, middle)
    result[known] = np.exp(0.5 * (low + high))
    return result


def implied_std(mean: np.ndarray, *, dispersion: float) -> np.ndarray:
    """The std that goes with `mean`: sqrt(dispersion * mean)."""
    return np.sqrt(max(dispersion, 1.0) * np.asarray(mean, dtype=float))


def fit_dispersion(line: np.ndarray, actual: np.ndarray, *, min_rows: int, default: float) -> float:
    """Variance-to-mean ratio of the actual stat around the line over past rows, at least 1.

    The line stands in for the mean (it sits near the median); fewer than `min_rows` rows give
    `default`.
    """
    usable = np.isfinite(line) & np.isfinite(actual) & (line > 0)
    if np.count_nonzero(usable) < min_rows:
        return default
    squared = (actual[usable] - line[usable]) ** 2
    return float(max(squared.sum() / line[usable].sum(), 1.0))
