"""The backtest report: per system and overall, from graded predictions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nbaprops.grading.rules import GradedPrediction
from nbaprops.metrics import PickSummary, summarise_picks
from nbaprops.predictions.recommendation import RecommendationKind
from nbaprops.warehouse import Warehouse

_GRADED_SQL = """
    SELECT * FROM nba_predictions.prediction_accuracy
    WHERE market = $market AND game_date BETWEEN $start AND $end
    ORDER BY game_date, system_id, player_lookup
"""
_FIELDS = tuple(GradedPrediction.__dataclass_fields__)


@dataclass(frozen=True)
class BacktestReport:
    market: str
    start: date
    end: date
    game_days: int
    systems: dict[str, PickSummary]
    overall: PickSummary

    def to_json(self) -> dict[str, Any]:
        return {
            "market": self.market, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "game_days": self.game_days,
            "systems": {system_id: summary.to_json() for system_id, summary in self.systems.items()},
            "overall": self.overall.to_json(),
        }


def build_report(warehouse: Warehouse, *, market: str, start: date, end: date, game_days: int) -> BacktestReport:
    """Summarise every graded prediction of `market` in [start, end], per system and overall."""
    graded = [
        GradedPrediction(**{**{name: row[name] for name in _FIELDS},
                            "recommendation": RecommendationKind(row["recommendation"])})
        for row in warehouse.query(_GRADED_SQL, {"market": market, "start": start, "end": end})
    ]
    by_system: dict[str, list[GradedPrediction]] = {}
    for row in graded:
        by_system.setdefault(row.system_id, []).append(row)
    return BacktestReport(
        market=market, start=start, end=end, game_days=game_days,
        systems={system_id: summarise_picks(rows) for system_id, rows in sorted(by_system.items())},
        overall=summarise_picks(graded),
    )
