"""Fractional Kelly stakes: a table of known values and the bounds as properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.predictions.staking import expected_value, kelly_stake, limit_exposure

prices = st.one_of(st.integers(100, 2000), st.integers(-2000, -100))


@st.composite
def probabilities(draw: st.DrawFn) -> tuple[float, float]:
    p_win = draw(st.floats(0.0, 1.0))
    p_lose = draw(st.floats(0.0, 1.0 - p_win))
    return p_win, p_lose


@pytest.mark.parametrize(("p_win", "p_lose", "price", "fraction", "cap", "stake"), [
    (0.55, 0.45, 100, 1.0, 1.0, 0.10),            # even money: f = p - q
    (0.55, 0.45, 100, 0.25, 1.0, 0.025),          # a quarter of it
    (0.55, 0.45, 100, 0.25, 0.02, 0.02),          # capped
    (0.60, 0.40, -150, 1.0, 1.0, 0.0),            # fair price: no edge, no stake
    (0.50, 0.50, -110, 0.25, 0.05, 0.0),          # the vig alone: negative EV
    (0.50, 0.40, 100, 1.0, 1.0, 0.10 / 0.90),     # a push chance: (b p - q) / (b (p + q))
])
def test_kelly_stake_table(p_win: float, p_lose: float, price: int, fraction: float, cap: float,
                           stake: float) -> None:
    assert kelly_stake(p_win=p_win, p_lose=p_lose, price=price, fraction=fraction, cap=cap) == pytest.approx(stake)


@given(probabilities(), prices, st.floats(0.01, 1.0), st.floats(0.0, 1.0))
def test_stake_lies_in_zero_to_cap_and_is_zero_without_positive_ev(
    p: tuple[float, float], price: int, fraction: float, cap: float
) -> None:
    p_win, p_lose = p
    stake = kelly_stake(p_win=p_win, p_lose=p_lose, price=price, fraction=fraction, cap=cap)
    assert 0.0 <= stake <= cap
    if expected_value(p_win=p_win, p_lose=p_lose, price=price) <= 0.0:
        assert stake == 0.0


@given(probabilities(), prices, st.floats(0.01, 1.0))
def test_a_larger_fraction_never_stakes_less(p: tuple[float, float], price: int, fraction: float) -> None:
    p_win, p_lose = p
    small = kelly_stake(p_win=p_win, p_lose=p_lose, price=price, fraction=fraction / 2, cap=1.0)
    large = kelly_stake(p_win=p_win, p_lose=p_lose, price=price, fraction=fraction, cap=1.0)
    assert small <= large + 1e-12


def test_expected_value_counts_a_push_as_the_stake_back() -> None:
    assert expected_value(p_win=0.5, p_lose=0.3, price=100) == pytest.approx(0.2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"p_win": 1.2, "p_lose": 0.0, "price": 100, "fraction": 0.5, "cap": 0.1}, "p_win is 1.2"),
    ({"p_win": 0.7, "p_lose": 0.5, "price": 100, "fraction": 0.5, "cap": 0.1}, "add up to more than 1"),
    ({"p_win": 0.5, "p_lose": 0.5, "price": 100, "fraction": 0.0, "cap": 0.1}, "Kelly fraction 0.0"),
    ({"p_win": 0.5, "p_lose": 0.5, "price": 100, "fraction": 0.5, "cap": 1.5}, "Stake cap 1.5"),
    ({"p_win": 0.5, "p_lose": 0.5, "price": 50, "fraction": 0.5, "cap": 0.1}, "American price 50"),
])
def test_bad_arguments_are_refused_by_name(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        kelly_stake(**kwargs)  # type: ignore[arg-type]


@given(st.lists(st.floats(0.0, 0.05), max_size=200), st.floats(0.0, 1.0))
def test_limited_stakes_add_up_to_at_most_the_cap_and_keep_their_proportions(stakes: list[float], cap: float) -> None:
    limited = limit_exposure(stakes, cap=cap)
    if sum(stakes) <= cap:
        assert limited == stakes
    else:
        assert sum(limited) == pytest.approx(cap)
        assert limited == pytest.approx([stake * cap / sum(stakes) for stake in stakes])
    assert all(0.0 <= new <= old + 1e-15 for new, old in zip(limited, stakes, strict=True))


def test_a_day_of_many_capped_picks_is_scaled_to_the_day_cap() -> None:
    assert limit_exposure([0.02] * 10, cap=0.10) == pytest.approx([0.01] * 10)
    with pytest.raises(ValueError, match="Exposure cap -0.1 must be zero or positive"):
        limit_exposure([0.02], cap=-0.1)
