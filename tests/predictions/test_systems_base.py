from __future__ import annotations

import numpy as np
import pytest
from tests.predictions.synthetic import game_dates, split_day, synthetic_season

from nbaprops.errors import ProcessorError
from nbaprops.predictions.distributions import NEGATIVE_BINOMIAL, POISSON
from nbaprops.predictions.features import FeatureFrame, concat
from nbaprops.predictions.systems import MovingAverageSystem, SpreadModel, SystemOutput, confidence
from nbaprops.predictions.systems.base import _nonnegative_least_squares, history_before

NAN = np.nan


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=20, games=20, seed=5)[0]


# mean, std, games played, expected confidence
CONFIDENCE_CASES = [
    (10.0, 0.0, 10, 0.5),  # no spread; half the sample weight at 10 games
    (10.0, 10.0, 10, 0.25),  # std equal to the mean halves it again
    (20.0, 5.0, 40, 0.8 * 0.8),
    (10.0, 5.0, 0, 0.0),  # no games, no confidence
    (0.0, 0.0, 30, 0.0),  # nothing predicted
    (0.0, 2.0, 30, 0.0),
]


@pytest.mark.parametrize(("mean", "std", "games", "expected"), CONFIDENCE_CASES)
def test_confidence(mean: float, std: float, games: int, expected: float) -> None:
    got = confidence(np.array([mean]), np.array([std]), np.array([games]))
    assert got[0] == pytest.approx(expected)


def test_confidence_falls_with_spread_and_rises_with_games() -> None:
    spreads = confidence(np.full(4, 10.0), np.array([1.0, 2.0, 4.0, 8.0]), np.full(4, 30))
    games = confidence(np.full(4, 10.0), np.full(4, 3.0), np.array([1, 5, 20, 80]))
    assert np.all(np.diff(spreads) < 0) and np.all(np.diff(games) > 0)
    assert np.all((games > 0) & (games < 1))


def test_build_blanks_out_rows_without_a_usable_prediction() -> None:
    output = SystemOutput.build(
        predicted_value=np.array([12.0, 2.0, NAN, -1.0, 5.0, 5.0]),
        predicted_std=np.array([6.0, 1.0, 1.0, 1.0, NAN, 3.0]),
        confidence=np.array([0.7, 1.4, 0.5, 0.5, 0.5, 0.5]),
        valid=np.array([True, True, True, True, True, False]),
    )
    np.testing.assert_array_equal(output.valid, [True, True, False, False, False, False])
    assert output.family.tolist() == [NEGATIVE_BINOMIAL, POISSON, None, None, None, None]
    assert output.confidence[1] == 1.0  # clipped into [0, 1]
    assert np.isnan(output.predicted_value[2:]).all() and np.isnan(output.confidence[2:]).all()
    batch = output.distributions()
    assert len(batch) == 2 and batch.mean.tolist() == [12.0, 2.0]


def test_output_arrays_must_align() -> None:
    with pytest.raises(ProcessorError, match="one value per row of today"):
        SystemOutput(
            predicted_value=np.ones(2), predicted_std=np.ones(2), family=np.array([POISSON] * 2),
            confidence=np.ones(2), valid=np.ones(1, dtype=bool),
        )


@pytest.mark.parametrize(
    ("x0", "x1", "y", "expected"),
    [
        ([1, 0, 1, 2], [0, 1, 1, 1], [2, 3, 5, 7], (2.0, 3.0)),  # exact fit, both positive
        ([1, 2, 3, 4], [1, 1, 1, 1], [-1, -2, -3, -4], (0.0, 0.0)),  # everything negative
        ([1, 2, 3, 4], [4, 3, 2, 1], [2, 4, 6, 8], (2.0, 0.0)),  # second would be negative
    ],
)
def test_nonnegative_least_squares(x0, x1, y, expected) -> None:
    got = _nonnegative_least_squares(*(np.array(v, dtype=float) for v in (x0, x1, y)))
    assert got == pytest.approx(expected, abs=1e-9)


def test_spread_model_recovers_a_quasi_poisson_dispersion() -> None:
    rng = np.random.default_rng(0)
    predicted = rng.uniform(2.0, 30.0, 20_000)
    actual = predicted + rng.normal(0.0, np.sqrt(3.0 * predicted))
    model = SpreadModel.fit(predicted=predicted, actual=actual, player_std=np.full(20_000, NAN))
    assert model.dispersion == pytest.approx(3.0, rel=0.05)
    assert model.std(np.array([12.0]), np.array([NAN]))[0] == pytest.approx(6.0, rel=0.05)


def test_spread_model_without_history_is_poisson() -> None:
    model = SpreadModel.fit(predicted=np.ones(3), actual=np.ones(3), player_std=np.ones(3))
    assert model == SpreadModel()
    assert model.std(np.array([9.0]), np.array([NAN]))[0] == pytest.approx(3.0)


def test_history_before_keeps_only_earlier_rows_of_the_market(season: FeatureFrame) -> None:
    game_date = game_dates(season)[10]
    other_market = {**season, "market": np.full(len(season["market"]), "rebounds", dtype=object)}
    unplayed = {**season, "actual": np.full(len(season["actual"]), NAN)}
    past = history_before(concat([season, other_market, unplayed]), game_date=game_date,
                          market="points")
    assert np.all(past["game_date"] < game_date) and np.all(past["market"] == "points")
    assert len(past["game_date"]) == int(np.sum(season["game_date"] < game_date))


def test_today_must_be_one_date_and_the_market(season: FeatureFrame) -> None:
    dates = game_dates(season)
    today, history = split_day(season, dates[10])
    two_days = concat([today, split_day(season, dates[11])[0]])
    system = MovingAverageSystem()
    with pytest.raises(ProcessorError, match="today holds rows of 2 game dates"):
        system.predict(two_days, history, market="points")
    with pytest.raises(ProcessorError, match="today holds a 'points' row but the prediction is"):
        system.predict(today, history, market="rebounds")
    with pytest.raises(ProcessorError, match="Unknown market 'steals'"):
        system.predict(today, history, market="steals")
    with pytest.raises(ProcessorError, match="The history frame has no column 'actual'"):
        system.predict(today, today, market="points")


def test_no_rows_today_gives_an_empty_output(season: FeatureFrame) -> None:
    today, history = split_day(season, np.datetime64("2030-01-01"))
    output = MovingAverageSystem().predict(today, history, market="points")
    assert len(output) == 0
