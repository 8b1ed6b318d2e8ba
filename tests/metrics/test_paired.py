"""Paired bootstrap and scores against the market: seeded, deterministic, on the same rows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbaprops.metrics.paired import compare_with_market, log_losses, paired_bootstrap, squared_errors


def test_the_same_seed_gives_the_same_interval_and_another_seed_another() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.random(300), rng.random(300)
    first = paired_bootstrap(a, b, resamples=500, seed=7)
    assert first == paired_bootstrap(a, b, resamples=500, seed=7)
    assert first != paired_bootstrap(a, b, resamples=500, seed=8)
    assert first.value == pytest.approx(float((a - b).mean()))
    assert first.ci_low < first.value < first.ci_high and first.rows == 300


def test_a_constant_difference_has_a_zero_width_interval() -> None:
    result = paired_bootstrap([0.3, 0.5, 0.9], [0.2, 0.4, 0.8], resamples=200, seed=0)
    assert result.ci_low == pytest.approx(0.1) and result.ci_high == pytest.approx(0.1)


def test_pairing_removes_the_shared_noise() -> None:
    rng = np.random.default_rng(2)
    shared = rng.normal(0.0, 5.0, 2000)
    paired = paired_bootstrap(shared + 0.1, shared, resamples=400, seed=0)
    assert 0.099 < paired.ci_low <= paired.ci_high < 0.101, "a paired test sees the 0.1 through the noise"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 1), st.floats(-1, 1)), min_size=1, max_size=40), st.integers(0, 1000))
def test_the_interval_lies_within_the_smallest_and_largest_difference(pairs: list[tuple[float, float]],
                                                                      seed: int) -> None:
    a, b = np.array([x for x, _ in pairs]), np.array([y for _, y in pairs])
    result = paired_bootstrap(a, b, resamples=100, seed=seed)
    difference = a - b
    assert difference.min() - 1e-12 <= result.ci_low <= result.ci_high <= difference.max() + 1e-12


@pytest.mark.parametrize(("a", "b", "kwargs", "message"), [
    ([1.0], [1.0, 2.0], {}, "needs pairs"),
    ([], [], {}, "at least one pair"),
    ([1.0], [1.0], {"resamples": 0}, "resamples must be at least 1"),
    ([1.0], [1.0], {"confidence": 1.0}, "strictly between 0 and 1"),
])
def test_misuse_is_refused(a: list[float], b: list[float], kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        paired_bootstrap(a, b, **kwargs)  # type: ignore[arg-type]


def test_scores_per_row() -> None:
    np.testing.assert_allclose(squared_errors([0.8, 0.3], [True, False]), [0.04, 0.09])
    np.testing.assert_allclose(log_losses([0.8, 0.3], [True, False]), [-np.log(0.8), -np.log(0.7)])
    assert np.isfinite(log_losses([0.0], [True])).all(), "a certain miss is clipped, not infinite"


def test_the_market_comparison_scores_both_on_the_same_rows() -> None:
    outcomes = [True, False, True, False]
    result = compare_with_market([0.7, 0.3, 0.6, 0.4], [0.5, 0.5, 0.5, 0.5], outcomes, resamples=200)
    assert result.market_brier == pytest.approx(0.25) and result.brier == pytest.approx((0.09 * 2 + 0.16 * 2) / 4)
    assert result.brier_difference is not None and result.brier_difference.value < 0
    keys = result.to_json()
    assert {"brier", "market_brier", "log_loss", "market_log_loss"} <= set(keys)
    assert {"ci_low", "ci_high"} <= set(keys["brier_difference"])
    empty = compare_with_market([], [], [])
    assert empty.rows == 0 and empty.brier is None and empty.brier_difference is None
