"""Closing-line value: did the price a pick was taken at beat the market's last word before tip-off?

The close of a book is its last snapshot before tip-off. The closing fair probability of a side is
the median, over the books whose close quotes both prices of the pick's line, of the vig-free
probability of that side. CLV, in probability terms, is that closing fair probability minus the
implied probability (vig included) of the price taken: above 0 the price beat the closing market,
the expected profit at the close being about CLV / implied probability per unit.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nbaprops.predictions.odds import implied_probability, remove_vig
from nbaprops.predictions.recommendation import OfferedLine, RecommendationKind, latest_per_book


def closing_fair_probability(side: RecommendationKind, line: float, lines: Sequence[OfferedLine]) -> float | None:
    """The closing vig-free probability of `side` at `line`, from pre-tip snapshots `lines` (every
    book's latest one is its close); None when no book closes two-sided at that line."""
    fair = [remove_vig(close.over_price, close.under_price)
            for close in latest_per_book(lines)
            if close.line == line and close.over_price is not None and close.under_price is not None]
    if not fair:
        return None
    index = 0 if side is RecommendationKind.OVER else 1
    return statistics.median(pair[index] for pair in fair)


def closing_line_value(side: RecommendationKind, line: float, price: int, lines: Sequence[OfferedLine]) -> float | None:
    """Closing fair probability of the side minus the implied probability of `price`; None without a close."""
    close = closing_fair_probability(side, line, lines)
    return None if close is None else close - implied_probability(price)


@dataclass(frozen=True)
class ClvSummary:
    """CLV of a set of picks: how many had a close at their line, the mean and the share above 0."""

    picks: int
    with_close: int
    mean_clv: float | None
    positive_share: float | None

    def to_json(self) -> dict[str, Any]:
        return {"picks": self.picks, "with_close": self.with_close, "mean_clv": self.mean_clv,
                "positive_share": self.positive_share, "units": "probability"}


def summarise_clv(values: Sequence[float | None]) -> ClvSummary:
    """The summary of per-pick CLVs (None: no close at the pick's line)."""
    known = [value for value in values if value is not None]
    return ClvSummary(
        picks=len(values), with_close=len(known),
        mean_clv=math.fsum(known) / len(known) if known else None,
        positive_share=sum(value > 0 for value in known) / len(known) if known else None,
    )
