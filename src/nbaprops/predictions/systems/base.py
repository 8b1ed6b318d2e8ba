"""What every prediction system shares: its output, the no-look-ahead guard, confidence, spread."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.distributions import DistributionBatch, choose_family
from nbaprops.predictions.features import (
    ACTUAL_COLUMN,
    MARKETS,
    FeatureFrame,
    frame_length,
    select,
    validate_frame,
)

# Games played at which the sample-size part of the confidence reaches one half.
CONFIDENCE_HALF_GAMES = 10.0
# Fewer history rows than this and the spread model falls back to a Poisson spread.
MIN_SPREAD_FIT_ROWS = 50


@dataclass(frozen=True)
class SystemOutput:
    """One system's predictions, aligned with the rows of `today`.

    Rows with `valid` False carry no prediction: NaN value, std and confidence, family None.
    """

    predicted_value: np.ndarray
    predicted_std: np.ndarray
    family: np.ndarray
    confidence: np.ndarray
    valid: np.ndarray

    def __post_init__(self) -> None:
        lengths = {
            len(self.predicted_value),
            len(self.predicted_std),
            len(self.family),
            len(self.confidence),
            len(self.valid),
        }
        if len(lengths) != 1:
            raise ProcessorError(
                "Every array of a SystemOutput must have one value per row of today; "
                f"got lengths {sorted(lengths)}."
            )

    @classmethod
    def build(
        cls,
        *,
        predicted_value: np.ndarray,
        predicted_std: np.ndarray,
        confidence: np.ndarray,
        valid: np.ndarray,
    ) -> SystemOutput:
        """Mark rows without a finite, non-negative mean and std invalid and blank them out."""
        value = np.asarray(predicted_value, dtype=float)
        std = np.asarray(predicted_std, dtype=float)
        conf = np.asarray(confidence, dtype=float)
        ok = (
            np.asarray(valid, dtype=bool)
            & np.isfinite(value)
            & np.isfinite(std)
            & np.isfinite(conf)
            & (value >= 0)
            & (std >= 0)
        )
        value = np.where(ok, value, np.nan)
        std = np.where(ok, std, np.nan)
        family = choose_family(np.where(ok, value, 0.0), np.where(ok, std, 0.0))
        family[~ok] = None
        return cls(
            predicted_value=value,
            predicted_std=std,
            family=family,
            confidence=np.where(ok, np.clip(conf, 0.0, 1.0), np.nan),
            valid=ok,
        )

    @classmethod
    def invalid(cls, rows: int) -> SystemOutput:
        """An output with no prediction for any of `rows` rows."""
        nan = np.full(rows, np.nan)
        return cls.build(
            predicted_value=nan, predicted_std=nan, confidence=nan, valid=np.zeros(rows, bool)
        )

    def __len__(self) -> int:
        return len(self.valid)

    def distributions(self) -> DistributionBatch:
        """The predictive distributions of the valid rows, in row order (`flatnonzero(valid)`)."""
        return DistributionBatch(
            mean=self.predicted_value[self.valid],
            std=self.predicted_std[self.valid],
            family=self.family[self.valid],
        )


def confidence(mean: np.ndarray, std: np.ndarray, games_played: np.ndarray) -> np.ndarray:
    """Confidence in [0, 1]: mean / (mean + std) times games / (games + CONFIDENCE_HALF_GAMES).

    The first factor falls as the spread grows relative to the mean (1 for no spread, 1/2 when
    std equals the mean); the second grows with the player's sample (1/2 at 10 games).
    """
    mean = np.asarray(mean, dtype=float)
    std = np.asarray(std, dtype=float)
    games = np.maximum(np.asarray(games_played, dtype=float), 0.0)
    total = mean + std
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(total > 0, mean / total, 0.0)
    return np.clip(spread * games / (games + CONFIDENCE_HALF_GAMES), 0.0, 1.0)


def _nonnegative_least_squares(
    x0: np.ndarray, x1: np.ndarray, y: np.ndarray
) -> tuple[float, float]:
    """argmin over b >= 0 of |b0 * x0 + b1 * x1 - y|^2, in closed form for two columns."""
    # Element-wise sums rather than BLAS dot products: BLAS threads contend with LightGBM's.
    off_diagonal = float((x0 * x1).sum())
    gram = np.array([[(x0 * x0).sum(), off_diagonal], [off_diagonal, (x1 * x1).sum()]])
    cross = np.array([(x0 * y).sum(), (x1 * y).sum()])
    candidates = [np.zeros(2)]
    for column in range(2):
        if gram[column, column] > 0:
            single = np.zeros(2)
            single[column] = max(cross[column] / gram[column, column], 0.0)
            candidates.append(single)
    if abs(np.linalg.det(gram)) > 1e-12 * gram[0, 0] * gram[1, 1]:
        both = np.linalg.solve(gram, cross)
        if np.all(both >= 0):
            candidates.append(both)
    best = min(candidates, key=lambda b: float(b @ gram @ b - 2.0 * cross @ b))
    return float(best[0]), float(best[1])


@dataclass(frozen=True)
class SpreadModel:
    """Predictive variance = per_mean * predicted + per_player_var * (player's last-10 variance).

    Fitted by non-negative least squares of squared residuals on history. A player without a
    last-10 std counts as `dispersion * predicted`, the quasi-Poisson part alone.
    """

    per_mean: float = 1.0
    per_player_var: float = 0.0
    dispersion: float = 1.0

    @classmethod
    def fit(
        cls, *, predicted: np.ndarray, actual: np.ndarray, player_std: np.ndarray
    ) -> SpreadModel:
        """Fit on history rows; fewer than MIN_SPREAD_FIT_ROWS usable rows gives Poisson spread."""
        usable = np.isfinite(predicted) & np.isfinite(actual) & (predicted > 0)
        if np.count_nonzero(usable) < MIN_SPREAD_FIT_ROWS:
            return cls()
        predicted, actual = predicted[usable], actual[usable]
        squared = (actual - predicted) ** 2
        dispersion = float(squared.sum() / predicted.sum())
        player_var = np.where(np.isfinite(player_std[usable]), player_std[usable] ** 2, np.nan)
        player_var = np.where(np.isnan(player_var), dispersion * predicted, player_var)
        per_mean, per_player_var = _nonnegative_least_squares(predicted, player_var, squared)
        if per_mean + per_player_var <= 0:
            return cls(per_mean=dispersion, per_player_var=0.0, dispersion=dispersion)
        return cls(
            per_mean=float(per_mean), per_player_var=float(per_player_var), dispersion=dispersion
        )

    def std(self, predicted: np.ndarray, player_std: np.ndarray) -> np.ndarray:
        """Predictive std per row."""
        predicted = np.maximum(np.asarray(predicted, dtype=float), 0.0)
        player_var = np.where(np.isfinite(player_std), np.square(player_std), np.nan)
        player_var = np.where(np.isnan(player_var), self.dispersion * predicted, player_var)
        return np.sqrt(self.per_mean * predicted + self.per_player_var * player_var)


def prediction_date(today: FeatureFrame, *, market: str) -> np.datetime64:
    """The one game_date of `today`; raises when today mixes dates or markets."""
    dates = np.unique(today["game_date"])
    if len(dates) != 1:
        raise ProcessorError(
            f"today holds rows of {len(dates)} game dates ({', '.join(map(str, dates[:3]))}); "
            "predict one game_date at a time."
        )
    other = today["market"] != market
    if np.any(other):
        raise ProcessorError(
            f"today holds a {today['market'][other][0]!r} row but the prediction is for market "
            f"{market!r}; pass the rows of one market."
        )
    return dates[0]


def history_before(history: FeatureFrame, *, game_date: np.datetime64, market: str) -> FeatureFrame:
    """History rows of `market` dated strictly before `game_date` with a known actual.

    Every system calls this so a caller passing later rows can never leak the future.
    """
    keep = (
        (history["game_date"] < game_date)
        & (history["market"] == market)
        & np.isfinite(history[ACTUAL_COLUMN])
    )
    if keep.all():
        return dict(history)
    return select(history, keep)


class PredictionSystem(ABC):
    """A prediction system: features of today's rows plus earlier history in, predictions out."""

    system_id: str
    # False for a system that predicts a player without games of his own (the market-anchored one).
    needs_history: bool = True
    # False for a system already built on the market: Phase 5 does not blend it with one book's price.
    blends_with_market: bool = True

    def __init__(self, *, min_history_games: int = 5) -> None:
        if min_history_games < 1:
            raise ProcessorError(f"min_history_games must be at least 1, got {min_history_games}.")
        self.min_history_games = min_history_games

    def predict(self, today: FeatureFrame, history: FeatureFrame, *, market: str) -> SystemOutput:
        """Predict every row of `today` (one game_date D) from `history` rows dated before D."""
        if market not in MARKETS:
            raise ProcessorError(f"Unknown market {market!r}; use one of {MARKETS}.")
        validate_frame(today, with_actual=False)
        validate_frame(history, with_actual=True)
        rows = frame_length(today)
        if rows == 0:
            return SystemOutput.invalid(0)
        game_date = prediction_date(today, market=market)
        past = history_before(history, game_date=game_date, market=market)
        output = self._predict(today, past, game_date=game_date, market=market)
        # Last season's games count too: the feature store carries his rate over into his form.
        games = np.maximum(today["games_played"], today["prior_games"])
        enough = games >= (self.min_history_games if self.needs_history else 0)
        return SystemOutput.build(
            predicted_value=output.predicted_value,
            predicted_std=output.predicted_std,
            confidence=output.confidence,
            valid=output.valid & enough,
        )

    @abstractmethod
    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        """Predict from `past`, already limited to `market` rows before `game_date`."""
