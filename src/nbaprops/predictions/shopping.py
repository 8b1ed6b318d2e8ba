"""Line shopping: every priced side of every book's latest line, valued with the system's
probabilities at that line, and the best one.

Books quoting the same line compete on price alone (the system's probability is the same there).
A different line is weighed through the system's predictive distribution at that line, so an over
at 2.5 for -150 and an over at 3.5 for +140 are compared by their expected value.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from nbaprops.predictions.odds import remove_vig
from nbaprops.predictions.recommendation import OfferedLine, RecommendationKind, latest_per_book
from nbaprops.predictions.staking import expected_value


@dataclass(frozen=True)
class SideOffer:
    """One side of one book's line, with the system's probabilities of it winning and losing there.

    `fair_p` is the market's vig-free probability of the side at that line: the median over the
    books quoting both prices of that line (None when none does).
    """

    side: RecommendationKind
    bookmaker: str
    line: float
    price: int
    p_win: float
    p_lose: float
    fair_p: float | None

    @cached_property
    def expected_value(self) -> float:
        """Expected profit of 1 unit staked at this price; a push returns the stake."""
        return expected_value(p_win=self.p_win, p_lose=self.p_lose, price=self.price)

    @property
    def edge(self) -> float | None:
        """The system's probability of the side minus the market's vig-free one."""
        return None if self.fair_p is None else self.p_win - self.fair_p


@dataclass(frozen=True)
class Board:
    """What the books offer one player in one market: each book's latest line, and per line the
    median vig-free over probability of the books quoting both prices of it."""

    offers: tuple[OfferedLine, ...]
    fair_over: Mapping[float, float]

    @classmethod
    def of(cls, lines: Sequence[OfferedLine]) -> Board:
        latest = tuple(latest_per_book(lines))
        by_line: dict[float, list[float]] = {}
        for offer in latest:
            if offer.over_price is not None and offer.under_price is not None:
                by_line.setdefault(offer.line, []).append(remove_vig(offer.over_price, offer.under_price)[0])
        return cls(latest, {line: statistics.median(values) for line, values in by_line.items()})


def fair_over_by_line(offers: Sequence[OfferedLine]) -> dict[float, float]:
    """Per line: the median vig-free over probability of the books quoting both prices of it."""
    return dict(Board.of(offers).fair_over)


def lines_to_value(board: Board, *, reference_line: float, shop_other_lines: bool) -> list[float]:
    """The lines worth valuing: the reference line, and when shopping other lines every line a
    book quotes both prices of (a one-sided line has no market probability to calibrate against)."""
    lines = {reference_line}
    if shop_other_lines:
        lines |= set(board.fair_over)
    return sorted(lines)


def side_offers(board: Board, probabilities: Mapping[float, tuple[float, float]]) -> list[SideOffer]:
    """Every priced side of each book's latest line whose line has probabilities.

    `probabilities` maps a line to the system's (p_over, p_under) there; they may add up to less
    than 1 when a push is possible.
    """
    fair = board.fair_over
    result: list[SideOffer] = []
    for offer in board.offers:
        if offer.line not in probabilities:
            continue
        p_over, p_under = probabilities[offer.line]
        fair_over = fair.get(offer.line)
        for side, price, p_win, p_lose, fair_p in (
            (RecommendationKind.OVER, offer.over_price, p_over, p_under, fair_over),
            (RecommendationKind.UNDER, offer.under_price, p_under, p_over,
             None if fair_over is None else 1.0 - fair_over),
        ):
            if price is not None:
                result.append(SideOffer(side, offer.bookmaker, offer.line, price, p_win, p_lose, fair_p))
    return result


def best_offer(offers: Sequence[SideOffer], *, preferred: Sequence[str] = ()) -> SideOffer | None:
    """The side with the highest expected value; ties go to the longer price, then to the book
    earliest in `preferred`, then to the book's name."""
    if not offers:
        return None
    rank = {book.casefold(): position for position, book in enumerate(preferred)}

    def key(offer: SideOffer) -> tuple[float, int, int, str]:
        # American prices order as their payouts do: -110 < -105 < +105 < +110.
        return (-round(offer.expected_value, 12), -offer.price,
                rank.get(offer.bookmaker.casefold(), len(rank)), offer.bookmaker)

    return min(offers, key=key)
