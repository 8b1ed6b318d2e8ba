"""The prices picks were graded at, the break-even hit rate, and a system against the line."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nbaprops.grading import GameOutcome, GradedPrediction, PredictionToGrade, grade_prediction
from nbaprops.metrics import (
    MarketQuote,
    compare_with_line,
    picked_price,
    summarise_picks,
    summarise_prices,
)
from nbaprops.predictions import RecommendationKind
from nbaprops.predictions.odds import implied_probability

OVER, UNDER, PASS = RecommendationKind.OVER, RecommendationKind.UNDER, RecommendationKind.PASS
Row = tuple[GradedPrediction, MarketQuote]


def row(
    recommendation: RecommendationKind,
    actual: float | None,
    *,
    line: float = 2.5,
    predicted: float = 3.0,
    over: int | None = -110,
    under: int | None = -110,
    p_over: float | None = 0.6,
    p_fair: float | None = 0.5,
    book: str | None = "draftkings",
) -> Row:
    """One graded prediction (actual None: the player did not play) and the market's quote."""
    prediction = PredictionToGrade(
        prediction_id=f"{recommendation}-{actual}-{over}-{under}", game_date=date(2025, 1, 10),
        game_id="0022400500", player_lookup="stephencurry", market="threes", system_id="baseline",
        recommendation=recommendation, bookmaker=book,
        line_source="preferred" if book else "consensus", predicted_value=predicted,
        line_value=line, over_price=over, under_price=under, p_over=p_over, confidence=0.5,
    )
    outcome = None if actual is None else GameOutcome(minutes=30.0, actual_value=actual)
    graded = grade_prediction(prediction, outcome, graded_at=datetime(2025, 1, 11, 9, 0))
    return graded, MarketQuote(over, under, p_fair)


WIN, LOSS, PUSH = 4.0, 1.0, 2.5  # OVER 2.5: a win, a loss; and a line of 2.5 cannot push
P110 = implied_probability(-110)

PRICE_CASES = {
    # name: (rows, picks, unpriced, median, shortest, longest, share at -110, break-even, books)
    "all at -110": (
        [row(OVER, WIN), row(OVER, LOSS)], 2, 0, -110, -110, -110, 1.0, P110,
        {"draftkings": 2},
    ),
    "a spread of prices": (
        [row(OVER, WIN, over=-120), row(UNDER, WIN, under=130), row(OVER, 3.0, line=3.0)],
        3, 0, -110, -120, 130, 1 / 3, (implied_probability(-120) + implied_probability(130)) / 2,
        {"draftkings": 3},
    ),
    "an unpriced side is taken at -110": (
        [row(OVER, WIN, over=None, under=150, book=None)], 1, 1, -110, -110, -110, 1.0, P110,
        {"consensus": 1},
    ),
    "even count: an actual price, never between": (
        [row(OVER, WIN, over=-105), row(OVER, LOSS, over=105)], 2, 0, 105, -105, 105, 0.0,
        (implied_probability(-105) + implied_probability(105)) / 2, {"draftkings": 2},
    ),
    "no picks: passes and voids": (
        [row(PASS, WIN), row(OVER, None)], 0, 0, None, None, None, None, None, {},
    ),
}


@pytest.mark.parametrize(
    ("rows", "picks", "unpriced", "median", "shortest", "longest", "share", "break_even", "books"),
    PRICE_CASES.values(),
    ids=PRICE_CASES.keys(),
)
def test_summarise_prices(
    rows: list[Row], picks: int, unpriced: int, median: int | None, shortest: int | None,
    longest: int | None, share: float | None, break_even: float | None, books: dict[str, int],
) -> None:
    prices = summarise_prices(rows)
    assert (prices.picks, prices.unpriced, prices.median_price) == (picks, unpriced, median)
    assert (prices.shortest_price, prices.longest_price) == (shortest, longest)
    assert prices.share_at_standard == pytest.approx(share)
    assert prices.break_even_hit_rate == pytest.approx(break_even)
    assert prices.books == books
    assert prices.picks == summarise_picks([graded for graded, _ in rows]).picks


