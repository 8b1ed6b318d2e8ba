"""Pick returns at the best price and at the preferred book, on the same picks."""

from datetime import date

import pytest

from nbaprops.metrics.pick_returns import PlacedPick, settle, summarise_pick_returns
from nbaprops.predictions import RecommendationKind

OVER, UNDER = RecommendationKind.OVER, RecommendationKind.UNDER
DAY = date(2025, 1, 10)


@pytest.mark.parametrize(("side", "line", "price", "actual", "won", "profit"), [
    (OVER, 2.5, 120, 3.0, True, 1.2),
    (OVER, 2.5, -150, 2.0, False, -1.0),
    (UNDER, 3.0, -110, 3.0, None, 0.0),
    (UNDER, 3.5, -110, 2.0, True, 100 / 110),
])
def test_settle_table(side: RecommendationKind, line: float, price: int, actual: float, won: bool | None,
                      profit: float) -> None:
    assert settle(side, line, price, actual) == (won, pytest.approx(profit))


def test_settling_a_pass_is_refused() -> None:
    with pytest.raises(ValueError, match="Only an OVER or UNDER pick is settled, not PASS"):
        settle(RecommendationKind.PASS, 2.5, -110, 3.0)


def test_the_same_picks_are_settled_at_the_best_price_and_at_the_preferred_book() -> None:
    picks = [
        PlacedPick(DAY, OVER, 0.02, 2.5, 120, "fanduel", 2.5, -105, 3.0),    # won: +1.20 vs +0.952
        PlacedPick(DAY, UNDER, 0.02, 3.5, -110, "betmgm", 2.5, -120, 3.0),   # won at 3.5, lost at 2.5
        PlacedPick(DAY, OVER, 0.02, 2.5, 100, "fanduel", 2.5, None, 1.0),    # lost; preferred unpriced (-110)
        PlacedPick(DAY, OVER, 0.02, 2.5, 100, "fanduel", 2.5, -110, None),   # void
    ]
    returns = summarise_pick_returns(picks)
    assert (returns.picks, returns.voids, returns.wins, returns.losses, returns.pushes) == (3, 1, 2, 1, 0)
    assert returns.units_best_price == pytest.approx(1.2 + 100 / 110 - 1.0)
    assert returns.units_preferred_book == pytest.approx(100 / 105 - 1.0 - 1.0)
    assert returns.roi_best_price == pytest.approx(returns.units_best_price / 3)
    assert returns.hit_rate == pytest.approx(2 / 3)
    assert returns.shopped_elsewhere == 3
    assert summarise_pick_returns([]).roi_best_price is None
