import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.predictions.odds import (
    STANDARD_VIG,
    american_to_decimal,
    implied_probability,
    price_with_vig,
    probability_to_american,
    profit_units,
    remove_vig,
    vig,
)

prices = st.one_of(st.integers(min_value=100, max_value=20_000), st.integers(-20_000, -100))


@pytest.mark.parametrize(
    ("price", "decimal_odds"),
    [
        (100, 2.0),
        (-100, 2.0),
        (150, 2.5),
        (-150, 1 + 100 / 150),
        (-110, 1 + 100 / 110),
        (250, 3.5),
        (-400, 1.25),
    ],
)
def test_american_to_decimal(price: int, decimal_odds: float) -> None:
    assert american_to_decimal(price) == pytest.approx(decimal_odds)


@pytest.mark.parametrize(
    ("price", "probability"),
    [(-110, 110 / 210), (100, 0.5), (-100, 0.5), (300, 0.25), (-300, 0.75)],
)
def test_implied_probability(price: int, probability: float) -> None:
    assert implied_probability(price) == pytest.approx(probability)


@pytest.mark.parametrize("price", [99, -99, 0, 50, -1, True])
def test_a_price_below_100_in_magnitude_is_rejected(price: int) -> None:
    with pytest.raises(ValueError, match=rf"American price {price!r} is invalid"):
        american_to_decimal(price)


def test_a_fractional_price_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"American price -110\.5 is invalid"):
        implied_probability(-110.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("over_price", "under_price", "p_fair_over"),
    [
        (-110, -110, 0.5),
        (100, 100, 0.5),
        (-130, 100, (130 / 230) / (130 / 230 + 0.5)),
        (-200, 170, (2 / 3) / (2 / 3 + 100 / 270)),
        (120, -150, (100 / 220) / (100 / 220 + 0.6)),
    ],
)
def test_remove_vig_normalises_multiplicatively(
    over_price: int, under_price: int, p_fair_over: float
) -> None:
    over, under = remove_vig(over_price, under_price)
    assert over == pytest.approx(p_fair_over)
    assert under == pytest.approx(1 - p_fair_over)


@pytest.mark.parametrize(
    ("over_price", "under_price", "overround"),
    [
        (-110, -110, 20 / 420),
        (100, 100, 0.0),
        (-120, 100, 120 / 220 + 0.5 - 1),
        (-105, -115, 105 / 205 + 115 / 215 - 1),
    ],
)
def test_vig(over_price: int, under_price: int, overround: float) -> None:
    assert vig(over_price, under_price) == pytest.approx(overround)


def test_vig_rejects_a_bad_price_by_name() -> None:
    with pytest.raises(ValueError, match="American price 90 is invalid"):
        vig(-110, 90)


@pytest.mark.parametrize(
    ("probability", "price"),
    [(0.5, -100), (0.6, -150), (0.4, 150), (0.25, 300), (0.75, -300), (110 / 210, -110)],
)
def test_probability_to_american(probability: float, price: int) -> None:
    assert probability_to_american(probability) == price


@pytest.mark.parametrize("probability", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_probability_to_american_rejects_impossible_probabilities(probability: float) -> None:
    with pytest.raises(ValueError, match="has no American price"):
        probability_to_american(probability)


@pytest.mark.parametrize(
    ("p_fair_over", "prices"),
    [(0.5, (-110, -110)), (0.6, (-169, 139)), (0.4, (139, -169)), (0.999, (-9900, 95355))],
)
def test_price_with_standard_vig(p_fair_over: float, prices: tuple[int, int]) -> None:
    assert price_with_vig(p_fair_over) == prices


def test_price_with_no_vig_is_fair() -> None:
    assert price_with_vig(0.5, overround=0.0) == (-100, -100)


@pytest.mark.parametrize(
    ("p_fair_over", "overround", "message"),
    [
        (0.0, STANDARD_VIG, "Fair over probability 0.0 must lie strictly between 0 and 1"),
        (1.0, STANDARD_VIG, "Fair over probability 1.0 must lie strictly between 0 and 1"),
        (0.5, -0.01, "Overround -0.01 must be zero or positive"),
        (0.5, math.nan, "Overround nan must be zero or positive"),
    ],
)
def test_price_with_vig_rejects_bad_arguments(
    p_fair_over: float, overround: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        price_with_vig(p_fair_over, overround=overround)


@pytest.mark.parametrize(
    ("price", "won", "profit"),
    [
        (-110, True, 100 / 110),
        (-110, False, -1.0),
        (150, True, 1.5),
        (150, False, -1.0),
        (100, True, 1.0),
        (-200, True, 0.5),
    ],
)
def test_profit_units_of_one_unit_stake(price: int, won: bool, profit: float) -> None:
    assert profit_units(price, won=won) == pytest.approx(profit)


def test_profit_units_rejects_a_bad_price() -> None:
    with pytest.raises(ValueError, match="American price -50 is invalid"):
        profit_units(-50, won=True)


@given(price=prices)
def test_every_valid_price_has_a_probability_strictly_inside_0_1(price: int) -> None:
    assert 0.0 < implied_probability(price) < 1.0
    assert profit_units(price, won=True) > 0.0


@given(over_price=prices, under_price=prices)
def test_fair_probabilities_add_to_one(over_price: int, under_price: int) -> None:
    over, under = remove_vig(over_price, under_price)
    assert over + under == pytest.approx(1.0)
    assert (over >= under) == (implied_probability(over_price) >= implied_probability(under_price))


@given(p_fair_over=st.floats(min_value=0.05, max_value=0.9))
def test_price_with_vig_round_trips_through_remove_vig(p_fair_over: float) -> None:
    over_price, under_price = price_with_vig(p_fair_over)
    assert remove_vig(over_price, under_price)[0] == pytest.approx(p_fair_over, abs=0.005)
    assert vig(over_price, under_price) == pytest.approx(STANDARD_VIG, abs=0.01)
