"""A learned adjustment of the market's fair probability: logistic regression with the market's logit
as offset, ridge-shrunk toward zero, so with little evidence the prediction is the market's.

    logit(p) = logit(p_market) + b0 + sum_j b_j * z_j

z are standardised features a bettor would look at (the market's own logit, for its slope; form
against the line; minutes trend; rest; opponent; pace; teammates missing; usage; venue; sample).
An unknown feature sits at its mean (0). Fitted by Newton steps on the penalised log likelihood.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.market_distribution import PROBABILITY_FLOOR

FEATURE_NAMES: tuple[str, ...] = (
    "market_logit", "season_vs_line", "last5_vs_line", "minutes_trend", "days_rest", "back_to_back",
    "opponent", "pace", "teammates_out", "usage", "home", "sample",
)
_MAX_REST_DAYS = 4.0
_NEWTON_STEPS = 12


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
    return np.log(p / (1.0 - p))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def market_probability(frame: FeatureFrame) -> np.ndarray:
    """The consensus fair over probability; 0.5 where a line has no two-sided price (-110/-110)."""
    p = np.asarray(frame["market_p_over"], dtype=float)
    return np.where(np.isfinite(p), p, np.where(np.isfinite(frame["market_line"]), 0.5, np.nan))


def raw_features(frame: FeatureFrame) -> np.ndarray:
    """One column per FEATURE_NAMES entry, NaN where unknown."""
    line = np.asarray(frame["market_line"], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        season = np.log((frame["stat_season"] + 0.5) / (line + 0.5))
        last5 = np.log((frame["stat_last5"] + 0.5) / (line + 0.5))
        minutes = np.log(frame["minutes_last5"] / frame["minutes_season"])
        pace = (frame["team_pace"] + frame["opp_pace"]) / (2.0 * frame["league_pace"]) - 1.0
    columns = [
        logit(market_probability(frame)), season, last5, minutes,
        np.minimum(frame["days_rest"], _MAX_REST_DAYS), frame["is_back_to_back"].astype(float),
        frame["opp_allowed_ratio"] - 1.0, pace, frame["teammates_minutes_out"] / 48.0,
        frame["usage_season"] / 100.0, frame["is_home"].astype(float),
        np.log1p(frame["games_played"].astype(float)),
    ]
    matrix = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    return np.where(np.isfinite(matrix), matrix, np.nan)


@dataclass(frozen=True)
class MarketAdjustment:
    """Feature centres and scales, and the coefficients (intercept first); zeros mean the market."""

    centre: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    rows: int

    @classmethod
    def none(cls) -> MarketAdjustment:
        width = len(FEATURE_NAMES)
        return cls(np.zeros(width), np.ones(width), np.zeros(width + 1), 0)

    @classmethod
    def fit(cls, past: FeatureFrame, went_over: np.ndarray, *, l2: float, min_rows: int) -> MarketAdjustment:
        """Fit on past rows with a market probability whose outcome (`went_over`, NaN for a push) is known."""
        p = market_probability(past)
        usable = np.isfinite(p) & np.isfinite(went_over)
        if np.count_nonzero(usable) < min_rows:
            return cls.none()
        raw = raw_features(past)[usable]
        known = np.isfinite(raw)
        count = np.maximum(known.sum(axis=0), 1)
        centre = np.where(known, raw, 0.0).sum(axis=0) / count
        spread = np.sqrt((np.where(known, raw - centre, 0.0) ** 2).sum(axis=0) / count)
        scale = np.where(spread > 1e-9, spread, 1.0)
        design = _design(raw, centre, scale)
        offset = logit(p[usable])
        y = went_over[usable]
        beta = np.zeros(design.shape[1])
        penalty = np.full(design.shape[1], float(l2))
        # einsum rather than BLAS products: BLAS threads contend with LightGBM's and the neighbours'.
        for _ in range(_NEWTON_STEPS):
            q = sigmoid(offset + np.einsum("ij,j->i", design, beta))
            gradient = np.einsum("ij,i->j", design, y - q) - penalty * beta
            hessian = np.einsum("ij,ik->jk", design * (q * (1.0 - q))[:, None], design) + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
            beta = beta + step
            if np.max(np.abs(step)) < 1e-8:
                break
        return cls(centre=centre, scale=scale, coefficients=beta, rows=int(np.count_nonzero(usable)))

    def p_over(self, frame: FeatureFrame) -> np.ndarray:
        """The adjusted over probability per row (NaN where the market has none)."""
        p = market_probability(frame)
        design = _design(raw_features(frame), self.centre, self.scale)
        shift = np.einsum("ij,j->i", design, self.coefficients)
        return sigmoid(logit(p) + shift) * np.where(np.isfinite(p), 1.0, np.nan)


def _design(raw: np.ndarray, centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    z = (raw - centre) / scale
    return np.column_stack([np.ones(len(raw)), np.where(np.isfinite(z), z, 0.0)])
