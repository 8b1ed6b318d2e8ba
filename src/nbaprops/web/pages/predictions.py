"""The Predictions page: volume per day, each system's hit rate with its Wilson interval, its MAE
and Brier score against the line's and the market's over time, calibration, ROI and bankroll.

The graded rows of a season run to hundreds of thousands, so the warehouse adds them up per
(game_date, system) and this module folds those sums, with the same row rules as
`nbaprops.metrics` (`summarise_picks`, `compare_with_line`): a pick is a non-void OVER/UNDER,
MAE counts non-void rows with a prediction, a line and a result, Brier the same rows that are
no push and carry both the system's p_over and the market's vig-free one. Systems are never
added together. Every system's record is shown, a shadow's too (it is graded every day, as in
`nbaprops systems list`), but a shadow's rows stay out of the daily volume of predictions and picks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from nbaprops.metrics import CalibrationBin, wilson_interval
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import ratio, rounded

_VOLUME = """
    SELECT game_date, count(*) AS predictions,
           count(*) FILTER (WHERE recommendation IN ('OVER', 'UNDER')) AS picks
    FROM nba_predictions.player_prop_predictions
    WHERE is_active AND system_role IS DISTINCT FROM 'shadow' AND ($market IS NULL OR market = $market)
    GROUP BY game_date ORDER BY game_date
"""
# One row per graded prediction with the market's fair probability from the prediction graded.
_GRADED = """
    WITH graded AS (
        SELECT a.*, q.p_fair_over,
               NOT a.is_void AND a.recommendation IN ('OVER', 'UNDER') AS is_pick,
               NOT a.is_void AND a.predicted_value IS NOT NULL AND a.line_value IS NOT NULL
                   AND a.actual_value IS NOT NULL AS beside_line,
               CASE WHEN NOT a.is_void AND NOT a.is_push AND a.line_value IS NOT NULL
                         AND a.actual_value IS NOT NULL
                    THEN a.actual_value > a.line_value END AS went_over
        FROM nba_predictions.prediction_accuracy AS a
        LEFT JOIN (
            SELECT prediction_id, any_value(p_fair_over) AS p_fair_over
            FROM nba_predictions.player_prop_predictions GROUP BY prediction_id
        ) AS q USING (prediction_id)
        WHERE $market IS NULL OR a.market = $market
    )
"""
_PER_DAY = _GRADED + """
    SELECT game_date, system_id,
           count(*) FILTER (WHERE is_pick) AS picks,
           count(*) FILTER (WHERE is_pick AND prediction_correct) AS wins,
           count(*) FILTER (WHERE is_pick AND NOT prediction_correct) AS losses,
           coalesce(sum(profit_units) FILTER (WHERE is_pick), 0) AS profit_units,
           count(*) FILTER (WHERE beside_line) AS mae_rows,
           coalesce(sum(abs(predicted_value - actual_value)) FILTER (WHERE beside_line), 0) AS error_sum,
           coalesce(sum(abs(line_value - actual_value)) FILTER (WHERE beside_line), 0) AS line_error_sum,
           count(*) FILTER (WHERE went_over IS NOT NULL AND p_over IS NOT NULL AND p_fair_over IS NOT NULL)
               AS brier_rows,
           coalesce(sum((p_over - went_over::INTEGER::DOUBLE) ^ 2)
               FILTER (WHERE went_over IS NOT NULL AND p_over IS NOT NULL AND p_fair_over IS NOT NULL), 0)
               AS brier_sum,
           coalesce(sum((p_fair_over - went_over::INTEGER::DOUBLE) ^ 2)
               FILTER (WHERE went_over IS NOT NULL AND p_over IS NOT NULL AND p_fair_over IS NOT NULL), 0)
               AS market_brier_sum
    FROM graded GROUP BY game_date, system_id ORDER BY game_date, system_id
"""
_CALIBRATION = _GRADED + """
    SELECT system_id, least(floor(p_over * $bins), $bins - 1)::INTEGER AS bin, count(*) AS count,
           avg(p_over) AS mean_predicted, avg(went_over::INTEGER::DOUBLE) AS observed_rate
    FROM graded WHERE went_over IS NOT NULL AND p_over IS NOT NULL
    GROUP BY ALL ORDER BY system_id, bin
