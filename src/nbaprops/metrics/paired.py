"""A system's probabilistic scores beside the market's on the same rows, and a paired bootstrap of
the difference: rows are resampled together, so both scores always see the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Log loss clips probabilities this far from 0 and 1, so one certain miss cannot make it infinite.
LOG_LOSS_EPSILON = 1e-6


def log_losses(p: Sequence[float] | np.ndarray, outcomes: Sequence[bool] | np.ndarray) -> np.ndarray:
    """Per row: -log of the probability given to what happened."""
    q = np.clip(np.asarray(p, dtype=float), LOG_LOSS_EPSILON, 1.0 - LOG_LOSS_EPSILON)
    y = np.asarray(outcomes, dtype=float)
    if q.shape != y.shape:
        raise ValueError(f"log_losses needs one outcome per probability, got {q.size} and {y.size}.")
    return np.asarray(-(y * np.log(q) + (1.0 - y) * np.log(1.0 - q)))


def squared_errors(p: Sequence[float] | np.ndarray, outcomes: Sequence[bool] | np.ndarray) -> np.ndarray:
    """Per row: the Brier score's squared error."""
    p, y = np.asarray(p, dtype=float), np.asarray(outcomes, dtype=float)
    if p.shape != y.shape:
        raise ValueError(f"squared_errors needs one outcome per probability, got {p.size} and {y.size}.")
    return (p - y) ** 2


@dataclass(frozen=True)
class PairedDifference:
    """mean(a - b) over paired rows, and its bootstrap percentile interval."""

    value: float
    ci_low: float
    ci_high: float
    rows: int

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "ci_low": self.ci_low, "ci_high": self.ci_high, "rows": self.rows}


def paired_bootstrap(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> PairedDifference:
    """The mean of a - b with a percentile interval from `resamples` resamples of the row pairs.

    Deterministic for a given seed. Raises ValueError for unequal lengths or no rows.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired_bootstrap needs pairs: got {a.size} and {b.size} values.")
    if a.size == 0:
        raise ValueError("paired_bootstrap needs at least one pair of values.")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}.")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence {confidence!r} must lie strictly between 0 and 1.")
    difference = a - b
    rng = np.random.default_rng(seed)
    means = np.empty(resamples)
    # In blocks, so a long season does not hold resamples x rows indices at once.
    block = max(1, 2_000_000 // difference.size)
    for start in range(0, resamples, block):
        count = min(block, resamples - start)
        picks = rng.integers(0, difference.size, size=(count, difference.size))
        means[start:start + count] = difference[picks].mean(axis=1)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return PairedDifference(float(difference.mean()), float(low), float(high), int(difference.size))


@dataclass(frozen=True)
class MarketComparison:
    """A system's Brier score and log loss beside the market's on exactly the same rows."""

    rows: int
    brier: float | None
    market_brier: float | None
    log_loss: float | None
    market_log_loss: float | None
    brier_difference: PairedDifference | None
    log_loss_difference: PairedDifference | None

    def to_json(self) -> dict[str, Any]:
        return {
            "brier": self.brier, "market_brier": self.market_brier,
            "log_loss": self.log_loss, "market_log_loss": self.market_log_loss,
            "brier_difference": None if self.brier_difference is None else self.brier_difference.to_json(),
            "log_loss_difference": None if self.log_loss_difference is None else self.log_loss_difference.to_json(),
            "market_rows": self.rows,
        }


def compare_with_market(
    p_system: Sequence[float], p_market: Sequence[float], outcomes: Sequence[bool], *, resamples: int = 2000,
    seed: int = 0,
) -> MarketComparison:
    """Brier and log loss of the system and the market on the same rows, differences system - market."""
    if not len(p_system) == len(p_market) == len(outcomes):
        raise ValueError("compare_with_market needs one system and one market probability per outcome.")
    if not outcomes:
        return MarketComparison(0, None, None, None, None, None, None)
    se_system, se_market = squared_errors(p_system, outcomes), squared_errors(p_market, outcomes)
    ll_system, ll_market = log_losses(p_system, outcomes), log_losses(p_market, outcomes)
    return MarketComparison(
        rows=len(outcomes),
        brier=float(se_system.mean()), market_brier=float(se_market.mean()),
        log_loss=float(ll_system.mean()), market_log_loss=float(ll_market.mean()),
        brier_difference=paired_bootstrap(se_system, se_market, resamples=resamples, seed=seed),
        log_loss_difference=paired_bootstrap(ll_system, ll_market, resamples=resamples, seed=seed),
    )
