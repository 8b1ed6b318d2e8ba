"""The bankroll curve of staked picks and its maximum drawdown."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.metrics.bankroll import DayStakes, bankroll_curve, max_drawdown

D1, D2, D3 = date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)


def test_each_day_grows_the_bankroll_by_its_staked_profits_in_date_order() -> None:
    bankroll = bankroll_curve([
        DayStakes(D2, [(0.1, -1.0)]),                   # 1.1 -> 0.99
        DayStakes(D1, [(0.1, 1.0), (0.05, 0.0)]),       # 1.0 -> 1.1 (a push changes nothing)
        DayStakes(D3, [(0.02, 0.9091), (0.02, -1.0)]),
    ])
    assert [day for day, _ in bankroll.curve] == [D1, D2, D3]
    assert bankroll.curve[0][1] == pytest.approx(1.1)
    assert bankroll.curve[1][1] == pytest.approx(0.99)
    assert bankroll.final == pytest.approx(0.99 * (1 + 0.02 * 0.9091 - 0.02))
    assert bankroll.max_drawdown == pytest.approx(1 - bankroll.final / 1.1)


@pytest.mark.parametrize(("values", "drawdown"), [
    ([], 0.0), ([1.0], 0.0), ([1.0, 2.0, 3.0], 0.0), ([1.0, 0.5, 2.0, 1.0], 0.5), ([2.0, 1.5, 1.0, 3.0], 0.5),
])
def test_max_drawdown_table(values: list[float], drawdown: float) -> None:
    assert max_drawdown(values) == pytest.approx(drawdown)


@given(st.lists(st.floats(0.01, 100.0), max_size=40))
def test_max_drawdown_is_a_share_between_0_and_1(values: list[float]) -> None:
    assert 0.0 <= max_drawdown(values) < 1.0


def test_no_picks_leave_the_bankroll_where_it_started() -> None:
    bankroll = bankroll_curve([])
    assert bankroll.final == 1.0 and bankroll.max_drawdown == 0.0 and bankroll.to_json()["curve"] == []