"""
_MARKETS = "SELECT DISTINCT market FROM nba_predictions.player_prop_predictions ORDER BY market"
CALIBRATION_BINS = 10
_SUMMED = ("picks", "wins", "losses", "profit_units", "mae_rows", "error_sum", "line_error_sum",
           "brier_rows", "brier_sum", "market_brier_sum")


def predictions_data(
    warehouse: Warehouse, *, market: str | None, trend_days: int, starting_bankroll_units: float
) -> dict[str, Any]:
    """Every number the Predictions page draws, over one market or all of them."""
    params = {"market": market, "bins": CALIBRATION_BINS}
    per_day = warehouse.query(_PER_DAY, params)
    systems = sorted({row["system_id"] for row in per_day})
    return {
        "market": market,
        "markets": [row["market"] for row in warehouse.query(_MARKETS)],
        "volume": [
            {"game_date": row["game_date"].isoformat(), "predictions": row["predictions"], "picks": row["picks"]}
            for row in warehouse.query(_VOLUME, params)
        ],
        "systems": [system_summary(system_id, [r for r in per_day if r["system_id"] == system_id])
                    for system_id in systems],
        "trend_days": trend_days,
        "trends": {system_id: trend(
            [r for r in per_day if r["system_id"] == system_id], trend_days=trend_days) for system_id in systems},
        "bankroll": {
            "starting_units": starting_bankroll_units,
            "curves": {system_id: bankroll_curve(
                [r for r in per_day if r["system_id"] == system_id], starting_units=starting_bankroll_units)
                for system_id in systems},
        },
        "calibration": calibration(warehouse.query(_CALIBRATION, params)),
    }


def _sums(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    return {name: sum(row[name] for row in rows) for name in _SUMMED}


def system_summary(system_id: str, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A system's season: picks, hit rate and its 95% Wilson interval, ROI, MAE against the
    line's, Brier score against the market's."""
    total = _sums(rows)
    wins, losses = int(total["wins"]), int(total["losses"])
    low, high = wilson_interval(wins, wins + losses)
    return {
        "system_id": system_id,
        "picks": int(total["picks"]),
        "wins": wins,
        "losses": losses,
        "hit_rate": ratio(wins, wins + losses),
        "hit_rate_low": round(low, 4),
        "hit_rate_high": round(high, 4),
        "profit_units": rounded(total["profit_units"]),
        "roi": ratio(total["profit_units"], total["picks"]),
        "mae": ratio(total["error_sum"], total["mae_rows"]),
        "line_mae": ratio(total["line_error_sum"], total["mae_rows"]),
        "brier": ratio(total["brier_sum"], total["brier_rows"]),
        "market_brier": ratio(total["market_brier_sum"], total["brier_rows"]),
    }


def trend(rows: Sequence[dict[str, Any]], *, trend_days: int) -> list[dict[str, Any]]:
    """MAE beside the line's and Brier beside the market's, per bucket of `trend_days` days
    (a bucket is named by its first day; the first bucket starts at the first graded day)."""
    if not rows:
        return []
    first: date = rows[0]["game_date"]
    buckets: dict[date, list[dict[str, Any]]] = {}
    for row in rows:
        offset = (row["game_date"] - first).days // trend_days * trend_days
        buckets.setdefault(first + timedelta(days=offset), []).append(row)
    points = []
    for start, members in buckets.items():
        total = _sums(members)
        points.append({
            "start": start.isoformat(),
            "mae": ratio(total["error_sum"], total["mae_rows"]),
            "line_mae": ratio(total["line_error_sum"], total["mae_rows"]),
            "brier": ratio(total["brier_sum"], total["brier_rows"]),
            "market_brier": ratio(total["market_brier_sum"], total["brier_rows"]),
        })
    return points


def bankroll_curve(rows: Sequence[dict[str, Any]], *, starting_units: float) -> list[dict[str, Any]]:
    """The bankroll after each game day, staking one unit on every pick."""
    curve, bankroll = [], starting_units
    for row in rows:
        bankroll += row["profit_units"]
        curve.append({"game_date": row["game_date"].isoformat(), "bankroll_units": round(bankroll, 4)})
    return curve


def calibration(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per system, the non-empty bins of p_over: how many, their mean, how often it went over."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        index = row["bin"]
        found = CalibrationBin(
            bin_low=index / CALIBRATION_BINS,
            bin_high=(index + 1) / CALIBRATION_BINS,
            count=row["count"],
            mean_predicted=rounded(row["mean_predicted"]),
            observed_rate=rounded(row["observed_rate"]),
        )
        tables.setdefault(row["system_id"], []).append(found.to_json())
    return tables
