import pytest

from nbaprops.metrics import (
    CalibrationBin,
    brier_score,
    calibration_table,
    mean_absolute_error,
    roi,
)


@pytest.mark.parametrize(
    ("p", "outcomes", "score"),
    [
        ([1.0, 0.0, 1.0], [True, False, True], 0.0),
        ([0.5, 0.5, 0.5, 0.5], [True, False, False, True], 0.25),
        ([1.0, 0.0], [False, True], 1.0),
        ([0.8, 0.3], [True, False], (0.04 + 0.09) / 2),
    ],
    ids=["perfect", "coin flip", "always wrong", "mixed"],
)
def test_brier_score(p: list[float], outcomes: list[bool], score: float) -> None:
    assert brier_score(p, outcomes) == pytest.approx(score)


@pytest.mark.parametrize(
    ("p", "outcomes", "message"),
    [
        ([0.5, 0.5], [True], "brier_score needs sequences of equal length, got 2 and 1"),
        ([], [], "brier_score needs at least one value"),
        ([0.5, 1.5], [True, False], "Probability 1.5 at position 1 must lie between 0 and 1"),
    ],
)
def test_brier_score_rejects_bad_input(p: list[float], outcomes: list[bool], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        brier_score(p, outcomes)


def test_calibration_table_bins_by_predicted_probability() -> None:
    table = calibration_table(
        [0.05, 0.15, 0.12, 0.1, 0.95, 1.0], [False, True, False, False, True, True]
    )
    assert [row.count for row in table] == [1, 3, 0, 0, 0, 0, 0, 0, 0, 2]
    assert table[0] == CalibrationBin(0.0, 0.1, 1, 0.05, 0.0)
    assert table[1].mean_predicted == pytest.approx((0.15 + 0.12 + 0.1) / 3)
    assert table[1].observed_rate == pytest.approx(1 / 3)
    assert table[2] == CalibrationBin(0.2, 0.3, 0, None, None)
    assert table[9] == CalibrationBin(0.9, 1.0, 2, 0.975, 1.0)


def test_calibration_table_with_other_bins() -> None:
    table = calibration_table([0.2, 0.3, 0.74, 0.75], [True, False, False, True], bins=4)
    assert [(row.bin_low, row.bin_high, row.count) for row in table] == [
        (0.0, 0.25, 1), (0.25, 0.5, 1), (0.5, 0.75, 1), (0.75, 1.0, 1)]
    assert table[3].to_json() == {"bin_low": 0.75, "bin_high": 1.0, "count": 1,
                                  "mean_predicted": 0.75, "observed_rate": 1.0}


def test_calibration_table_of_nothing_has_empty_bins() -> None:
    assert [row.count for row in calibration_table([], [])] == [0] * 10


@pytest.mark.parametrize(
    ("p", "outcomes", "bins", "message"),
    [
        ([0.5], [True], 0, "bins 0 must be at least 1"),
        ([0.5], [], 10, "calibration_table needs sequences of equal length, got 1 and 0"),
        ([-0.1], [True], 10, r"Probability -0.1 at position 0"),
    ],
)
def test_calibration_table_rejects_bad_input(
    p: list[float], outcomes: list[bool], bins: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        calibration_table(p, outcomes, bins=bins)


@pytest.mark.parametrize(
    ("predicted", "actual", "error"),
    [
        ([1.0, 2.0, 3.0], [2.0, 2.0, 5.0], 1.0),
        ([24.5], [30.0], 5.5),
        ([10.0, 0.0], [0.0, 10.0], 10.0),
    ],
)
def test_mean_absolute_error(predicted: list[float], actual: list[float], error: float) -> None:
    assert mean_absolute_error(predicted, actual) == pytest.approx(error)


def test_mean_absolute_error_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="mean_absolute_error needs at least one value"):
        mean_absolute_error([], [])
    with pytest.raises(ValueError, match="mean_absolute_error needs sequences of equal length"):
        mean_absolute_error([1.0], [1.0, 2.0])


@pytest.mark.parametrize(
    ("profits", "expected"),
    [([100 / 110, -1.0, 0.0], (100 / 110 - 1.0) / 3), ([1.5], 1.5), ([-1.0, -1.0], -1.0)],
)
def test_roi_is_profit_over_stakes(profits: list[float], expected: float) -> None:
    assert roi(profits) == pytest.approx(expected)


def test_roi_needs_a_stake() -> None:
    with pytest.raises(ValueError, match="roi needs at least one stake"):
        roi([])
