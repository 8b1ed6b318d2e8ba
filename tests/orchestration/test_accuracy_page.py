"""When the accuracy check after grading pages: a drop confirmed on a two-proportion test, split over the
systems compared, on enough history; the platform's real 9/48 still pages, a short history's swing does not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nbaprops.metrics.accuracy import classify_accuracy, drop_p_value
from nbaprops.ops.investigate import GradingVerdict, RateRow
from nbaprops.ops.investigate_facts import Tally
from nbaprops.orchestration.accuracy import confirmed_drop
from nbaprops.reliability.config import AccuracyPageConfig

CONFIG = AccuracyPageConfig()


def row(day: tuple[int, int], history: tuple[int, int], key: str | None = None) -> RateRow:
    day_tally = Tally(graded=day[1], wins=day[0], losses=day[1] - day[0])
    history_tally = Tally(graded=history[1], wins=history[0], losses=history[1] - history[0])
    return RateRow(key, day_tally, history_tally, classify_accuracy(*day, *history), down=True)


def test_the_platforms_real_drop_pages_even_split_over_six_systems() -> None:
    p = drop_p_value(9, 48, 385, 700)
    assert p is not None and 5e-7 < p < 6e-7
    assert confirmed_drop(GradingVerdict.MODEL_DRIFT, [row((9, 48), (385, 700))], 6, CONFIG) == p


def test_a_short_historys_swing_does_not_page() -> None:
    # The demo's early-season ensemble: 147/303 against 148/245, binomial p = 1.8e-05, but the 245 are
    # themselves a small sample: the two-proportion test gives p = 0.003, no page over six systems.
    assert classify_accuracy(147, 303, 148, 245).p_value < 1e-4
    culprit = row((147, 303), (148, 245), "ensemble")
    assert confirmed_drop(GradingVerdict.SYSTEM_REGRESSION, [culprit], 6, CONFIG) is None
    assert confirmed_drop(GradingVerdict.SYSTEM_REGRESSION, [culprit], 1, CONFIG.model_copy(
        update={"page_alpha": 0.01})) is not None


def test_too_little_history_or_a_quiet_verdict_never_pages() -> None:
    strong = row((5, 60), (80, 90))
    assert confirmed_drop(GradingVerdict.MODEL_DRIFT, [strong], 1, CONFIG) is None  # 90 < min_history
    assert confirmed_drop(GradingVerdict.MODEL_DRIFT, [row((5, 60), (800, 900))], 1, CONFIG) is not None
    for verdict in (GradingVerdict.NORMAL, GradingVerdict.VARIANCE, GradingVerdict.DEGRADED):
        assert confirmed_drop(verdict, [row((5, 60), (800, 900))], 1, CONFIG) is None


@given(st.integers(1, 200), st.integers(1, 2000), st.data())
def test_a_day_at_or_above_history_never_confirms_a_drop(
    day_total: int, history_total: int, data: st.DataObject
) -> None:
    history_correct = data.draw(st.integers(0, history_total))
    floor = -(-history_correct * day_total // history_total)  # the day's rate at least history's
    day_correct = data.draw(st.integers(min(floor, day_total), day_total))
    p = drop_p_value(day_correct, day_total, history_correct, history_total)
    assert p is None or p >= 0.5 - 1e-9
