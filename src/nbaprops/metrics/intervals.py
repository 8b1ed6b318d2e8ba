"""Confidence intervals and exact tests for hit rates."""

from __future__ import annotations

import math
from typing import Literal

from scipy.stats import binomtest, norm

Alternative = Literal["two-sided", "less", "greater"]


def _check_counts(successes: int, trials: int) -> None:
    if not 0 <= successes <= trials:
        raise ValueError(
            f"{successes} successes of {trials} trials is impossible; "
            "successes must lie between 0 and trials."
        )


def wilson_interval(
    successes: int, trials: int, *, confidence: float = 0.95
) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion; (0, 1) when there are no trials."""
    _check_counts(successes, trials)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence {confidence!r} must lie strictly between 0 and 1.")
    if trials == 0:
        return 0.0, 1.0
    z = float(norm.ppf(0.5 + confidence / 2.0))
    rate = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (rate + z * z / (2.0 * trials)) / denominator
    half_width = z * math.sqrt(rate * (1.0 - rate) / trials + z * z / (4.0 * trials * trials))
    half_width /= denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half_width)
    high = 1.0 if successes == trials else min(1.0, centre + half_width)
    return low, high


def binomial_test(
    successes: int, trials: int, *, p: float, alternative: Alternative
) -> float:
    """Exact binomial p-value of `successes` in `trials` against success probability `p`.

    "less" asks whether the true rate is below `p`. With no trials there is no evidence: 1.0.
    """
    _check_counts(successes, trials)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p {p!r} must lie between 0 and 1.")
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError(
            f"alternative {alternative!r} is unknown; use 'two-sided', 'less' or 'greater'."
        )
    if trials == 0:
        return 1.0
    return float(binomtest(successes, trials, p, alternative=alternative).pvalue)
