import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from nbaprops.metrics import binomial_test, wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "confidence", "interval"),
    [
        (9, 48, 0.95, (0.10191390954847647, 0.31939867149284695)),
        (9, 48, 0.99, (0.08423780732538375, 0.36666259028900006)),
        (50, 100, 0.95, (0.4038315303659956, 0.5961684696340044)),
        (0, 10, 0.95, (0.0, 0.2775327998628892)),
        (10, 10, 0.95, (0.7224672001371107, 1.0)),
        (0, 0, 0.95, (0.0, 1.0)),
    ],
)
def test_wilson_interval(
    successes: int, trials: int, confidence: float, interval: tuple[float, float]
) -> None:
    assert wilson_interval(successes, trials, confidence=confidence) == pytest.approx(interval)


@given(trials=st.integers(1, 2000), data=st.data())
def test_wilson_interval_matches_scipy_and_holds_the_rate(trials: int, data: st.DataObject) -> None:
    successes = data.draw(st.integers(0, trials))
    low, high = wilson_interval(successes, trials)
    reference = binomtest(successes, trials).proportion_ci(method="wilson")
    assert (low, high) == pytest.approx((reference.low, reference.high), abs=1e-9)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


@pytest.mark.parametrize(
    ("successes", "trials", "message"),
    [
        (5, 4, "5 successes of 4 trials is impossible"),
        (-1, 4, "-1 successes of 4 trials is impossible"),
    ],
)
def test_impossible_counts_are_rejected(successes: int, trials: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wilson_interval(successes, trials)
    with pytest.raises(ValueError, match=message):
        binomial_test(successes, trials, p=0.5, alternative="less")


@pytest.mark.parametrize("confidence", [0.0, 1.0, 1.5])
def test_wilson_interval_rejects_a_bad_confidence(confidence: float) -> None:
    with pytest.raises(ValueError, match=f"confidence {confidence} must lie strictly between"):
        wilson_interval(3, 10, confidence=confidence)


def _lower_tail(successes: int, trials: int, p: float) -> float:
    return math.fsum(
        math.comb(trials, k) * p**k * (1 - p) ** (trials - k) for k in range(successes + 1)
    )


@pytest.mark.parametrize(
    ("successes", "trials", "p", "alternative", "p_value"),
    [
        (9, 48, 0.55, "less", _lower_tail(9, 48, 0.55)),
        (9, 48, 0.55, "less", 2.810328169443792e-07),
        (5, 10, 0.5, "two-sided", 1.0),
        (10, 10, 0.5, "greater", 0.5**10),
        (0, 10, 0.5, "less", 0.5**10),
        (0, 10, 0.5, "two-sided", 2 * 0.5**10),
        (0, 0, 0.5, "two-sided", 1.0),
    ],
)
def test_binomial_test(
    successes: int, trials: int, p: float, alternative: str, p_value: float
) -> None:
    result = binomial_test(successes, trials, p=p, alternative=alternative)  # type: ignore[arg-type]
    assert result == pytest.approx(p_value, rel=1e-9)


@pytest.mark.parametrize(
    ("p", "alternative", "message"),
    [
        (1.5, "less", "p 1.5 must lie between 0 and 1"),
        (0.5, "below", "alternative 'below' is unknown"),
    ],
)
def test_binomial_test_rejects_bad_arguments(p: float, alternative: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        binomial_test(3, 10, p=p, alternative=alternative)  # type: ignore[arg-type]
