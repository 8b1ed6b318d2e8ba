"""How the synthetic books turn a market estimate of a player's mean into a line and two prices."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

# Prop markets in the Odds API's keys, with the variance-to-mean ratio books assume for each.
MARKET_KEYS = (
    "player_points", "player_rebounds", "player_assists", "player_threes",
    "player_points_rebounds_assists",
)
VARIANCE_RATIO = np.array([2.2, 1.15, 1.2, 1.25, 2.6])
BOOKMAKERS = ("draftkings", "fanduel", "betmgm", "williamhill_us", "betrivers", "bovada")
BOOK_WEIGHTS = np.array([0.24, 0.24, 0.17, 0.15, 0.11, 0.09])
SHADED_PRICE = (-130, 100)


def set_lines(rng: np.random.Generator, market_means: np.ndarray) -> np.ndarray:
    """Lines near the books' means: mostly half points, one in ten whole, at least 0.5."""
    half = np.floor(market_means) + 0.5
    whole = np.maximum(np.round(market_means), 1.0)
    return np.where(rng.random(market_means.shape) < 0.9, half, whole)


def fair_over_probability(lines: np.ndarray, means: np.ndarray, markets: np.ndarray) -> np.ndarray:
    """P(over) with pushes removed, under a normal approximation of a count with mean `means`."""
    sd = np.sqrt(VARIANCE_RATIO[markets] * np.maximum(means, 0.05))
    over = 1.0 - ndtr((np.floor(lines) + 0.5 - means) / sd)
    under = ndtr((np.ceil(lines) - 0.5 - means) / sd)
    return over / (over + under)


def american_odds(probabilities: np.ndarray) -> np.ndarray:
    """American odds of implied probabilities (0.6 -> -150, 0.4 -> +150)."""
    p = np.clip(probabilities, 0.03, 0.97)
    return np.where(p >= 0.5, -np.round(100 * p / (1 - p)), np.round(100 * (1 - p) / p)).astype(
        np.int64
    )


def price_lines(
    rng: np.random.Generator, p_over: np.ndarray, *, vig: float
) -> tuple[np.ndarray, np.ndarray]:
    """Over and under prices: the fair probabilities plus the margin, some shaded to -130/+100."""
    over = american_odds(p_over * (1 + vig))
    under = american_odds((1 - p_over) * (1 + vig))
    shaded = rng.random(p_over.shape) < 0.15
    favourite, underdog = SHADED_PRICE
    over = np.where(shaded, np.where(p_over >= 0.5, favourite, underdog), over)
    under = np.where(shaded, np.where(p_over >= 0.5, underdog, favourite), under)
    return over, under
