"""Market-anchored: the vig-free consensus of the books, adjusted by what the features have shown.

The consensus (each book de-vigged, the logit mean of the books on the modal line: the feature
store's `market_line` and `market_p_over`) is adjusted by a ridge-shrunk logistic model learned
walk-forward on earlier rows (`MarketAdjustment`, refitted every `refit_days` on the rows before
the refit day, so no row on or after a predicted day is ever read), then turned into the count distribution whose
P(over the line) is that probability (`implied_mean`). It needs no games of the player: every
row with a line is predicted, from a season's first day and for rookies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import ACTUAL_COLUMN, FeatureFrame, select
from nbaprops.predictions.market_adjustment import MarketAdjustment
from nbaprops.predictions.market_distribution import fit_dispersion, implied_mean, implied_std
from nbaprops.predictions.systems.base import PredictionSystem, SystemOutput
from nbaprops.predictions.systems.gbm import retrain_anchor

# Variance-to-mean ratios used until a market has enough graded rows to fit its own.
_DEFAULT_DISPERSION = {"points": 2.5, "rebounds": 1.6, "assists": 1.5, "threes": 1.2, "pra": 3.0}


@dataclass(frozen=True)
class MarketConfig:
    """How strongly the adjustment is shrunk, and how much history it and the spread need."""

    # Ridge penalty on the standardised coefficients: with n graded rows a coefficient keeps about
    # n / (n + 4 * l2) of its unpenalised size.
    l2: float = 2000.0
    min_adjustment_rows: int = 300
    min_dispersion_rows: int = 200
    # Refit cadence, anchored to the calendar like the gbm's retraining (see `retrain_anchor`).
    refit_days: int = 7

    def __post_init__(self) -> None:
        if self.l2 < 0:
            raise ProcessorError(f"l2 must be at least 0, got {self.l2}.")
        if self.refit_days < 1:
            raise ProcessorError(f"refit_days must be at least 1, got {self.refit_days}.")
        if self.min_adjustment_rows < 1:
            raise ProcessorError(f"min_adjustment_rows must be at least 1, got {self.min_adjustment_rows}.")


def went_over(frame: FeatureFrame) -> np.ndarray:
    """1 over the market line, 0 under, NaN for a push or an unknown line or actual."""
    actual, line = frame[ACTUAL_COLUMN], frame["market_line"]
    known = np.isfinite(actual) & np.isfinite(line) & (actual != line)
    return np.where(known, (actual > line).astype(float), np.nan)


@dataclass(frozen=True)
class MarketFit:
    """What the system learns on a refit day: the adjustment and the stat's dispersion."""

    adjustment: MarketAdjustment
    dispersion: float
    fitted_date: np.datetime64

    @classmethod
    def fit(cls, past: FeatureFrame, *, config: MarketConfig, market: str, fitted_date: np.datetime64) -> MarketFit:
        adjustment = MarketAdjustment.fit(past, went_over(past), l2=config.l2, min_rows=config.min_adjustment_rows)
        dispersion = fit_dispersion(past["market_line"], past[ACTUAL_COLUMN], min_rows=config.min_dispersion_rows,
                                    default=_DEFAULT_DISPERSION[market])
        return cls(adjustment=adjustment, dispersion=dispersion, fitted_date=fitted_date)


class MarketSystem(PredictionSystem):
    """The market's consensus distribution with a learned, shrunk adjustment."""

    system_id = "market"
    needs_history = False
    # Its consensus of every book beats one book's fair price: blending toward it only lost (Brier
    # +0.00005 to +0.00007 on the three development backtests).
    blends_with_market = False

    def __init__(self, config: MarketConfig | None = None, *, min_history_games: int = 1) -> None:
        super().__init__(min_history_games=min_history_games)
        self.config = config or MarketConfig()
        self._fits: dict[str, MarketFit] = {}

    def fit_for(self, past: FeatureFrame, *, game_date: np.datetime64, market: str) -> MarketFit:
        """The fit of the latest refit day on or before `game_date`, from rows before that day."""
        anchor = retrain_anchor(game_date, retrain_days=self.config.refit_days)
        kept = self._fits.get(market)
        if kept is None or kept.fitted_date != anchor:
            kept = MarketFit.fit(select(past, past["game_date"] < anchor), config=self.config, market=market,
                                 fitted_date=anchor)
            self._fits[market] = kept
        return kept

    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        fit = self.fit_for(past, game_date=game_date, market=market)
        adjustment, dispersion = fit.adjustment, fit.dispersion
        p_over = adjustment.p_over(today)
        mean = implied_mean(today["market_line"], p_over, dispersion=dispersion)
        std = implied_std(np.nan_to_num(mean), dispersion=dispersion)
        books = np.nan_to_num(np.asarray(today["market_books"], dtype=float))
        with np.errstate(invalid="ignore", divide="ignore"):
            sharpness = mean / (mean + std)
        return SystemOutput.build(
            predicted_value=mean,
            predicted_std=std,
            confidence=sharpness * books / (books + 1.0),
            valid=np.isfinite(mean),
        )
