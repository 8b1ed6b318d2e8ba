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
    EnsembleSystem,
    MatchupSystem,
    MovingAverageSystem,
    SystemOutput,
    member_weights,
)

NAN = np.nan


def output(values, stds, confidences=None) -> SystemOutput:
    values = np.asarray(values, dtype=float)
    return SystemOutput.build(
        predicted_value=values,
        predicted_std=np.asarray(stds, dtype=float),
        confidence=np.full(len(values), 0.5) if confidences is None else np.asarray(confidences),
        valid=np.isfinite(values),
    )


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


@pytest.mark.parametrize(
    ("recent_mae", "expected"),
    [
        (None, [1 / 3, 1 / 3, 1 / 3]),
        ({}, [1 / 3, 1 / 3, 1 / 3]),
        ({"a": 2.0, "b": 4.0, "c": 4.0}, [0.5, 0.25, 0.25]),
        ({"a": 2.0, "b": 4.0}, [4 / 9, 2 / 9, 1 / 3]),  # c gets the mean of 1/2 and 1/4
        ({"a": 1.0, "b": NAN, "c": 1.0}, [1 / 3, 1 / 3, 1 / 3]),
        ({"a": 0.0, "b": 1.0, "c": 1.0}, [1e6 / (1e6 + 2), 1 / (1e6 + 2), 1 / (1e6 + 2)]),
    ],
)
def test_member_weights_are_inverse_to_recent_error(recent_mae, expected) -> None:
    weights = member_weights(["a", "b", "c"], recent_mae)
    np.testing.assert_allclose(weights, expected)


def test_negative_recent_error_is_refused() -> None:
    with pytest.raises(ProcessorError, match="recent_mae for 'a' is -1.0"):
        member_weights(["a"], {"a": -1.0})


def test_combine_mixes_valid_members_per_row() -> None:
    ensemble = EnsembleSystem([])
    outputs = {
        "a": output([10.0, 10.0, 10.0, NAN], [3.0, 3.0, 3.0, NAN]),
        "b": output([20.0, NAN, 14.0, NAN], [3.0, NAN, 3.0, NAN]),
        "c": output([NAN, 30.0, 12.0, 5.0], [NAN, 3.0, 3.0, 2.0]),
    }
    mixed = ensemble.combine(outputs, {"a": 1.0, "b": 1.0, "c": 2.0})
    np.testing.assert_array_equal(mixed.valid, [True, True, True, False])
    assert mixed.predicted_value[0] == pytest.approx(15.0)
    assert mixed.predicted_value[1] == pytest.approx((10.0 * 1 + 30.0 * 0.5) / 1.5)
    assert mixed.predicted_value[2] == pytest.approx((10.0 + 14.0 + 12.0 * 0.5) / 2.5)
    # Mixture of N(10, 3) and N(20, 3) with equal weights: variance 9 + 25.
    assert mixed.predicted_std[0] == pytest.approx(np.sqrt(9.0 + 25.0))
    assert np.isnan(mixed.predicted_value[3])


def test_disagreement_widens_the_spread_and_lowers_confidence() -> None:
    ensemble = EnsembleSystem([])
    agree = ensemble.combine({"a": output([10.0], [3.0]), "b": output([10.0], [3.0])})
    differ = ensemble.combine({"a": output([6.0], [3.0]), "b": output([14.0], [3.0])})
    assert agree.predicted_std[0] == pytest.approx(3.0)
    assert agree.confidence[0] == pytest.approx(0.5)
    assert differ.predicted_std[0] == pytest.approx(5.0)
    assert differ.confidence[0] == pytest.approx(0.5 * 3.0 / 5.0)


def test_min_members_is_respected() -> None:
    outputs = {"a": output([10.0], [3.0]), "b": output([NAN], [NAN])}
    assert not EnsembleSystem([]).combine(outputs).valid[0]
    assert EnsembleSystem([], min_members=1).combine(outputs).valid[0]


def test_outputs_must_be_aligned() -> None:
    with pytest.raises(ProcessorError, match="different lengths"):
        EnsembleSystem([]).combine({"a": output([1.0], [1.0]), "b": output([1.0, 2.0], [1, 1])})
    with pytest.raises(ProcessorError, match="at least one member output"):
        EnsembleSystem([]).combine({})
    with pytest.raises(ProcessorError, match="min_members must be at least 1"):
        EnsembleSystem([], min_members=0)


def test_predict_runs_its_members(season: FeatureFrame) -> None:
    members = [MovingAverageSystem(), MatchupSystem()]
    ensemble = EnsembleSystem(members)
    mae, naive = errors_against_naive(ensemble, season, game_dates(season)[30::3])
    assert mae < 0.8 * naive
    today, history = split_day(season, game_dates(season)[-3])
    direct = ensemble.combine({m.system_id: m.predict(today, history, market="points")
                               for m in members})
    assert_same_output(ensemble.predict(today, history, market="points"), direct)
