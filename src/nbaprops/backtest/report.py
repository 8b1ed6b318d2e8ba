"""The backtest report, one system at a time: picks, the prices they were taken at, the line.

Systems are never added together: each one's picks, ROI and comparison with the line stand on
its own rows, since adding picks across systems counts one bet several times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nbaprops.backtest.coverage import Coverage, coverage_by_system
from nbaprops.grading.rules import GradedPrediction
from nbaprops.metrics import (
    LineComparison,
    MarketQuote,
    PickSummary,
    PriceSummary,
    compare_with_line,
    summarise_picks,
    summarise_prices,
)
from nbaprops.metrics.paired import MarketComparison, compare_with_market
from nbaprops.metrics.picks import went_over
from nbaprops.predictions.recommendation import RecommendationKind
from nbaprops.warehouse import Warehouse

# Grading keeps the line but not the prices or the market's fair probability: they come from
# the prediction graded (one row per prediction_id, should a prediction be written twice).
_GRADED_SQL = """
    SELECT a.*, q.over_price, q.under_price, q.p_fair_over
    FROM nba_predictions.prediction_accuracy AS a
    LEFT JOIN (
        SELECT prediction_id, any_value(over_price) AS over_price,
               any_value(under_price) AS under_price, any_value(p_fair_over) AS p_fair_over
        FROM nba_predictions.player_prop_predictions
        WHERE market = $market AND game_date BETWEEN $start AND $end
        GROUP BY prediction_id
    ) AS q USING (prediction_id)
    WHERE a.market = $market AND a.game_date BETWEEN $start AND $end
    ORDER BY a.game_date, a.system_id, a.player_lookup
"""
_FIELDS = tuple(GradedPrediction.__dataclass_fields__)


@dataclass(frozen=True)
class SystemResult:
    """How one system did: its picks, the prices they were graded at, and it against the line."""

    picks: PickSummary
    prices: PriceSummary
    versus_line: LineComparison
    # Its Brier score and log loss beside the vig-free market's on the same rows, with the paired
    # bootstrap interval of the difference; and the share of lined player-games it predicted.
    market: MarketComparison | None = None
    coverage: Coverage | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.picks.to_json(),
            "prices": self.prices.to_json(),
            "versus_line": self.versus_line.to_json(),
            **({} if self.market is None else self.market.to_json()),
            **({} if self.coverage is None else self.coverage.to_json()),
        }


@dataclass(frozen=True)
class BacktestReport:
    market: str
    start: date
    end: date
    game_days: int
    systems: dict[str, SystemResult]

    @property
    def beat_line(self) -> list[str]:
        """The systems that beat the line on their own rows, in MAE and in Brier score."""
        return [system_id for system_id, result in self.systems.items()
                if result.versus_line.beats_line]

    def to_json(self) -> dict[str, Any]:
        return {
            "market": self.market, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "game_days": self.game_days,
            "systems": {system_id: result.to_json() for system_id, result in self.systems.items()},
            "beat_line": self.beat_line,
        }


def system_result(
    rows: list[tuple[GradedPrediction, MarketQuote]], *, coverage: Coverage | None = None
) -> SystemResult:
    """The result of one system's graded rows, each with the market's quote on its line."""
    return SystemResult(
        picks=summarise_picks([row for row, _quote in rows]),
        prices=summarise_prices(rows),
        versus_line=compare_with_line(rows),
        market=market_comparison(rows),
        coverage=coverage,
    )


def market_comparison(rows: list[tuple[GradedPrediction, MarketQuote]]) -> MarketComparison:
    """Brier and log loss against the vig-free market on the rows (no push, no void) with both."""
    scored = [(row.p_over, quote.p_fair_over, over) for row, quote in rows
              if (over := went_over(row)) is not None and row.p_over is not None and quote.p_fair_over is not None]
    return compare_with_market([s for s, _, _ in scored], [m for _, m, _ in scored], [o for _, _, o in scored])


def build_report(warehouse: Warehouse, *, market: str, start: date, end: date, game_days: int) -> BacktestReport:
    """Summarise every graded prediction of `market` in [start, end], system by system."""
    by_system: dict[str, list[tuple[GradedPrediction, MarketQuote]]] = {}
    for row in warehouse.query(_GRADED_SQL, {"market": market, "start": start, "end": end}):
        graded = GradedPrediction(**{**{name: row[name] for name in _FIELDS},
                                     "recommendation": RecommendationKind(row["recommendation"])})
        quote = MarketQuote(row["over_price"], row["under_price"], row["p_fair_over"])
        by_system.setdefault(graded.system_id, []).append((graded, quote))
    coverage = coverage_by_system(warehouse, market=market, start=start, end=end)
    return BacktestReport(
        market=market, start=start, end=end, game_days=game_days,
        systems={system_id: system_result(rows, coverage=coverage.get(system_id))
                 for system_id, rows in sorted(by_system.items())},
    )
