"""Line shopping: books on one line compete on price; other lines through the distribution."""

from datetime import UTC, datetime

import pytest

from nbaprops.predictions import OfferedLine, RecommendationKind
from nbaprops.predictions.distributions import Distribution
from nbaprops.predictions.shopping import Board, best_offer, fair_over_by_line, lines_to_value, side_offers

OVER, UNDER = RecommendationKind.OVER, RecommendationKind.UNDER
AT = datetime(2025, 1, 10, 18, tzinfo=UTC)


def offer(book: str, line: float, over: int | None, under: int | None, at: datetime = AT) -> OfferedLine:
    return OfferedLine(book, line, over, under, at)


def test_books_on_the_same_line_compete_on_price() -> None:
    offers = [offer("draftkings", 2.5, -120, 100), offer("fanduel", 2.5, 105, -125), offer("betmgm", 2.5, -110, -110)]
    best = best_offer(side_offers(Board.of(offers), {2.5: (0.55, 0.45)}))
    assert best is not None
    assert (best.side, best.bookmaker, best.price) == (OVER, "fanduel", 105)
    assert best.expected_value == pytest.approx(0.55 * 2.05 - 1.0)


def test_the_best_under_is_found_at_its_own_book() -> None:
    offers = [offer("draftkings", 2.5, -120, 100), offer("fanduel", 2.5, 105, -125)]
    best = best_offer(side_offers(Board.of(offers), {2.5: (0.40, 0.60)}))
    assert best is not None and (best.side, best.bookmaker, best.price) == (UNDER, "draftkings", 100)


def test_another_line_is_weighed_through_the_predictive_distribution() -> None:
    distribution = Distribution.from_moments(3.0, 2.0)
    offers = [offer("draftkings", 2.5, -150, 120), offer("fanduel", 3.5, 150, -190)]
    lines = lines_to_value(Board.of(offers), reference_line=2.5, shop_other_lines=True)
    assert lines == [2.5, 3.5]
    probabilities = {line: (float(distribution.p_over(line)), float(distribution.p_under(line))) for line in lines}
    candidates = side_offers(Board.of(offers), probabilities)
    best = best_offer(candidates)
    assert best is not None
    assert best.expected_value == max(c.expected_value for c in candidates)
    over_35 = next(c for c in candidates if c.line == 3.5 and c.side is OVER)
    assert over_35.p_win == pytest.approx(float(distribution.p_over(3.5)))


def test_without_shopping_other_lines_only_the_reference_line_is_valued() -> None:
    offers = [offer("draftkings", 2.5, -150, 120), offer("fanduel", 3.5, 150, -190)]
    assert lines_to_value(Board.of(offers), reference_line=2.5, shop_other_lines=False) == [2.5]
    candidates = side_offers(Board.of(offers), {2.5: (0.6, 0.4)})
    assert {c.bookmaker for c in candidates} == {"draftkings"}


def test_a_one_sided_line_has_no_market_probability_and_an_unpriced_side_no_offer() -> None:
    offers = [offer("draftkings", 2.5, -110, -110), offer("fanduel", 3.5, 200, None)]
    assert fair_over_by_line(offers) == {2.5: pytest.approx(0.5)}
    assert lines_to_value(Board.of(offers), reference_line=2.5, shop_other_lines=True) == [2.5]
    candidates = side_offers(Board.of(offers), {2.5: (0.5, 0.5), 3.5: (0.3, 0.7)})
    assert [(c.bookmaker, c.side) for c in candidates if c.line == 3.5] == [("fanduel", OVER)]
    assert next(c for c in candidates if c.line == 3.5).fair_p is None


def test_each_books_latest_snapshot_is_the_one_shopped() -> None:
    early = datetime(2025, 1, 10, 15, tzinfo=UTC)
    offers = [offer("fanduel", 2.5, 150, -190, early), offer("fanduel", 2.5, -130, 105)]
    candidates = side_offers(Board.of(offers), {2.5: (0.5, 0.5)})
    assert sorted(c.price for c in candidates) == [-130, 105]


def test_edge_is_the_probability_over_the_market_consensus_at_that_line() -> None:
    offers = [offer("draftkings", 2.5, -110, -110), offer("fanduel", 2.5, 100, -120)]
    best = best_offer(side_offers(Board.of(offers), {2.5: (0.6, 0.4)}))
    assert best is not None and best.fair_p is not None and best.edge is not None
    assert best.edge == pytest.approx(0.6 - best.fair_p)
    assert 0.45 < best.fair_p < 0.5


def test_ties_go_to_the_preferred_book() -> None:
    offers = [offer("fanduel", 2.5, -110, -110), offer("draftkings", 2.5, -110, -110)]
    best = best_offer(side_offers(Board.of(offers), {2.5: (0.6, 0.4)}), preferred=("draftkings",))
    assert best is not None and best.bookmaker == "draftkings"
    assert best_offer([]) is None
