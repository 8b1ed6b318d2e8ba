"""The line a prediction is judged against, and the verdict: OVER, UNDER, PASS or NO_LINE."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from nbaprops.predictions.odds import (
    STANDARD_PRICE,
    american_to_decimal,
    price_with_vig,
    remove_vig,
)

EDGE_TOLERANCE = 1e-12
"""An edge this close below the threshold still counts, so 0.60 - 0.55 meets a 0.05 threshold."""


class RecommendationKind(StrEnum):
    """What a prediction recommends; the value is stored in the `recommendation` column."""

    OVER = "OVER"
    UNDER = "UNDER"
    PASS = "PASS"
    NO_LINE = "NO_LINE"


class LineSource(StrEnum):
    """Where the line came from; the value is stored in the `line_source` column."""

    PREFERRED = "preferred"
    CONSENSUS = "consensus"
    NONE = "none"


@dataclass(frozen=True)
class OfferedLine:
    """One bookmaker's latest line for one player and market (`nba_raw.player_prop_lines`)."""

    bookmaker: str
    line: float
    over_price: int | None
    under_price: int | None
    snapshot_utc: datetime | None

    def __post_init__(self) -> None:
        if math.isnan(self.line):
            raise ValueError(f"Bookmaker {self.bookmaker} offers a line that is not a number.")
        for side, price in (("over", self.over_price), ("under", self.under_price)):
            if price is None:
                continue
            try:
                american_to_decimal(price)
            except ValueError as e:
                raise ValueError(
                    f"Bookmaker {self.bookmaker} line {self.line} {side} price: {e}"
                ) from e

    @property
    def is_two_sided(self) -> bool:
        return self.over_price is not None and self.under_price is not None


@dataclass(frozen=True)
class ChosenLine:
    """The line a prediction is judged against.

    `bookmaker` is None when the prices were synthesised from several books. `books` counts the
    bookmakers quoting any line for this player and market; it is informational and not stored.
    """

    line_value: float
    bookmaker: str | None
    over_price: int | None
    under_price: int | None
    line_source: LineSource
    books: int

    def as_row(self) -> dict[str, Any]:
        """The `nba_predictions.player_prop_predictions` columns this line fills."""
        return {
            "line_value": self.line_value,
            "bookmaker": self.bookmaker,
            "over_price": self.over_price,
            "under_price": self.under_price,
            "line_source": self.line_source.value,
        }


def latest_per_book(lines: Sequence[OfferedLine]) -> list[OfferedLine]:
    """Each book's latest line (by snapshot; no snapshot counts as oldest), in first-seen order."""
    latest: dict[str, OfferedLine] = {}
    for offer in lines:
        key = offer.bookmaker.casefold()
        kept = latest.get(key)
        if kept is None or _snapshot_key(offer) > _snapshot_key(kept):
            latest[key] = offer
    return list(latest.values())


def _snapshot_key(offer: OfferedLine) -> tuple[bool, datetime | None]:
    return (offer.snapshot_utc is not None, offer.snapshot_utc)


def choose_line(
    lines: Sequence[OfferedLine], *, bookmaker_preference: Sequence[str]
) -> ChosenLine | None:
    """Pick the line for one (player, market) from the latest line of each book.

    The rule, in order:

    1. No lines: None.
    2. Preferred: the first book of `bookmaker_preference` (matched case-insensitively) whose
       line has both prices; its line and prices, line_source "preferred".
    3. Consensus (line_source "consensus") over the pool of books quoting both prices (or, when
       no book does, over every book):
       - the target line is the median of the pool's lines when a book offers exactly it;
         otherwise the pool's line closest to that median, ties going to the lower line (books
         at 2.5 and 3.5 have median 3.0 and give 2.5);
       - one book at the target line: its own prices and name;
       - several books: bookmaker None, and the prices are the median of their fair
         (vig-removed) over probabilities, re-priced with the vig of a -110/-110 market.

    If a book appears more than once, its latest snapshot wins (no snapshot counts as oldest).
    """
    latest = latest_per_book(lines)
    if not latest:
        return None
    books = len(latest)
    two_sided = [offer for offer in latest if offer.is_two_sided]
    by_book = {offer.bookmaker.casefold(): offer for offer in two_sided}
    for book in bookmaker_preference:
        preferred = by_book.get(book.casefold())
        if preferred is not None:
            return _from_offer(preferred, LineSource.PREFERRED, books=books)

    pool = two_sided or latest
    median_line = statistics.median(offer.line for offer in pool)
    target = min({offer.line for offer in pool}, key=lambda line: (abs(line - median_line), line))
    at_target = [offer for offer in pool if offer.line == target]
    if len(at_target) == 1:
        return _from_offer(at_target[0], LineSource.CONSENSUS, books=books)
    if not two_sided:
        return ChosenLine(target, None, None, None, LineSource.CONSENSUS, books)
    p_fair_over = statistics.median(_fair_over(offer) for offer in at_target)
    over_price, under_price = price_with_vig(p_fair_over)
    return ChosenLine(target, None, over_price, under_price, LineSource.CONSENSUS, books)


def _fair_over(offer: OfferedLine) -> float:
    assert offer.over_price is not None and offer.under_price is not None  # two-sided pool only
    return remove_vig(offer.over_price, offer.under_price)[0]


