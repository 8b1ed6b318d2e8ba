"""Gradient-boosted trees (LightGBM, Poisson objective) trained walk-forward on earlier rows.

One model per market. Retrain days are anchored to the calendar, not to the first request: the
season's start plus every `retrain_days` days. A day is predicted by the model of the latest
anchor on or before it, trained on history rows before that anchor, so a model never sees rows on
or after the day it predicts, and a day gets the same model however the process that predicts it
was started, restarted or fed days out of order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import ACTUAL_COLUMN, FeatureFrame, select
from nbaprops.predictions.systems.base import (
    PredictionSystem,
    SpreadModel,
    SystemOutput,
    confidence,
)
from nbaprops.predictions.systems.matchup import matchup_departures
from nbaprops.seasons import season_start

_NUMERIC_FEATURES = (
    "stat_last5",
    "stat_last10",
    "stat_season",
    "stat_std_last10",
    "stat_last_game",
    "minutes_last5",
    "minutes_season",
    "games_played",
    "days_rest",
    "is_back_to_back",
    "is_home",
)


@dataclass(frozen=True)
class GbmConfig:
    """LightGBM settings; fixed seed and deterministic mode make training reproducible."""

    num_trees: int = 120
    learning_rate: float = 0.07
    num_leaves: int = 15
    min_data_in_leaf: int = 40
    min_training_rows: int = 200
    num_threads: int = 1  # OpenMP threads spin badly when another process holds a core
    seed: int = 17

    def __post_init__(self) -> None:
        if self.num_trees < 1:
            raise ProcessorError(f"num_trees must be at least 1, got {self.num_trees}.")
        if self.min_training_rows < 1:
            raise ProcessorError(
                f"min_training_rows must be at least 1, got {self.min_training_rows}."
            )
        if self.num_threads < 1:
            raise ProcessorError(f"num_threads must be at least 1, got {self.num_threads}.")

    def lightgbm_params(self) -> dict[str, Any]:
        return {
            "objective": "poisson",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "lambda_l2": 1.0,
            "num_threads": self.num_threads,
            "deterministic": True,
            "force_row_wise": True,
            "seed": self.seed,
            "verbose": -1,
        }


def retrain_anchor(game_date: np.datetime64, *, retrain_days: int) -> np.datetime64:
    """The latest retrain day on or before `game_date`: the season's start + k * retrain_days."""
    start = np.datetime64(season_start(game_date.astype("datetime64[D]").item()), "D")
    days = int((game_date.astype("datetime64[D]") - start).astype(int))
    return start + np.timedelta64(days // retrain_days * retrain_days, "D")


def feature_matrix(frame: FeatureFrame) -> np.ndarray:
    """The model's inputs: numeric features plus opponent and pace departures (NaN = unknown)."""
    columns = [np.asarray(frame[name], dtype=float) for name in _NUMERIC_FEATURES]
    departures = matchup_departures(frame)
    return np.column_stack([*columns, departures[:, 0], departures[:, 1]])


@dataclass(frozen=True)
class TrainedModel:
    """A booster, its retrain day (it saw only earlier rows) and its spread model."""

    booster: lgb.Booster
    trained_date: np.datetime64
    spread: SpreadModel
    training_rows: int


class GbmSystem(PredictionSystem):
    """LightGBM regression on the feature row, retrained every `retrain_days` per market."""

    system_id = "gbm"

    def __init__(
        self,
        config: GbmConfig | None = None,
        *,
        retrain_days: int = 14,
        min_history_games: int = 5,
    ) -> None:
        super().__init__(min_history_games=min_history_games)
        if retrain_days < 1:
            raise ProcessorError(f"retrain_days must be at least 1, got {retrain_days}.")
        self.config = config or GbmConfig()
        self.retrain_days = retrain_days
        self.trainings = 0
        self._models: dict[str, TrainedModel] = {}

    def model_for(self, market: str) -> TrainedModel | None:
        """The model currently kept for `market`, if any."""
        return self._models.get(market)

    def _needs_training(self, market: str, anchor: np.datetime64) -> bool:
        model = self._models.get(market)
        return model is None or model.trained_date != anchor

    def _train(self, past: FeatureFrame, *, game_date: np.datetime64) -> TrainedModel | None:
        usable = past["games_played"] >= self.min_history_games
        features = feature_matrix(past)[usable]
        actual = past[ACTUAL_COLUMN][usable]
        if actual.size < self.config.min_training_rows:
            return None
        dataset = lgb.Dataset(features, label=actual, free_raw_data=True)
        booster = lgb.train(
            self.config.lightgbm_params(), dataset, num_boost_round=self.config.num_trees
        )
        self.trainings += 1
        predicted = np.asarray(booster.predict(features), dtype=float)
        spread = SpreadModel.fit(
            predicted=predicted, actual=actual, player_std=past["stat_std_last10"][usable]
        )
        return TrainedModel(
            booster=booster, trained_date=game_date, spread=spread, training_rows=actual.size
        )

    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        anchor = retrain_anchor(game_date, retrain_days=self.retrain_days)
        if self._needs_training(market, anchor):
            model = self._train(select(past, past["game_date"] < anchor), game_date=anchor)
            if model is None:
                self._models.pop(market, None)
                return SystemOutput.invalid(len(today["game_date"]))
            self._models[market] = model
        model = self._models[market]
        # One thread: a day's few hundred rows cost less than waking LightGBM's thread pool.
        mean = np.asarray(model.booster.predict(feature_matrix(today), num_threads=1), dtype=float)
        std = model.spread.std(mean, today["stat_std_last10"])
        return SystemOutput.build(
            predicted_value=mean,
            predicted_std=std,
            confidence=confidence(mean, std, today["games_played"]),
            valid=np.ones(len(mean), dtype=bool),
        )
