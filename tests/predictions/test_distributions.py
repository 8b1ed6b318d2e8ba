from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from nbaprops.errors import ProcessorError
from nbaprops.predictions.distributions import (
    NEGATIVE_BINOMIAL,
    POISSON,
    Distribution,
    DistributionBatch,
    choose_family,
)


def _scipy_reference(mean: float, std: float):
    """The frozen scipy distribution a (mean, std) stands for, parameterised independently."""
    var = std * std
    if var > mean * 1.001 and mean > 0:
        size = mean * mean / (var - mean)
        return stats.nbinom(size, size / (size + mean))
    return stats.poisson(mean)


# mean, std, expected family
FAMILY_CASES = [
    (20.0, 7.0, NEGATIVE_BINOMIAL),  # variance 49 > 20
    (2.0, 1.0, POISSON),  # variance 1 < 2
    (4.0, 2.0, POISSON),  # variance equals the mean
    (4.0, 2.0005, POISSON),  # within the tolerance of equal
    (4.0, 2.1, NEGATIVE_BINOMIAL),
    (0.0, 0.0, POISSON),
    (0.0, 1.0, POISSON),  # no negative binomial has mean 0
]


@pytest.mark.parametrize(("mean", "std", "family"), FAMILY_CASES)
def test_family_follows_dispersion(mean: float, std: float, family: str) -> None:
    assert choose_family(np.array([mean]), np.array([std]))[0] == family
    assert Distribution.from_moments(mean, std).family == family


# mean, std, line
PROBABILITY_CASES = [
    (2.0, 1.0, 2.5),
    (2.0, 1.0, 3.0),
    (2.0, 1.0, 0.5),
    (2.0, 1.0, 0.0),
    (1.3, 1.6, 0.5),
    (1.3, 1.6, 1.0),
    (20.0, 7.0, 19.5),
    (20.0, 7.0, 20.0),
    (20.0, 7.0, 35.5),
    (35.0, 9.0, 34.5),
    (35.0, 9.0, 34.0),
    (0.0, 0.0, 0.5),
    (6.5, 2.5, 6.5),
    (6.5, 2.6, 6.0),
]


@pytest.mark.parametrize(("mean", "std", "line"), PROBABILITY_CASES)
def test_probabilities_match_scipy(mean: float, std: float, line: float) -> None:
    reference = _scipy_reference(mean, std)
    whole = line == math.floor(line)
    # Over: X >= floor(line) + 1. Under: X <= ceil(line) - 1. Push: X == line, whole lines only.
    expected_over = reference.sf(math.floor(line))
    expected_under = reference.cdf(math.ceil(line) - 1)
    expected_push = reference.pmf(line) if whole else 0.0
    distribution = Distribution.from_moments(mean, std)
    assert distribution.p_over(line) == pytest.approx(expected_over, abs=1e-12)
    assert distribution.p_under(line) == pytest.approx(expected_under, abs=1e-12)
    assert distribution.p_push(line) == pytest.approx(expected_push, abs=1e-12)


def test_poisson_by_hand() -> None:
    # Poisson(2): P(X >= 3) = 1 - e^-2 (1 + 2 + 2); P(X = 3) = e^-2 * 8 / 6.
    distribution = Distribution(mean=2.0, std=1.0, family=POISSON)
    assert float(distribution.p_over(2.5)) == pytest.approx(1 - 5 * math.exp(-2))
    assert float(distribution.p_push(3)) == pytest.approx(math.exp(-2) * 8 / 6)
    expected = 1 - 5 * math.exp(-2) - 8 / 6 * math.exp(-2)
    assert float(distribution.p_over(3)) == pytest.approx(expected)


def test_single_distribution_is_vectorised_over_lines() -> None:
    distribution = Distribution.from_moments(20.0, 7.0)
    lines = np.array([[18.5, 19.0], [20.5, 21.0]])
    assert distribution.p_over(lines).shape == (2, 2)
    assert distribution.p_over(lines)[1, 0] == pytest.approx(float(distribution.p_over(20.5)))


def test_batch_matches_single_distributions() -> None:
    mean = np.array([20.0, 2.0, 5.0, 0.0])
    std = np.array([7.0, 1.0, 3.0, 0.0])
    lines = np.array([19.5, 2.0, 4.5, 0.5])
    batch = DistributionBatch.from_moments(mean, std)
    assert len(batch) == 4
    for i in range(4):
        single = Distribution.from_moments(float(mean[i]), float(std[i]))
        assert batch[i] == single
        assert batch.p_over(lines)[i] == pytest.approx(float(single.p_over(lines[i])))
        assert batch.p_under(lines)[i] == pytest.approx(float(single.p_under(lines[i])))
        assert batch.p_push(lines)[i] == pytest.approx(float(single.p_push(lines[i])))


def test_batch_takes_one_line_for_all_rows() -> None:
    batch = DistributionBatch.from_moments(np.array([10.0, 20.0]), np.array([4.0, 6.0]))
    over = batch.p_over(15.5)
    assert over[0] < over[1]


@pytest.mark.parametrize(
    ("mean", "std", "family", "message"),
    [
        (-1.0, 1.0, POISSON, "predictive mean must be a finite number at least 0"),
        (float("nan"), 1.0, POISSON, "predictive mean must be a finite number at least 0"),
        (2.0, -1.0, POISSON, "predictive std must be a finite number at least 0"),
        (2.0, float("inf"), POISSON, "predictive std must be a finite number at least 0"),
        (2.0, 3.0, "normal", "Unknown distribution family 'normal'"),
        (4.0, 1.0, NEGATIVE_BINOMIAL, "needs a positive mean and a variance above the mean"),
        (0.0, 1.0, NEGATIVE_BINOMIAL, "needs a positive mean and a variance above the mean"),
    ],
)
def test_invalid_distributions_are_refused(
    mean: float, std: float, family: str, message: str
) -> None:
    with pytest.raises(ProcessorError, match=message):
        Distribution(mean=mean, std=std, family=family)  # type: ignore[arg-type]


def test_batch_shapes_must_agree() -> None:
    with pytest.raises(ProcessorError, match="mean has shape"):
        DistributionBatch(mean=np.ones(2), std=np.ones(3), family=np.array([POISSON] * 2))
    with pytest.raises(ProcessorError, match="family has shape"):
        DistributionBatch(mean=np.ones(2), std=np.ones(2), family=np.array([POISSON]))


means = st.floats(min_value=0.0, max_value=80.0, allow_nan=False)
stds = st.floats(min_value=0.0, max_value=40.0, allow_nan=False)
lines = st.integers(min_value=0, max_value=200).map(lambda half: half / 2)


@settings(max_examples=300, deadline=None)
@given(mean=means, std=stds, line=lines)
def test_over_under_push_sum_to_one(mean: float, std: float, line: float) -> None:
    distribution = Distribution.from_moments(mean, std)
    total = distribution.p_over(line) + distribution.p_under(line) + distribution.p_push(line)
    assert float(total) == pytest.approx(1.0, abs=1e-9)
    for p in (distribution.p_over(line), distribution.p_under(line), distribution.p_push(line)):
        assert -1e-12 <= float(p) <= 1 + 1e-12


@settings(max_examples=200, deadline=None)
@given(mean=means, std=stds, line=lines)
def test_probabilities_are_monotone_in_the_line(mean: float, std: float, line: float) -> None:
    distribution = Distribution.from_moments(mean, std)
    higher = line + 0.5
    assert float(distribution.p_over(higher)) <= float(distribution.p_over(line)) + 1e-12
    assert float(distribution.p_under(higher)) >= float(distribution.p_under(line)) - 1e-12
