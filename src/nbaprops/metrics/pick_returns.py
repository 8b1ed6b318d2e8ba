"""What the gated picks returned: at the shopped (best) price, and had the same side been taken at
the preferred book's line and price instead, side by side on the same picks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nbaprops.metrics.intervals import wilson_interval
from nbaprops.predictions.odds import STANDARD_PRICE, profit_units
from nbaprops.predictions.recommendation import RecommendationKind


@dataclass(frozen=True)
class PlacedPick:
    """A graded OVER/UNDER pick: where it was placed, the reference (preferred-book) quote, the result.

    `reference_price` is the preferred book's price of the same side (None: unpriced, taken at -110).
    `actual` is None when the pick is void (the player did not play).
    """

    game_date: date
    side: RecommendationKind
    stake: float
    line: float
    price: int
    bookmaker: str
    reference_line: float
    reference_price: int | None
    actual: float | None


def settle(side: RecommendationKind, line: float, price: int, actual: float) -> tuple[bool | None, float]:
    """(won, profit per unit) of `side` at `line` and `price`; a push is (None, 0)."""
    if actual == line:
        return None, 0.0
    match side:
        case RecommendationKind.OVER:
            won = actual > line
        case RecommendationKind.UNDER:
            won = actual < line
        case _:
            raise ValueError(f"Only an OVER or UNDER pick is settled, not {side.value}.")
    return won, profit_units(price, won=won)


@dataclass(frozen=True)
class PickReturns:
    """Counts, hit rate (95% Wilson interval) and ROI at the best price and at the preferred book."""

    picks: int
    voids: int
    wins: int
    losses: int
    pushes: int
    hit_rate: float | None
    hit_rate_interval: tuple[float, float]
    roi_best_price: float | None
    roi_preferred_book: float | None
    units_best_price: float
    units_preferred_book: float
    shopped_elsewhere: int

    def to_json(self) -> dict[str, Any]:
        return {
            "picks": self.picks, "voids": self.voids, "wins": self.wins, "losses": self.losses,
            "pushes": self.pushes, "hit_rate": self.hit_rate, "hit_rate_interval": list(self.hit_rate_interval),
            "roi_best_price": self.roi_best_price, "roi_preferred_book": self.roi_preferred_book,
            "units_best_price": self.units_best_price, "units_preferred_book": self.units_preferred_book,
            "shopped_elsewhere": self.shopped_elsewhere,
        }


def settled_profits(pick: PlacedPick) -> tuple[bool | None, float, float]:
    """(won at the best price, profit there, profit of the same side at the preferred book)."""
    assert pick.actual is not None
    won, best = settle(pick.side, pick.line, pick.price, pick.actual)
    reference_price = STANDARD_PRICE if pick.reference_price is None else pick.reference_price
    _won, preferred = settle(pick.side, pick.reference_line, reference_price, pick.actual)
    return won, best, preferred


def summarise_pick_returns(picks: Sequence[PlacedPick]) -> PickReturns:
    """Settle every non-void pick at both places; ROI is profit per pick of 1 unit each."""
    played = [pick for pick in picks if pick.actual is not None]
    settled = [settled_profits(pick) for pick in played]
    wins = sum(won is True for won, _best, _preferred in settled)
    losses = sum(won is False for won, _best, _preferred in settled)
    best = math.fsum(profit for _won, profit, _preferred in settled)
    preferred = math.fsum(profit for _won, _best, profit in settled)
    return PickReturns(
        picks=len(played), voids=len(picks) - len(played), wins=wins, losses=losses,
        pushes=len(played) - wins - losses,
        hit_rate=wins / (wins + losses) if wins + losses else None,
        hit_rate_interval=wilson_interval(wins, wins + losses),
        roi_best_price=best / len(played) if played else None,
        roi_preferred_book=preferred / len(played) if played else None,
        units_best_price=best, units_preferred_book=preferred,
        shopped_elsewhere=sum(pick.line != pick.reference_line or pick.price != pick.reference_price
                              for pick in played),
    )
