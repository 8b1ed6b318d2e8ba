"""The backtest's picks, one system at a time: how many, why the rest passed, what they returned at
the best price and at the preferred book, the bankroll their Kelly stakes grew, and their CLV."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from nbaprops.metrics.bankroll import Bankroll, DayStakes, bankroll_curve
from nbaprops.metrics.clv import ClvSummary, closing_line_value, summarise_clv
from nbaprops.metrics.pick_returns import PickReturns, PlacedPick, settled_profits, summarise_pick_returns
from nbaprops.predictions.recommendation import OfferedLine, RecommendationKind
from nbaprops.warehouse import Warehouse

_PICKS_SQL = """
    SELECT p.system_id, p.game_date, p.player_lookup, p.pick, p.pass_reason, p.pick_bookmaker, p.pick_line,
           p.pick_price, p.stake, p.line_value, p.over_price, p.under_price, a.actual_value, a.is_void
    FROM nba_predictions.player_prop_predictions p
    JOIN (SELECT prediction_id, any_value(actual_value) AS actual_value, bool_or(is_void) AS is_void
          FROM nba_predictions.prediction_accuracy
          WHERE market = $market AND game_date BETWEEN $start AND $end GROUP BY prediction_id) a
      USING (prediction_id)
    WHERE p.market = $market AND p.game_date BETWEEN $start AND $end AND p.pick IS NOT NULL
    ORDER BY p.system_id, p.game_date, p.player_lookup
"""
# Every book's lines the pipeline stored, before their game's tip-off: each book's last one is its close.
_CLOSES_SQL = """
    SELECT l.game_date, l.player_lookup, l.bookmaker, l.line, l.over_price, l.under_price, l.snapshot_utc
    FROM nba_raw.player_prop_lines l
    LEFT JOIN (SELECT game_id, min(tipoff_utc) AS tipoff_utc FROM nba_raw.schedule
               WHERE game_date BETWEEN $start AND $end GROUP BY game_id) s USING (game_id)
    WHERE l.market = $market AND l.game_date BETWEEN $start AND $end
      AND (l.snapshot_utc IS NULL OR s.tipoff_utc IS NULL OR l.snapshot_utc < s.tipoff_utc)
"""


@dataclass(frozen=True)
class SystemPicks:
    """One system's gated picks in the backtest."""

    predictions: int
    pass_reasons: dict[str, int]
    returns: PickReturns
    bankroll: Bankroll
    clv: ClvSummary

    def to_json(self) -> dict[str, Any]:
        return {"predictions": self.predictions, "pass_reasons": self.pass_reasons, **self.returns.to_json(),
                "bankroll": self.bankroll.to_json(), "clv": self.clv.to_json()}


def build_picks_report(warehouse: Warehouse, *, market: str, start: date, end: date) -> dict[str, SystemPicks]:
    """Every system's graded picks of `market` in [start, end]."""
    params = {"market": market, "start": start, "end": end}
    closes: dict[tuple[date, str], list[OfferedLine]] = defaultdict(list)
    for row in warehouse.query(_CLOSES_SQL, params):
        closes[(row["game_date"], row["player_lookup"])].append(OfferedLine(
            row["bookmaker"], row["line"], row["over_price"], row["under_price"], row["snapshot_utc"]))
    rows_by_system: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in warehouse.query(_PICKS_SQL, params):
        rows_by_system[row["system_id"]].append(row)
    return {system_id: _system_picks(rows, closes) for system_id, rows in sorted(rows_by_system.items())}


def _system_picks(rows: list[dict[str, Any]], closes: dict[tuple[date, str], list[OfferedLine]]) -> SystemPicks:
    reasons = Counter(str(row["pass_reason"]).split(":", 1)[0] for row in rows
                      if row["pick"] == RecommendationKind.PASS.value)
    placed: list[PlacedPick] = []
    clv: list[float | None] = []
    for row in rows:
        if row["pick"] not in (RecommendationKind.OVER.value, RecommendationKind.UNDER.value):
            continue
        side = RecommendationKind(row["pick"])
        placed.append(PlacedPick(
            game_date=row["game_date"], side=side, stake=row["stake"] or 0.0, line=row["pick_line"],
            price=row["pick_price"], bookmaker=row["pick_bookmaker"], reference_line=row["line_value"],
            reference_price=row["over_price"] if side is RecommendationKind.OVER else row["under_price"],
            actual=None if row["is_void"] else row["actual_value"]))
        clv.append(closing_line_value(side, row["pick_line"], row["pick_price"],
                                      closes.get((row["game_date"], row["player_lookup"]), [])))
    days: dict[date, list[tuple[float, float]]] = defaultdict(list)
    for pick in placed:
        if pick.actual is not None:
            days[pick.game_date].append((pick.stake, settled_profits(pick)[1]))
    return SystemPicks(
        predictions=len(rows), pass_reasons=dict(reasons.most_common()),
        returns=summarise_pick_returns(placed),
        bankroll=bankroll_curve([DayStakes(day, results) for day, results in days.items()]),
        clv=summarise_clv(clv),
    )
