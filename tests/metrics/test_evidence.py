"""The walk-forward Brier record: a day-clustered one-sided bound on the difference with the market."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.metrics.evidence import DayBrier, brier_evidence

DAY0 = date(2025, 1, 1)


def days(*sums: float, rows: int = 10) -> list[DayBrier]:
    return [DayBrier(DAY0 + timedelta(days=i), rows, s) for i, s in enumerate(sums)]


def test_the_bound_is_the_clustered_mean_plus_z_standard_errors() -> None:
    record = days(-0.1, -0.3, -0.2, -0.2)
    evidence = brier_evidence(record, confidence=0.95, min_days=3)
    mean = -0.8 / 40
    spread = sum((s - mean * 10) ** 2 for s in (-0.1, -0.3, -0.2, -0.2))
    se = math.sqrt(4 / 3 * spread) / 40
    assert evidence.mean_difference == pytest.approx(mean)
    assert evidence.upper_bound == pytest.approx(mean + 1.6448536 * se)
    assert evidence.supported
    assert evidence.describe() == f"Brier vs market {mean:+.4f} over 4 days, 95% bound {evidence.upper_bound:+.4f}"


@pytest.mark.parametrize(("record", "min_days", "supported"), [
    (days(-0.2, -0.2, -0.2), 3, True),          # better every day, no spread
    (days(-0.2, -0.2, -0.2), 4, False),         # too few days
    (days(0.2, 0.2, 0.2), 3, False),            # worse than the market
    (days(-0.5, 0.45, -0.5, 0.45), 3, False),   # better on average but not surely
    ([], 1, False),                             # nothing graded
    (days(-0.5), 1, False),                     # one day has no spread to judge by
])
def test_support_table(record: list[DayBrier], min_days: int, supported: bool) -> None:
    assert brier_evidence(record, confidence=0.95, min_days=min_days).supported is supported


@given(st.lists(st.tuples(st.integers(1, 50), st.floats(-2, 2)), min_size=2, max_size=30), st.floats(0.6, 0.99))
def test_more_confidence_never_lowers_the_bound(record: list[tuple[int, float]], confidence: float) -> None:
    graded = [DayBrier(DAY0 + timedelta(days=i), n, s) for i, (n, s) in enumerate(record)]
    lower = brier_evidence(graded, confidence=0.55, min_days=2)
    higher = brier_evidence(graded, confidence=confidence, min_days=2)
    assert lower.upper_bound is not None and higher.upper_bound is not None
    assert higher.upper_bound >= lower.upper_bound - 1e-12
    assert lower.mean_difference is not None and lower.upper_bound >= lower.mean_difference - 1e-12


def test_confidence_outside_one_half_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="confidence 0.4 must lie strictly between 0.5 and 1"):
        brier_evidence(days(-0.1, -0.2), confidence=0.4, min_days=2)
