"""Closing-line value in probability terms: the closing fair probability minus the price's implied one."""

from datetime import UTC, datetime

import pytest

from nbaprops.metrics.clv import closing_fair_probability, closing_line_value, summarise_clv
from nbaprops.predictions import OfferedLine, RecommendationKind
from nbaprops.predictions.odds import implied_probability, remove_vig

OVER, UNDER = RecommendationKind.OVER, RecommendationKind.UNDER
OPEN, CLOSE = datetime(2025, 1, 10, 15, tzinfo=UTC), datetime(2025, 1, 10, 23, tzinfo=UTC)


def test_the_close_is_each_books_last_snapshot_and_their_median_fair_probability() -> None:
    lines = [
        OfferedLine("draftkings", 20.5, -110, -110, OPEN),
        OfferedLine("draftkings", 20.5, -130, 110, CLOSE),   # moved toward the over
        OfferedLine("fanduel", 20.5, -125, 105, CLOSE),
        OfferedLine("betmgm", 21.5, -110, -110, CLOSE),      # another line: not this pick's close
    ]
    close = closing_fair_probability(OVER, 20.5, lines)
    assert close == pytest.approx((remove_vig(-130, 110)[0] + remove_vig(-125, 105)[0]) / 2)
    clv = closing_line_value(OVER, 20.5, -110, lines)
    assert clv == pytest.approx(close - implied_probability(-110))
    assert clv is not None and clv > 0
    under = closing_line_value(UNDER, 20.5, -110, lines)
    assert under is not None and under < 0


def test_no_two_sided_close_at_the_line_gives_no_clv() -> None:
    assert closing_line_value(OVER, 20.5, -110, [OfferedLine("fanduel", 20.5, -110, None, CLOSE)]) is None
    assert closing_line_value(OVER, 20.5, -110, []) is None


def test_summary_counts_picks_with_a_close() -> None:
    summary = summarise_clv([0.02, None, -0.01, 0.03])
    assert (summary.picks, summary.with_close) == (4, 3)
    assert summary.mean_clv == pytest.approx(0.04 / 3)
    assert summary.positive_share == pytest.approx(2 / 3)
    assert summarise_clv([]).to_json() == {"picks": 0, "with_close": 0, "mean_clv": None, "positive_share": None,
                                           "units": "probability"}
