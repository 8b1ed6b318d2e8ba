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
from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.systems import (
    MatchupConfig,
    MatchupSystem,
    MovingAverageConfig,
    MovingAverageSystem,
)
from nbaprops.predictions.systems.matchup import MatchupModel, matchup_departures


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


def test_beats_a_naive_constant_and_the_plain_moving_average(season: FeatureFrame) -> None:
    dates = game_dates(season)[30:]
    mae, naive = errors_against_naive(MatchupSystem(), season, dates)
    moving_average, _ = errors_against_naive(MovingAverageSystem(), season, dates)
    assert mae < 0.8 * naive
    # The synthetic truth scales every game by the opponent's defence and the pace.
    assert mae < moving_average


@pytest.mark.parametrize(
    ("ratio", "team_pace", "opp_pace", "league_pace", "expected"),
    [
        (1.10, 100.0, 102.0, 100.0, (0.10, 0.01)),
        (0.90, 96.0, 96.0, 100.0, (-0.10, -0.04)),
        (np.nan, np.nan, 100.0, 100.0, (0.0, 0.0)),
        (1.0, 100.0, 100.0, 0.0, (0.0, 0.0)),
    ],
)
def test_departures(
    ratio: float, team_pace: float, opp_pace: float, league_pace: float, expected: tuple
) -> None:
    frame = {
        "opp_allowed_ratio": np.array([ratio]),
        "team_pace": np.array([team_pace]),
        "opp_pace": np.array([opp_pace]),
        "league_pace": np.array([league_pace]),
    }
    np.testing.assert_allclose(matchup_departures(frame)[0], expected, atol=1e-12)


def test_elasticities_are_learned_and_shrunk(season: FeatureFrame) -> None:
    _, history = split_day(season, game_dates(season)[-1])
    fit = {
        shrink: MatchupModel.fit(
            history, base_config=MovingAverageConfig(), config=MatchupConfig(shrink_rows=shrink),
            min_history_games=5,
        ).elasticities
        for shrink in (0.0, 2000.0, 1e9)
    }
    opponent, pace = fit[0.0]
    assert 0.4 < opponent <= 1.5 and 0.2 < pace <= 1.5
    assert fit[2000.0][0] < opponent and fit[1e9] == pytest.approx((0.0, 0.0), abs=1e-4)


def test_a_weak_defence_raises_the_prediction(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-5])
    weak = {**today, "opp_allowed_ratio": today["opp_allowed_ratio"] * 1.2}
    system = MatchupSystem()
    before = system.predict(today, history, market="points")
    after = system.predict(weak, history, market="points")
    assert np.all(after.predicted_value[after.valid] > before.predicted_value[before.valid])


def test_players_without_enough_games_get_no_prediction(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[8])
    output = MatchupSystem(min_history_games=4).predict(today, history, market="points")
    np.testing.assert_array_equal(output.valid, today["games_played"] >= 4)


def test_is_deterministic(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-3])
    first = MatchupSystem().predict(today, history, market="points")
    assert_same_output(first, MatchupSystem().predict(today, history, market="points"))


def test_config_is_validated() -> None:
    with pytest.raises(ProcessorError, match="shrink_rows must be at least 0"):
        MatchupConfig(shrink_rows=-5)
    with pytest.raises(ProcessorError, match="max_elasticity must be at least 0"):
        MatchupConfig(max_elasticity=-0.1)
