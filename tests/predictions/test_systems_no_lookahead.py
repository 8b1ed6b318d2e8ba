"""No look-ahead, for every system: rows dated on or after the day never change its predictions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.predictions.synthetic import assert_same_output, game_dates, split_day, synthetic_season, with_future_rows

from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.systems import (
    EnsembleSystem,
    GbmConfig,
    GbmSystem,
    MarketConfig,
    MarketSystem,
    MatchupSystem,
    MovingAverageSystem,
    PredictionSystem,
    SimilaritySystem,
)

# (system, first day with enough history for it to predict)
SYSTEMS: dict[str, tuple[Callable[[], PredictionSystem], int]] = {
    "moving_average": (MovingAverageSystem, 10),
    "matchup": (MatchupSystem, 10),
    "similarity": (SimilaritySystem, 10),
    "gbm": (lambda: GbmSystem(GbmConfig(num_trees=40, num_threads=1)), 30),
    "ensemble": (lambda: EnsembleSystem([MovingAverageSystem(), MatchupSystem()]), 10),
    # From the first day; a low row minimum so the learned adjustment is fitted, and can leak, early.
    "market": (lambda: MarketSystem(MarketConfig(min_adjustment_rows=20, min_dispersion_rows=20)), 0),
    "anchored_ensemble": (lambda: EnsembleSystem([MarketSystem(MarketConfig(min_adjustment_rows=20)),
                                                  MovingAverageSystem()], anchor="market"), 0),
}


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


@pytest.mark.parametrize("system_id", list(SYSTEMS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day_offset=st.integers(min_value=0, max_value=30),
    seed=st.integers(min_value=0, max_value=10_000),
    keep_fraction=st.floats(min_value=0.0, max_value=1.0),
    actual_shift=st.floats(min_value=-5.0, max_value=30.0),
)
def test_rows_on_or_after_the_day_never_change_the_prediction(
    season: FeatureFrame, system_id: str, day_offset: int, seed: int, keep_fraction: float, actual_shift: float
) -> None:
    build, first_day = SYSTEMS[system_id]
    game_date = game_dates(season)[min(first_day + day_offset, 60)]
    today, history = split_day(season, game_date)
    leaky = with_future_rows(history, season, game_date, seed=seed, keep_fraction=keep_fraction,
                             actual_shift=actual_shift)
    assert_same_output(build().predict(today, history, market="points"), build().predict(today, leaky, market="points"))
