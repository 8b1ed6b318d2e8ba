from __future__ import annotations

import numpy as np
import pytest
from tests.predictions.synthetic import (
    assert_same_output,
    errors_against_naive,
    game_dates,
    split_day,
    synthetic_season,
)

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import FeatureFrame, select
from nbaprops.predictions.systems import MovingAverageConfig, MovingAverageSystem
from nbaprops.predictions.systems.moving_average import MovingAverageModel, weighted_form


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


def test_beats_a_naive_constant(season: FeatureFrame) -> None:
    mae, naive = errors_against_naive(MovingAverageSystem(), season, game_dates(season)[30:])
    assert mae < 0.8 * naive


@pytest.mark.parametrize(
    ("last5", "last10", "season_avg", "expected"),
    [
        (10.0, 20.0, 30.0, 0.2 * 10 + 0.3 * 20 + 0.5 * 30),
        (np.nan, 20.0, 30.0, (0.3 * 20 + 0.5 * 30) / 0.8),
        (np.nan, np.nan, 30.0, 30.0),
        (np.nan, np.nan, np.nan, np.nan),
    ],
)
def test_weighted_form_drops_missing_averages(
    last5: float, last10: float, season_avg: float, expected: float
) -> None:
    frame = {
        "stat_last5": np.array([last5]),
        "stat_last10": np.array([last10]),
        "stat_season": np.array([season_avg]),
    }
    np.testing.assert_allclose(weighted_form(frame, MovingAverageConfig()), [expected])


def test_rest_and_venue_factors_are_learned(season: FeatureFrame) -> None:
    # The synthetic truth: home x1.05 (away /1.05), back-to-back x0.88, rested x1.04.
    _, history = split_day(season, game_dates(season)[-1])
    model = MovingAverageModel.fit(history, MovingAverageConfig(), min_history_games=5)
    back_to_back, normal, rested = model.factors.rest
    away, home = model.factors.venue
    assert back_to_back < 0.97 < normal < rested
    assert away < 1.0 < home


def test_factors_are_one_without_history(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-1])
    empty = select(history, np.zeros(len(history["game_date"]), dtype=bool))
    model = MovingAverageModel.fit(empty, MovingAverageConfig(), min_history_games=5)
    assert model.factors.rest == (1.0, 1.0, 1.0) and model.factors.venue == (1.0, 1.0)


def test_players_without_enough_games_get_no_prediction(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[8])
    output = MovingAverageSystem(min_history_games=3).predict(today, history, market="points")
    np.testing.assert_array_equal(output.valid, today["games_played"] >= 3)
    assert np.all(np.isnan(output.predicted_value[~output.valid]))
    assert np.all(output.family[~output.valid] == None)  # noqa: E711 - element-wise
    assert np.all((output.confidence[output.valid] >= 0) & (output.confidence[output.valid] <= 1))


def test_a_player_without_form_gets_no_prediction(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-5])
    for name in ("stat_last5", "stat_last10", "stat_season"):
        today[name] = today[name].copy()
        today[name][0] = np.nan
    output = MovingAverageSystem().predict(today, history, market="points")
    assert not output.valid[0]
    assert output.valid[1:].all()


def test_is_deterministic(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-3])
    first = MovingAverageSystem().predict(today, history, market="points")
    assert_same_output(first, MovingAverageSystem().predict(today, history, market="points"))


def test_config_is_validated() -> None:
    with pytest.raises(ProcessorError, match="weights must be at least 0 and not all 0"):
        MovingAverageConfig(weight_last5=0, weight_last10=0, weight_season=0)
    with pytest.raises(ProcessorError, match="shrink_rows must be at least 0"):
        MovingAverageConfig(shrink_rows=-1)
    with pytest.raises(ProcessorError, match="min_history_games must be at least 1"):
        MovingAverageSystem(min_history_games=0)
