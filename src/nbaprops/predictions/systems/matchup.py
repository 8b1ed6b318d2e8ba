"""Matchup: the moving average scaled by how much the opponent allows and by the game's pace.

factor = (1 + opponent_elasticity * (opp_allowed_ratio - 1))
       * (1 + pace_elasticity * ((team_pace + opp_pace) / (2 * league_pace) - 1))

The two elasticities are least-squares estimates on history of how far actuals move from the
moving average per unit of opponent and pace departure, shrunk toward 0 by the rows behind them
and clipped to [0, max_elasticity].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import ACTUAL_COLUMN, NUMERIC_COLUMNS, FeatureFrame, select
from nbaprops.predictions.systems.base import (
    PredictionSystem,
    SpreadModel,
    SystemOutput,
    confidence,
)
from nbaprops.predictions.systems.moving_average import MovingAverageConfig, MovingAverageModel

# A factor never cuts a prediction by more than this fraction, however extreme the features.
_MIN_FACTOR = 0.5


@dataclass(frozen=True)
class MatchupConfig:
    """How the opponent and pace elasticities are estimated."""

    # History rows at which an estimated elasticity keeps half of its value.
    shrink_rows: float = 2000.0
    max_elasticity: float = 1.5

    def __post_init__(self) -> None:
        if self.shrink_rows < 0:
            raise ProcessorError(f"shrink_rows must be at least 0, got {self.shrink_rows}.")
        if self.max_elasticity < 0:
            raise ProcessorError(f"max_elasticity must be at least 0, got {self.max_elasticity}.")


def matchup_departures(frame: FeatureFrame) -> np.ndarray:
    """Columns (opponent, pace): departure from a league-average matchup, 0 when unknown."""
    opponent = frame["opp_allowed_ratio"] - 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = (frame["team_pace"] + frame["opp_pace"]) / (2.0 * frame["league_pace"]) - 1.0
    departures = np.column_stack([opponent, pace])
    return np.where(np.isfinite(departures), departures, 0.0)


@dataclass(frozen=True)
class MatchupModel:
    """The moving-average model plus the learned opponent and pace elasticities."""

    base: MovingAverageModel
    elasticities: tuple[float, float]
    spread: SpreadModel

    @classmethod
    def fit(
        cls,
        past: FeatureFrame,
        *,
        base_config: MovingAverageConfig,
        config: MatchupConfig,
        min_history_games: int,
    ) -> MatchupModel:
        """Fit the base on `past`, then the elasticities on its residuals."""
        base = MovingAverageModel.fit(past, base_config, min_history_games=min_history_games)
        usable = past["games_played"] >= min_history_games
        rows = select(past, usable, columns=(*NUMERIC_COLUMNS, ACTUAL_COLUMN))
        base_mean = base.predict_mean(rows)
        known = np.isfinite(base_mean)
        departures = matchup_departures(rows)[known]
        base_known, actual = base_mean[known], rows[ACTUAL_COLUMN][known]
        elasticities = (0.0, 0.0)
        if base_known.size >= 2:
            design = departures * base_known[:, None]
            solution, *_ = np.linalg.lstsq(design, actual - base_known, rcond=None)
            shrink = base_known.size / (base_known.size + config.shrink_rows)
            clipped = np.clip(solution * shrink, 0.0, config.max_elasticity)
            elasticities = (float(clipped[0]), float(clipped[1]))
        model = cls(base=base, elasticities=elasticities, spread=SpreadModel())
        predicted = model.predict_mean(rows)
        spread = SpreadModel.fit(
            predicted=predicted, actual=rows[ACTUAL_COLUMN], player_std=rows["stat_std_last10"]
        )
        return cls(base=base, elasticities=elasticities, spread=spread)

    def predict_mean(self, frame: FeatureFrame) -> np.ndarray:
        """Moving average times the opponent and pace factors."""
        factors = 1.0 + matchup_departures(frame) * np.asarray(self.elasticities)
        return self.base.predict_mean(frame) * np.maximum(factors, _MIN_FACTOR).prod(axis=1)


class MatchupSystem(PredictionSystem):
    """Moving average adjusted for the opponent's defence and the expected pace."""

    system_id = "matchup"

    def __init__(
        self,
        config: MatchupConfig | None = None,
        *,
        base_config: MovingAverageConfig | None = None,
        min_history_games: int = 5,
    ) -> None:
        super().__init__(min_history_games=min_history_games)
        self.config = config or MatchupConfig()
        self.base_config = base_config or MovingAverageConfig()

    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        model = MatchupModel.fit(
            past,
            base_config=self.base_config,
            config=self.config,
            min_history_games=self.min_history_games,
        )
        mean = model.predict_mean(today)
        std = model.spread.std(mean, today["stat_std_last10"])
        return SystemOutput.build(
            predicted_value=mean,
            predicted_std=std,
            confidence=confidence(mean, std, today["games_played"]),
            valid=np.isfinite(mean),
        )
