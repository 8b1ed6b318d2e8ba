"""Two systems' Brier scores on the same rows, with a day-clustered two-sided bound of the difference."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.metrics.evidence import DayBrier, brier_evidence
from nbaprops.metrics.paired_brier import PairedDay, paired_brier

DAY0 = date(2025, 1, 1)


def days(*pairs: tuple[float, float], rows: int = 10) -> list[PairedDay]:
    return [PairedDay(DAY0 + timedelta(days=i), rows, a, b) for i, (a, b) in enumerate(pairs)]


def test_scores_difference_and_bounds_are_the_clustered_ones() -> None:
    record = paired_brier(days((2.0, 2.5), (2.2, 2.4), (1.9, 2.6)), confidence=0.95)
    mean = (6.1 - 7.5) / 30
    spread = sum((a - b - mean * 10) ** 2 for a, b in ((2.0, 2.5), (2.2, 2.4), (1.9, 2.6)))
    half = 1.6448536 * math.sqrt(3 / 2 * spread) / 30
    assert record.first_brier == pytest.approx(6.1 / 30) and record.second_brier == pytest.approx(7.5 / 30)
    assert record.mean_difference == pytest.approx(mean)
    assert (record.lower, record.upper) == (pytest.approx(mean - half), pytest.approx(mean + half))
    assert record.first_better and not record.first_worse
    assert record.describe().startswith("Brier system 0.2033 vs champion 0.2500 over 30 rows of 3 days")


def test_one_day_has_scores_but_no_bounds_and_no_rows_has_nothing() -> None:
    one = paired_brier(days((2.0, 2.5)), confidence=0.9)
    assert one.days == 1 and one.lower is None and not one.first_better and not one.first_worse
    empty = paired_brier([], confidence=0.9)
    assert empty.rows == 0 and empty.describe() == "no rows graded for both system and champion"


def test_confidence_outside_one_half_and_one_is_refused() -> None:
    with pytest.raises(ValueError, match="confidence 0.5 must lie strictly between 0.5 and 1"):
        paired_brier([], confidence=0.5)


sums = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)


@given(st.lists(st.tuples(sums, sums), min_size=2, max_size=20), st.floats(min_value=0.55, max_value=0.99))
def test_the_upper_bound_is_the_evidence_bound_and_swapping_mirrors_the_interval(
    pairs: list[tuple[float, float]], confidence: float
) -> None:
    record = paired_brier(days(*pairs), confidence=confidence)
    swapped = paired_brier(days(*[(b, a) for a, b in pairs]), confidence=confidence)
    evidence = brier_evidence([DayBrier(d.game_date, d.rows, d.first_sum - d.second_sum) for d in days(*pairs)],
                              confidence=confidence, min_days=2)
    assert record.upper == pytest.approx(evidence.upper_bound, abs=1e-12)
    assert swapped.lower == pytest.approx(-record.upper, abs=1e-12)
    assert not (record.first_better and record.first_worse)
    assert record.first_better == swapped.first_worse
