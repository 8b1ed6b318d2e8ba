from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.predictions.calibration import BlendFit, blend

probability = st.floats(min_value=0.0, max_value=1.0)


@pytest.mark.parametrize(
    ("fit", "expected"),
    [
        (BlendFit(cross=3.0, spread=6.0, rows=500), 0.5),
        (BlendFit(cross=-2.0, spread=6.0, rows=500), 0.0),  # the model only adds noise: trust the market
        (BlendFit(cross=9.0, spread=6.0, rows=500), 1.0),
        (BlendFit(cross=3.0, spread=6.0, rows=50), 0.4),  # too few graded rows: the prior
        (BlendFit(cross=0.0, spread=0.0, rows=500), 0.4),
    ],
)
def test_weight(fit: BlendFit, expected: float) -> None:
    assert fit.weight(min_rows=200, prior_weight=0.4) == pytest.approx(expected)


def test_the_fit_recovers_the_true_blend() -> None:
    rng = np.random.default_rng(3)
    market = rng.uniform(0.3, 0.7, 20_000)
    model = np.clip(market + rng.normal(0, 0.15, market.size), 0.01, 0.99)
    truth = 0.3 * model + 0.7 * market
    went_over = rng.uniform(size=market.size) < truth
    fit = BlendFit(cross=float(((went_over - market) * (model - market)).sum()),
                   spread=float(((model - market) ** 2).sum()), rows=market.size)
    assert fit.weight(min_rows=200, prior_weight=0.5) == pytest.approx(0.3, abs=0.05)


@given(p_over=probability, p_push=st.floats(0.0, 0.3), p_fair=probability, weight=probability)
def test_blending_keeps_the_push_and_stays_a_probability(
    p_over: float, p_push: float, p_fair: float, weight: float
) -> None:
    p_over = p_over * (1 - p_push)
    p_under = 1 - p_push - p_over
    over, under = blend(np.array([p_over]), np.array([p_under]), np.array([p_fair]), weight=weight)
    assert over[0] + under[0] == pytest.approx(1 - p_push)
    assert -1e-12 <= over[0] <= 1 - p_push + 1e-12


def test_a_weight_outside_0_1_is_refused() -> None:
    with pytest.raises(ValueError, match="blend weight must lie between 0 and 1"):
        blend(np.array([0.5]), np.array([0.5]), np.array([0.5]), weight=1.5)