def _from_offer(offer: OfferedLine, source: LineSource, *, books: int) -> ChosenLine:
    return ChosenLine(
        offer.line, offer.bookmaker, offer.over_price, offer.under_price, source, books
    )


@dataclass(frozen=True)
class Recommendation:
    """The verdict on a prediction; for PASS, `edge` and `expected_value` are the better side's."""

    recommendation: RecommendationKind
    edge: float | None
    expected_value: float | None
    p_fair_over: float | None

    def as_row(self) -> dict[str, Any]:
        """The `nba_predictions.player_prop_predictions` columns this verdict fills."""
        return {
            "recommendation": self.recommendation.value,
            "edge": self.edge,
            "expected_value": self.expected_value,
            "p_fair_over": self.p_fair_over,
        }


def _check_probabilities(p_over: float, p_under: float) -> None:
    for name, value in (("p_over", p_over), ("p_under", p_under)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} is {value!r}; a probability must lie between 0 and 1.")
    if p_over + p_under > 1.0 + 1e-9:
        raise ValueError(
            f"p_over {p_over!r} and p_under {p_under!r} add up to more than 1; "
            "they must come from one predictive distribution."
        )


def recommend(
    *, p_over: float, p_under: float, chosen: ChosenLine | None, edge_threshold: float
) -> Recommendation:
    """Compare the system's probabilities with the market's fair ones and pick a side.

    `p_over` and `p_under` come from the system's predictive distribution for the chosen line; they
    may add up to less than 1 when a push is possible. The fair over probability is the vig-removed
    over price; a missing price is taken as -110. The side with the larger edge (ties: OVER) is
    recommended when its edge reaches `edge_threshold`, else PASS. `expected_value` is the expected
    profit of a 1-unit stake on that side at its offered price (a push returns the stake).
    """
    _check_probabilities(p_over, p_under)
    if chosen is None:
        return Recommendation(RecommendationKind.NO_LINE, None, None, None)
    over_price = STANDARD_PRICE if chosen.over_price is None else chosen.over_price
    under_price = STANDARD_PRICE if chosen.under_price is None else chosen.under_price
    p_fair_over, p_fair_under = remove_vig(over_price, under_price)
    edge_over = p_over - p_fair_over
    edge_under = p_under - p_fair_under
    if edge_over >= edge_under:
        side = RecommendationKind.OVER
        edge = edge_over
        expected_value = p_over * (american_to_decimal(over_price) - 1.0) - p_under
    else:
        side = RecommendationKind.UNDER
        edge = edge_under
        expected_value = p_under * (american_to_decimal(under_price) - 1.0) - p_over
    if edge < edge_threshold - EDGE_TOLERANCE:
        side = RecommendationKind.PASS
    return Recommendation(side, edge, expected_value, p_fair_over)


@dataclass(frozen=True)
class PropPrediction:
    """One row of `nba_predictions.player_prop_predictions`, field for column."""

    prediction_id: str
    game_date: date
    game_id: str
    player_lookup: str
    market: str
    system_id: str
    predicted_value: float
    predicted_std: float | None
    distribution: str | None
    line_value: float | None
    bookmaker: str | None
    over_price: int | None
    under_price: int | None
    line_source: LineSource
    p_over: float | None
    p_fair_over: float | None
    edge: float | None
    expected_value: float | None
    confidence: float | None
    recommendation: RecommendationKind
    is_active: bool
    run_id: str | None
    created_at: datetime
    p_over_model: float | None

    @classmethod
    def assemble(
        cls,
        *,
        prediction_id: str,
        game_date: date,
        game_id: str,
        player_lookup: str,
        market: str,
        system_id: str,
        predicted_value: float,
        predicted_std: float | None,
        distribution: str | None,
        p_over: float | None,
        confidence: float | None,
        chosen: ChosenLine | None,
        p_over_model: float | None = None,
        verdict: Recommendation,
        run_id: str | None,
        created_at: datetime,
    ) -> PropPrediction:
        """A new, active prediction from a system's output, its chosen line and the verdict."""
        return cls(
            prediction_id=prediction_id,
            game_date=game_date,
            game_id=game_id,
            player_lookup=player_lookup,
            market=market,
            system_id=system_id,
            predicted_value=predicted_value,
            predicted_std=predicted_std,
            distribution=distribution,
            line_value=None if chosen is None else chosen.line_value,
            bookmaker=None if chosen is None else chosen.bookmaker,
            over_price=None if chosen is None else chosen.over_price,
            under_price=None if chosen is None else chosen.under_price,
            line_source=LineSource.NONE if chosen is None else chosen.line_source,
            p_over=p_over,
            p_over_model=p_over if p_over_model is None else p_over_model,
            p_fair_over=verdict.p_fair_over,
            edge=verdict.edge,
            expected_value=verdict.expected_value,
            confidence=confidence,
            recommendation=verdict.recommendation,
            is_active=True,
            run_id=run_id,
            created_at=created_at,
        )

    def as_row(self) -> dict[str, Any]:
        """The row, keyed by the table's column names, enums as their stored strings."""
        row = {field.name: getattr(self, field.name) for field in fields(self)}
        row["line_source"] = self.line_source.value
        row["recommendation"] = self.recommendation.value
        return row
