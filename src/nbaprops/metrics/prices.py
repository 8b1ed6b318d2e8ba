"""The prices a system's picks were graded at, and the hit rate those prices need to break even."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import median_low
from typing import Any

from nbaprops.grading.rules import GradedPrediction
from nbaprops.predictions.odds import STANDARD_PRICE, implied_probability
from nbaprops.predictions.recommendation import LineSource, RecommendationKind


@dataclass(frozen=True)
class MarketQuote:
    """What the market offered on a prediction's line: both prices and the vig-free over
    probability (the `player_prop_predictions` columns grading does not keep)."""

    over_price: int | None
    under_price: int | None
    p_fair_over: float | None


@dataclass(frozen=True)
class PriceSummary:
    """The prices of a set of picks (non-void OVER/UNDER), as grading took them.

    picks               priced picks; a pick without an offered price is graded at -110
    unpriced            picks without an offered price (in the figures at -110)
    median_price        the median price, by implied probability (an actual price, never between)
    shortest, longest   the price of the most and of the least likely side picked
    share_at_standard   share of picks graded at exactly -110
    break_even_hit_rate the hit rate at which these prices return nothing: the mean implied
                        probability (vig included) of the decided picks (wins and losses; a push
                        returns its stake). Each pick winning as often as its price implies
                        breaks even, so a long shot asks for fewer wins than a favourite.
    books               picks per bookmaker, most first (a consensus line as `consensus`)
    """

    picks: int
    unpriced: int
    median_price: int | None
    shortest_price: int | None
    longest_price: int | None
    share_at_standard: float | None
    break_even_hit_rate: float | None
    books: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "standard_price": STANDARD_PRICE}


def picked_price(recommendation: RecommendationKind, quote: MarketQuote) -> int | None:
    """The offered price of the side recommended; None for PASS, NO_LINE or an unpriced side."""
    match recommendation:
        case RecommendationKind.OVER:
            return quote.over_price
        case RecommendationKind.UNDER:
            return quote.under_price
        case _:
            return None


def summarise_prices(rows: Sequence[tuple[GradedPrediction, MarketQuote]]) -> PriceSummary:
    """The prices of the picks among `rows` and the break-even hit rate they imply."""
    picks = [
        (row, picked_price(row.recommendation, quote))
        for row, quote in rows
        if row.recommendation in (RecommendationKind.OVER, RecommendationKind.UNDER)
        and not row.is_void
    ]
    graded_at = [STANDARD_PRICE if price is None else price for _row, price in picks]
    decided = [
        implied_probability(price)
        for (row, _offered), price in zip(picks, graded_at, strict=True)
        if row.prediction_correct is not None
    ]
    by_likelihood = sorted(graded_at, key=implied_probability)
    books = Counter(
        row.bookmaker or (row.line_source or LineSource.NONE.value) for row, _price in picks
    )
    return PriceSummary(
        picks=len(picks),
        unpriced=sum(price is None for _row, price in picks),
        median_price=_median_price(by_likelihood),
        shortest_price=by_likelihood[-1] if by_likelihood else None,
        longest_price=by_likelihood[0] if by_likelihood else None,
        share_at_standard=(
            sum(price == STANDARD_PRICE for price in graded_at) / len(graded_at)
            if graded_at
            else None
        ),
        break_even_hit_rate=math.fsum(decided) / len(decided) if decided else None,
        books=dict(books.most_common()),
    )


def _median_price(by_likelihood: list[int]) -> int | None:
    """The lower median by implied probability: -105 and +105 have no price between them."""
    if not by_likelihood:
        return None
    probabilities = [implied_probability(price) for price in by_likelihood]
    return by_likelihood[probabilities.index(median_low(probabilities))]
