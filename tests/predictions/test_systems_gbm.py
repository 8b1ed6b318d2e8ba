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
from nbaprops.predictions.systems import GbmConfig, GbmSystem
from nbaprops.predictions.systems.gbm import retrain_anchor

# Small, single-threaded models: quick, and immune to other processes holding the second core.
FAST = GbmConfig(num_trees=40, num_threads=1)


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


@pytest.fixture(scope="module")
def rebounds() -> FeatureFrame:
    return synthetic_season(players=80, games=30, market="rebounds", seed=4)[0]


def test_beats_a_naive_constant(season: FeatureFrame) -> None:
    system = GbmSystem(GbmConfig(num_threads=1))
    mae, naive = errors_against_naive(system, season, game_dates(season)[30::4])
    assert mae < 0.8 * naive


def test_retrains_on_its_cadence(season: FeatureFrame) -> None:
    system = GbmSystem(FAST, retrain_days=7)
    dates = game_dates(season)[30:45]
    trained_on = []
    for game_date in dates:
        today, history = split_day(season, game_date)
        before = system.trainings
        system.predict(today, history, market="points")
        if system.trainings > before:
            trained_on.append(game_date)
    # The first day of each 7-day window from the season's start (August 1) retrains.
    anchors = [retrain_anchor(d, retrain_days=7) for d in dates]
    expected = [d for i, d in enumerate(dates) if i == 0 or anchors[i] != anchors[i - 1]]
    assert trained_on == expected and len(expected) >= 2
    assert system.model_for("points").trained_date == anchors[-1]
    assert all((a - np.datetime64("2024-08-01")).astype(int) % 7 == 0 for a in anchors)


def test_a_day_gets_the_same_model_whatever_came_before(season: FeatureFrame) -> None:
    dates = game_dates(season)
    day = dates[52]
    today, history = split_day(season, day)
    fresh = GbmSystem(FAST, retrain_days=14).predict(today, history, market="points")
    warmed = GbmSystem(FAST, retrain_days=14)
    for earlier in (dates[47], dates[49], dates[50]):
        warmed.predict(*split_day(season, earlier), market="points")
    assert_same_output(fresh, warmed.predict(today, history, market="points"))


def test_keeps_one_model_per_market(season: FeatureFrame, rebounds: FeatureFrame) -> None:
    system = GbmSystem(FAST, retrain_days=14)
    points_day, rebounds_day = game_dates(season)[40], game_dates(rebounds)[40]
    for frame, market, game_date in (
        (season, "points", points_day),
        (rebounds, "rebounds", rebounds_day),
        (season, "points", points_day),
        (rebounds, "rebounds", rebounds_day),
    ):
        today, history = split_day(frame, game_date)
        assert system.predict(today, history, market=market).valid.any()
    assert system.trainings == 2
    assert system.model_for("points").trained_date == retrain_anchor(points_day, retrain_days=14)
    assert system.model_for("rebounds").trained_date == retrain_anchor(rebounds_day, retrain_days=14)


def test_going_back_in_time_retrains(season: FeatureFrame) -> None:
    system = GbmSystem(FAST, retrain_days=14)
    dates = game_dates(season)
    later, earlier = dates[60], dates[45]
    assert retrain_anchor(later, retrain_days=14) != retrain_anchor(earlier, retrain_days=14)
    for game_date in (later, earlier):
        today, history = split_day(season, game_date)
        system.predict(today, history, market="points")
    assert system.trainings == 2
    assert system.model_for("points").trained_date == retrain_anchor(earlier, retrain_days=14)


def test_too_few_training_rows_gives_no_prediction(season: FeatureFrame) -> None:
    system = GbmSystem(FAST)
    early = game_dates(season)[16]
    today, history = split_day(season, early)
    # The model of `early` trains on the rows before its retrain day.
    before_anchor = history["game_date"] < retrain_anchor(early, retrain_days=system.retrain_days)
    usable_rows = int(np.sum(before_anchor & (history["games_played"] >= 5)))
    assert 0 < usable_rows < 200
    output = system.predict(today, history, market="points")
    assert not output.valid.any() and system.trainings == 0 and system.model_for("points") is None
    low_bar = GbmSystem(GbmConfig(num_trees=40, num_threads=1, min_training_rows=usable_rows))
    assert low_bar.predict(today, history, market="points").valid.any()


def test_players_without_enough_games_get_no_prediction(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[40])
    output = GbmSystem(FAST, min_history_games=8).predict(today, history, market="points")
    np.testing.assert_array_equal(output.valid, today["games_played"] >= 8)


def test_spread_grows_with_the_prediction(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-3])
    today = {**today, "stat_std_last10": np.full(len(today["game_date"]), np.nan)}
    output = GbmSystem(FAST).predict(today, history, market="points")
    order = np.argsort(output.predicted_value)
    assert np.all(np.diff(output.predicted_std[order]) >= 0)
    assert output.predicted_std[order][-1] > output.predicted_std[order][0]


def test_is_deterministic_with_the_default_two_threads(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-3])
    first = GbmSystem().predict(today, history, market="points")
    assert_same_output(first, GbmSystem().predict(today, history, market="points"))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: GbmSystem(retrain_days=0), "retrain_days must be at least 1"),
        (lambda: GbmConfig(num_trees=0), "num_trees must be at least 1"),
        (lambda: GbmConfig(min_training_rows=0), "min_training_rows must be at least 1"),
        (lambda: GbmConfig(num_threads=0), "num_threads must be at least 1"),
    ],
)
def test_settings_are_validated(build, message: str) -> None:
    with pytest.raises(ProcessorError, match=message):
        build()
