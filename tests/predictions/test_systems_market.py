"""The market-anchored system: the market's distribution, a shrunk learned adjustment, every lined row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.predictions.synthetic import game_dates, split_day, synthetic_season

from nbaprops.errors import ProcessorError
from nbaprops.predictions.distributions import DistributionBatch
from nbaprops.predictions.market_adjustment import MarketAdjustment
from nbaprops.predictions.market_distribution import fit_dispersion, implied_mean, implied_std
from nbaprops.predictions.systems import EnsembleSystem, MarketConfig, MarketSystem, MovingAverageSystem
from nbaprops.predictions.systems.market import went_over


@settings(max_examples=60, deadline=None)
@given(line=st.sampled_from([0.5, 1.5, 2.5, 3.0, 12.5, 24.5, 35.0]), p=st.floats(0.05, 0.95),
       dispersion=st.sampled_from([1.0, 1.3, 3.0]))
def test_the_implied_distribution_gives_the_fair_probability_at_the_line(line: float, p: float,
                                                                         dispersion: float) -> None:
    mean = implied_mean(np.array([line]), np.array([p]), dispersion=dispersion)
    batch = DistributionBatch.from_moments(mean, implied_std(mean, dispersion=dispersion))
    over, push = batch.p_over(line)[0], batch.p_push(line)[0]
    assert over / (1.0 - push) == pytest.approx(p, abs=1e-4)


def test_a_higher_fair_probability_means_a_higher_mean_and_unknowns_stay_unknown() -> None:
    means = implied_mean(np.array([2.5, 2.5, np.nan, 2.5]), np.array([0.4, 0.6, 0.5, np.nan]), dispersion=1.5)
    assert means[0] < means[1] and np.isnan(means[2:]).all()


def test_dispersion_is_fitted_around_the_line_and_falls_back_with_few_rows() -> None:
    line = np.full(500, 10.5)
    actual = np.random.default_rng(0).negative_binomial(5, 5 / 15.5, 500).astype(float)
    assert fit_dispersion(line, actual, min_rows=100, default=9.0) == pytest.approx(1 + 10.5 / 5, rel=0.2)
    assert fit_dispersion(line[:10], actual[:10], min_rows=100, default=9.0) == 9.0


def test_without_enough_history_the_system_is_the_market() -> None:
    season = synthetic_season(players=40, games=12, seed=1)[0]
    today, history = split_day(season, game_dates(season)[5])
    output = MarketSystem(MarketConfig(min_adjustment_rows=10_000)).predict(today, history, market="points")
    assert output.valid.all(), "every lined row is predicted, whatever the player's games"
    p_model = output.distributions().p_over(today["market_line"])
    np.testing.assert_allclose(p_model, today["market_p_over"], atol=1e-4)


def test_players_without_games_are_predicted_from_the_first_day() -> None:
    season = synthetic_season(players=40, games=12, seed=2)[0]
    first = game_dates(season)[0]
    today, history = split_day(season, first)
    assert (today["games_played"] == 0).all() and len(history["game_date"]) == 0
    assert MarketSystem().predict(today, history, market="points").valid.all()
    assert not MovingAverageSystem().predict(today, history, market="points").valid.any()
    anchored = EnsembleSystem([MarketSystem(), MovingAverageSystem()], anchor="market")
    assert anchored.predict(today, history, market="points").valid.all()


def test_the_adjustment_learns_a_real_bias_and_is_shrunk_toward_zero() -> None:
    season = synthetic_season(players=150, games=30, seed=4)[0]
    # The market under-rates home players: its probability is pulled down at home.
    home = season["is_home"]
    season["market_p_over"] = np.where(home, season["market_p_over"] * 0.8, season["market_p_over"])
    target = went_over(season)
    loose = MarketAdjustment.fit(season, target, l2=1.0, min_rows=100)
    tight = MarketAdjustment.fit(season, target, l2=1e6, min_rows=100)
    home_index = 1 + 10  # intercept, then FEATURE_NAMES: "home" is the 11th
    assert loose.coefficients[home_index] > 0.05
    assert abs(tight.coefficients[home_index]) < 0.1 * loose.coefficients[home_index]
    assert MarketAdjustment.fit(season, target, l2=1.0, min_rows=10**6).coefficients.tolist() == [0.0] * 13


def test_an_anchor_must_be_a_member() -> None:
    with pytest.raises(ProcessorError, match="anchor 'market' is not one of its members"):
        EnsembleSystem([MovingAverageSystem()], anchor="market")
    with pytest.raises(ProcessorError, match="l2 must be at least 0"):
        MarketConfig(l2=-1.0)
