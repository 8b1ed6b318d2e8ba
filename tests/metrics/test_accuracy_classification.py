import json

import pytest

from nbaprops.metrics import AccuracyStatus, classify_accuracy

REGRESSION = AccuracyStatus.REGRESSION
DEGRADED = AccuracyStatus.DEGRADED
SMALL_SAMPLE = AccuracyStatus.SMALL_SAMPLE
NORMAL = AccuracyStatus.NORMAL

CASES = {
    # name: (day_correct, day_total, history_correct, history_total, status, p_value)
    "9 of 48 against 55% is a regression": (9, 48, 385, 700, REGRESSION, 2.810328169443792e-07),
    "2 of 20 against 55% is a regression": (2, 20, 385, 700, REGRESSION, 3.585835179162139e-05),
    "10.6 points down, not significant": (20, 45, 385, 700, DEGRADED, 0.10171344353831886),
    "exactly 10 points down is degraded": (9, 20, 385, 700, DEGRADED, 0.24928935982841172),
    "exactly 10 points down despite rounding": (4, 20, 210, 700, DEGRADED, None),
    "5 points down is normal": (24, 48, 385, 700, NORMAL, 0.2898024743059468),
    "at the history rate is normal": (26, 48, 385, 700, NORMAL, 0.5096071056127474),
    "above the history rate is normal": (40, 48, 385, 700, NORMAL, None),
    "19 picks is a small sample however bad": (0, 19, 385, 700, SMALL_SAMPLE, 0.45**19),
    "no picks today": (0, 0, 385, 700, SMALL_SAMPLE, None),
    "a short history is a small sample": (9, 48, 5, 10, SMALL_SAMPLE, None),
    "no history": (9, 48, 0, 0, SMALL_SAMPLE, None),
}


@pytest.mark.parametrize(
    ("day_correct", "day_total", "history_correct", "history_total", "status", "p_value"),
    CASES.values(),
    ids=CASES.keys(),
)
def test_classify_accuracy(
    day_correct: int,
    day_total: int,
    history_correct: int,
    history_total: int,
    status: AccuracyStatus,
    p_value: float | None,
) -> None:
    check = classify_accuracy(day_correct, day_total, history_correct, history_total)
    assert check.status is status
    if p_value is not None:
        assert check.p_value == pytest.approx(p_value, rel=1e-3)
    if day_total and history_total:
        assert check.p_value is not None
    else:
        assert check.p_value is None


def test_the_regression_case_reports_its_evidence() -> None:
    check = classify_accuracy(9, 48, 385, 700)
    assert check.p_value is not None and check.p_value < 1e-6
    assert check.day_rate == 0.1875 and check.history_rate == 0.55
    assert check.day_interval == pytest.approx((0.10191390954847647, 0.31939867149284695))
    assert check.history_interval == pytest.approx((0.5129726311783797, 0.5864815841463143))
    document = check.to_json()
    assert json.loads(json.dumps(document)) == document
    assert document["status"] == "REGRESSION"
    assert AccuracyStatus.SMALL_SAMPLE.value == "SMALL SAMPLE"


def test_thresholds_are_arguments() -> None:
    assert classify_accuracy(8, 19, 385, 700).status is SMALL_SAMPLE
    assert classify_accuracy(8, 19, 385, 700, min_sample=10).status is DEGRADED
    assert classify_accuracy(9, 48, 385, 700, alpha=1e-7).status is DEGRADED
    assert classify_accuracy(24, 48, 385, 700, degraded_drop=0.05).status is DEGRADED


def test_significant_but_the_wilson_bound_reaches_history_is_not_a_regression() -> None:
    check = classify_accuracy(20, 45, 385, 700, alpha=0.2)
    assert check.p_value is not None and check.p_value < 0.2
    assert check.day_interval[1] > 0.55
    assert check.status is DEGRADED


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        ((9, 48, 385, 700), {"min_sample": 0}, "min_sample 0 must be at least 1"),
        ((9, 48, 385, 700), {"alpha": 1.5}, "alpha 1.5 must lie strictly between 0 and 1"),
        ((49, 48, 385, 700), {}, "49 successes of 48 trials is impossible"),
        ((9, 48, 701, 700), {}, "701 successes of 700 trials is impossible"),
    ],
)
def test_classify_accuracy_rejects_bad_arguments(
    arguments: tuple[int, int, int, int], options: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        classify_accuracy(*arguments, **options)  # type: ignore[arg-type]