@pytest.mark.parametrize(("price", "wins", "losses"), [(100, 1, 1), (200, 1, 2), (-200, 2, 1)])
def test_at_the_break_even_hit_rate_the_roi_is_zero(price: int, wins: int, losses: int) -> None:
    rows = [row(OVER, WIN, over=price)] * wins + [row(OVER, LOSS, over=price)] * losses
    picks = summarise_picks([graded for graded, _ in rows])
    assert summarise_prices(rows).break_even_hit_rate == pytest.approx(picks.hit_rate)
    assert picks.roi == pytest.approx(0.0)


def test_a_long_shot_that_wins_as_priced_breaks_even_beside_favourites() -> None:
    """+300 wins 1 in 4, -300 wins 3 in 4: at those rates both return nothing, and the hit rate,
    (1 + 6) / 12, is the mean implied probability (1 / mean decimal odds would say 0.45)."""
    rows = [row(OVER, WIN, over=300)] + [row(OVER, LOSS, over=300)] * 3
    rows += [row(OVER, WIN, over=-300)] * 6 + [row(OVER, LOSS, over=-300)] * 2
    picks = summarise_picks([graded for graded, _ in rows])
    assert picks.roi == pytest.approx(0.0)
    assert summarise_prices(rows).break_even_hit_rate == pytest.approx(picks.hit_rate) == 7 / 12


@pytest.mark.parametrize(
    ("recommendation", "price"), [(OVER, -120), (UNDER, 140), (PASS, None)]
)
def test_picked_price(recommendation: RecommendationKind, price: int | None) -> None:
    assert picked_price(recommendation, MarketQuote(-120, 140, 0.45)) == price


LINE_CASES = {
    # name: (rows, rows compared, mae, line mae, brier rows, brier, market brier, beats mae, brier)
    "closer and sharper than the line": (
        [row(OVER, 4.0, predicted=3.5, p_over=0.8), row(UNDER, 1.0, predicted=1.5, p_over=0.3)],
        2, 0.5, 1.5, 2, (0.04 + 0.09) / 2, 0.25, True, True,
    ),
    "worse on both": (
        [row(OVER, 1.0, predicted=5.0, p_over=0.9)], 1, 4.0, 1.5, 1, 0.81, 0.25, False, False,
    ),
    "no fair probability: in the MAE, not the Brier": (
        [row(OVER, 4.0, predicted=4.0, p_over=0.9, p_fair=None),
         row(OVER, 1.0, predicted=2.0, p_over=0.2)],
        2, 0.5, 1.5, 1, 0.04, 0.25, True, True,
    ),
    "a push and a void are left out of the Brier; the void of everything": (
        [row(OVER, 3.0, line=3.0, predicted=3.0), row(OVER, None, predicted=9.0)],
        1, 0.0, 0.0, 0, None, None, False, False,
    ),
    "nothing to compare": ([], 0, None, None, 0, None, None, False, False),
}


@pytest.mark.parametrize(
    ("rows", "compared", "mae", "line_mae", "brier_rows", "brier", "market", "beats_mae",
     "beats_brier"),
    LINE_CASES.values(),
    ids=LINE_CASES.keys(),
)
def test_compare_with_line(
    rows: list[Row], compared: int, mae: float | None, line_mae: float | None, brier_rows: int,
    brier: float | None, market: float | None, beats_mae: bool, beats_brier: bool,
) -> None:
    versus = compare_with_line(rows)
    assert (versus.rows, versus.brier_rows) == (compared, brier_rows)
    assert (versus.mae, versus.line_mae) == (pytest.approx(mae), pytest.approx(line_mae))
    assert (versus.brier, versus.market_brier) == (pytest.approx(brier), pytest.approx(market))
    assert (versus.beats_line_mae, versus.beats_market_brier) == (beats_mae, beats_brier)
    assert versus.beats_line is (beats_mae and beats_brier)
    assert versus.to_json()["beats_line"] is versus.beats_line
