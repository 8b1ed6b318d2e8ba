"""The prediction systems of each market as `nbaprops systems list` shows them: version, role and
since when, and the graded record on the same rows as the market's champion (n, hit rate of the
recommendations with its Wilson interval, Brier, the champion's and the market's Brier on those
rows, ROI of the recommendations at the reference price)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from nbaprops.metrics.intervals import wilson_interval
from nbaprops.warehouse import Warehouse

_ROLES_SQL = """
    SELECT r.market, r.system_id, r.role, r.since, r.since_game_date, r.picks_disabled, v.version
    FROM nba_predictions.system_roles r
    LEFT JOIN (SELECT market, system_id, arg_max(system_version, created_at) AS version
               FROM nba_predictions.player_prop_predictions WHERE system_version IS NOT NULL
               GROUP BY market, system_id) v USING (market, system_id)
    ORDER BY r.market, CASE r.role WHEN 'champion' THEN 0 WHEN 'canary' THEN 1 WHEN 'shadow' THEN 2 ELSE 3 END,
             r.system_id
"""
# Graded rows with an outcome on a line and both probabilities, each beside the champion's same row.
_RECORD_SQL = """
    WITH graded AS (
        SELECT a.game_date, a.player_lookup, a.market, p.system_id, p.p_over, p.p_fair_over,
               CAST(a.actual_value > a.line_value AS DOUBLE) AS y, a.recommendation, a.prediction_correct,
               a.profit_units
        FROM nba_predictions.prediction_accuracy a
        JOIN nba_predictions.player_prop_predictions p USING (prediction_id)
        WHERE p.is_active AND NOT a.is_void AND NOT a.is_push AND a.line_value IS NOT NULL
          AND a.actual_value IS NOT NULL AND p.p_over IS NOT NULL AND p.p_fair_over IS NOT NULL
          AND a.game_date >= $since
    )
    SELECT s.market, s.system_id, count(*) AS n, avg((s.p_over - s.y) ** 2) AS brier,
           avg((c.p_over - c.y) ** 2) AS champion_brier, avg((s.p_fair_over - s.y) ** 2) AS market_brier,
           count(*) FILTER (WHERE s.recommendation IN ('OVER', 'UNDER')) AS bets,
           count(*) FILTER (WHERE s.recommendation IN ('OVER', 'UNDER') AND s.prediction_correct) AS wins,
           sum(s.profit_units) FILTER (WHERE s.recommendation IN ('OVER', 'UNDER')) AS profit_units
    FROM graded s
    JOIN nba_predictions.system_roles ch ON ch.market = s.market AND ch.role = 'champion'
    JOIN graded c ON c.market = s.market AND c.game_date = s.game_date AND c.player_lookup = s.player_lookup
                 AND c.system_id = ch.system_id
    GROUP BY s.market, s.system_id
"""


@dataclass(frozen=True)
class SystemRecord:
    """One system in one market, with its record on the champion's rows."""

    market: str
    system_id: str
    version: str | None
    role: str
    since: datetime
    since_game_date: date | None
    picks_disabled: str | None
    rows: int
    bets: int
    wins: int
    hit_rate: float | None
    hit_low: float
    hit_high: float
    brier: float | None
    champion_brier: float | None
    market_brier: float | None
    roi: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "market": self.market, "system_id": self.system_id, "version": self.version, "role": self.role,
            "since": self.since.isoformat(),
            "since_game_date": None if self.since_game_date is None else self.since_game_date.isoformat(),
            "picks_disabled": self.picks_disabled, "n": self.rows, "bets": self.bets, "wins": self.wins,
            "hit_rate": self.hit_rate, "hit_rate_interval": [self.hit_low, self.hit_high], "brier": self.brier,
            "champion_brier": self.champion_brier, "market_brier": self.market_brier, "roi": self.roi,
        }


def read_system_records(warehouse: Warehouse, *, since: date = date(1900, 1, 1)) -> list[SystemRecord]:
    """Every system of every market with a stored role, champion first, its record from `since`."""
    records = {(r["market"], r["system_id"]): r for r in warehouse.query(_RECORD_SQL, {"since": since})}
    result = []
    for row in warehouse.query(_ROLES_SQL):
        record = records.get((row["market"], row["system_id"]), {})
        bets, wins = int(record.get("bets") or 0), int(record.get("wins") or 0)
        low, high = wilson_interval(wins, bets)
        profit = record.get("profit_units")
        result.append(SystemRecord(
            market=row["market"], system_id=row["system_id"], version=row["version"], role=row["role"],
            since=row["since"], since_game_date=row["since_game_date"], picks_disabled=row["picks_disabled"],
            rows=int(record.get("n") or 0), bets=bets, wins=wins, hit_rate=wins / bets if bets else None,
            hit_low=low, hit_high=high, brier=record.get("brier"), champion_brier=record.get("champion_brier"),
            market_brier=record.get("market_brier"),
            roi=None if not bets or profit is None else float(profit) / bets,
        ))
    return result
