"""Whether a system beats the line: its errors and the line's, on exactly the same rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from nbaprops.grading.rules import GradedPrediction
from nbaprops.metrics.picks import beside_line, went_over
from nbaprops.metrics.prices import MarketQuote
from nbaprops.metrics.scores import brier_score, mean_absolute_error


@dataclass(frozen=True)
class LineComparison:
    """A system against the line over the rows where both exist.

    rows, mae, line_mae          non-void rows with a line and an actual value: the system's
                                 prediction and the line, each against what happened
    brier_rows, brier,           the same rows that are no push and have both the system's p_over
    market_brier                 and the market's vig-free over probability: each against whether
                                 the player went over
    """

    rows: int
    mae: float | None
    line_mae: float | None
    brier_rows: int
    brier: float | None
    market_brier: float | None

    @property
    def beats_line_mae(self) -> bool:
        return self.mae is not None and self.line_mae is not None and self.mae < self.line_mae

    @property
    def beats_market_brier(self) -> bool:
        return (
            self.brier is not None
            and self.market_brier is not None
            and self.brier < self.market_brier
        )

    @property
    def beats_line(self) -> bool:
        """Closer than the line (MAE) and better calibrated than the vig-free market (Brier)."""
        return self.beats_line_mae and self.beats_market_brier

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "beats_line_mae": self.beats_line_mae,
            "beats_market_brier": self.beats_market_brier,
            "beats_line": self.beats_line,
        }


def compare_with_line(rows: Sequence[tuple[GradedPrediction, MarketQuote]]) -> LineComparison:
    """The system's MAE and Brier score beside the line's and the market's, row for row."""
    predicted, lines, actuals = beside_line([row for row, _quote in rows])
    scored = [
        (row.p_over, quote.p_fair_over, over)
        for row, quote in rows
        if (over := went_over(row)) is not None
        and row.p_over is not None
        and quote.p_fair_over is not None
    ]
    p_system = [p for p, _, _ in scored]
    p_market = [p for _, p, _ in scored]
    outcomes = [over for _, _, over in scored]
    return LineComparison(
        rows=len(actuals),
        mae=mean_absolute_error(predicted, actuals) if actuals else None,
        line_mae=mean_absolute_error(lines, actuals) if actuals else None,
        brier_rows=len(scored),
        brier=brier_score(p_system, outcomes) if scored else None,
        market_brier=brier_score(p_market, outcomes) if scored else None,
    )
