"""Similarity: the player's k most comparable past games, blended with the season average.

Comparable means close in a standardised space of rest, venue, opponent factor, pace and minutes
trend. The prediction is knn_weight * (kernel-weighted mean of the neighbours' actuals)
+ (1 - knn_weight) * season average; the spread is the neighbours' weighted spread around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat

import numpy as np

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import ACTUAL_COLUMN, FeatureFrame
from nbaprops.predictions.systems.base import PredictionSystem, SystemOutput, confidence
from nbaprops.predictions.systems.matchup import matchup_departures

# Rest beyond this many days is no different from this many.
_MAX_REST_DAYS = 4.0


@dataclass(frozen=True)
class SimilarityConfig:
    """Neighbour count, blend weight and kernel of the similarity system."""

    neighbours: int = 10
    knn_weight: float = 0.5
    # Kernel weight of a neighbour at standardised distance d: 1 / (1 + d / kernel_scale).
    kernel_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.neighbours < 2:
            raise ProcessorError(f"neighbours must be at least 2, got {self.neighbours}.")
        if not 0.0 <= self.knn_weight <= 1.0:
            raise ProcessorError(f"knn_weight must be within [0, 1], got {self.knn_weight}.")
        if self.kernel_scale <= 0:
            raise ProcessorError(f"kernel_scale must be above 0, got {self.kernel_scale}.")


def game_context(frame: FeatureFrame) -> np.ndarray:
    """Columns rest, home, opponent, pace, minutes trend; unknown values are NaN."""
    rest = np.minimum(frame["days_rest"], _MAX_REST_DAYS)
    with np.errstate(invalid="ignore", divide="ignore"):
        minutes_trend = frame["minutes_last5"] / frame["minutes_season"]
    departures = matchup_departures(frame)
    return np.column_stack(
        [rest, frame["is_home"].astype(float), departures[:, 0], departures[:, 1], minutes_trend]
    )


def _centre_and_scale(context: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and std of each column over its known values (0 and 1 when none are known)."""
    known = np.isfinite(context)
    count = known.sum(axis=0)
    values = np.where(known, context, 0.0)
    centre = values.sum(axis=0) / np.maximum(count, 1)
    spread = np.where(known, context - centre, 0.0)
    scale = np.sqrt((spread**2).sum(axis=0) / np.maximum(count, 1))
    return centre, np.where(scale > 0, scale, 1.0)


def _standardise(context: np.ndarray, *, centre: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Standardised values; unknown ones sit at the centre (0)."""
    z = (context - centre) / scale
    return np.where(np.isfinite(z), z, 0.0)


def _player_codes(
    today_players: np.ndarray, past_players: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer codes of today's players, and of past rows (-1 for players not playing today)."""
    index: dict[object, int] = {}
    for player in today_players:
        index.setdefault(player, len(index))
    today_codes = np.fromiter(map(index.__getitem__, today_players), np.int64, len(today_players))
    past_codes = np.fromiter(map(index.get, past_players, repeat(-1)), np.int64, len(past_players))
    return today_codes, past_codes, len(index)


class SimilaritySystem(PredictionSystem):
    """k nearest past games of the same player, blended with the player's season average."""

    system_id = "similarity"

    def __init__(
        self, config: SimilarityConfig | None = None, *, min_history_games: int = 5
    ) -> None:
        super().__init__(min_history_games=min_history_games)
        self.config = config or SimilarityConfig()

    def _predict(
        self, today: FeatureFrame, past: FeatureFrame, *, game_date: np.datetime64, market: str
    ) -> SystemOutput:
        k = self.config.neighbours
        rows = len(today["game_date"])
        today_codes, past_codes, players = _player_codes(
            today["player_lookup"], past["player_lookup"]
        )
        mine = past_codes >= 0
        codes = past_codes[mine]
        counts = np.bincount(codes, minlength=players)
        if counts.max(initial=0) < k:
            return SystemOutput.invalid(rows)

        past_context = game_context(past)
        centre, scale = _centre_and_scale(past_context)
        past_z = _standardise(past_context[mine], centre=centre, scale=scale)
        today_z = _standardise(game_context(today), centre=centre, scale=scale)
        actual = past[ACTUAL_COLUMN][mine]

        # Pad each player's past games into one (players, most games) block.
        order = np.argsort(codes, kind="stable")
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        slot = np.arange(codes.size) - starts[codes[order]]
        width = int(counts.max())
        padded_z = np.zeros((players, width, past_z.shape[1]))
        padded_actual = np.zeros((players, width))
        present = np.zeros((players, width), dtype=bool)
        padded_z[codes[order], slot] = past_z[order]
        padded_actual[codes[order], slot] = actual[order]
        present[codes[order], slot] = True

        # Distances from each of today's rows to its player's past games.
        distance = np.sqrt(((padded_z[today_codes] - today_z[:, None, :]) ** 2).sum(axis=2))
        distance = np.where(present[today_codes], distance, np.inf)
        nearest = np.argpartition(distance, k - 1, axis=1)[:, :k]
        near_distance = np.take_along_axis(distance, nearest, axis=1)
        near_actual = np.take_along_axis(padded_actual[today_codes], nearest, axis=1)
        enough = counts[today_codes] >= k
        near_distance = np.where(enough[:, None], near_distance, 0.0)

        weights = 1.0 / (1.0 + near_distance / self.config.kernel_scale)
        weights /= weights.sum(axis=1, keepdims=True)
        knn_mean = (weights * near_actual).sum(axis=1)
        player_mean = (padded_actual * present).sum(axis=1) / np.maximum(counts, 1)
        season = np.where(
            np.isfinite(today["stat_season"]), today["stat_season"], player_mean[today_codes]
        )
        w = self.config.knn_weight
        mean = w * knn_mean + (1.0 - w) * season
        spread = (weights * (near_actual - mean[:, None]) ** 2).sum(axis=1) * k / (k - 1)
        std = np.sqrt(spread)
        return SystemOutput.build(
            predicted_value=mean,
            predicted_std=std,
            confidence=confidence(mean, std, today["games_played"]),
            valid=enough,
        )
