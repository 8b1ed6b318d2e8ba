"""The Today page: the day's picks as the predictions table holds them (active OVER/UNDER rows):
player, market, line, side, book, price, probability of the side, edge."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import iso, rounded

_PICKS = """
    SELECT p.player_lookup, coalesce(n.player_name, p.player_lookup) AS player, p.market, p.system_id,
           p.line_value, p.recommendation AS side, p.bookmaker,
           CASE p.recommendation WHEN 'OVER' THEN p.over_price ELSE p.under_price END AS price,
           CASE p.recommendation WHEN 'OVER' THEN p.p_over ELSE 1 - p.p_over END AS probability,
           p.edge, p.expected_value, p.game_id
    FROM nba_predictions.player_prop_predictions AS p
    LEFT JOIN (
        SELECT player_lookup, any_value(player_name) AS player_name
        FROM nba_analytics.upcoming_player_game_context WHERE game_date = $game_date GROUP BY player_lookup
    ) AS n USING (player_lookup)
    WHERE p.game_date = $game_date AND p.is_active AND p.recommendation IN ('OVER', 'UNDER')
    ORDER BY p.edge DESC NULLS LAST, player, p.market, p.system_id
"""
_LATEST = """
    SELECT max(game_date) FROM nba_predictions.player_prop_predictions
    WHERE is_active AND game_date <= $today
"""
_HAS = "SELECT count(*) > 0 FROM nba_predictions.player_prop_predictions WHERE is_active AND game_date = $day"
COLUMNS = ("player", "market", "system_id", "line_value", "side", "bookmaker", "price", "probability", "edge",
           "expected_value")


def choose_picks_date(warehouse: Warehouse, *, today: date) -> date | None:
    """`today` when it has predictions; else the latest game_date with predictions before it."""
    if warehouse.scalar(_HAS, {"day": today}):
        return today
    latest: date | None = warehouse.scalar(_LATEST, {"today": today})
    return latest


def today_data(warehouse: Warehouse, *, game_date: date | None, today: date) -> dict[str, Any]:
    """The picks of `game_date` (default: `choose_picks_date`), best edge first."""
    chosen = game_date or choose_picks_date(warehouse, today=today)
    picks = [] if chosen is None else [
        {
            **{key: row[key] for key in ("player", "player_lookup", "market", "system_id", "side", "bookmaker",
                                         "price", "game_id")},
            "line_value": row["line_value"],
            "probability": rounded(row["probability"]),
            "edge": rounded(row["edge"]),
            "expected_value": rounded(row["expected_value"]),
        }
        for row in warehouse.query(_PICKS, {"game_date": chosen})
    ]
    per_system: dict[str, int] = {}
    for pick in picks:
        per_system[pick["system_id"]] = per_system.get(pick["system_id"], 0) + 1
    return {
        "game_date": iso(chosen),
        "date_reason": "given" if game_date else "today (US Eastern), or the latest date with predictions",
        "picks": picks,
        "count": len(picks),
        "per_system": dict(sorted(per_system.items())),
    }


def picks_csv(data: dict[str, Any]) -> str:
    """The picks of `today_data` as CSV, one header line then one line a pick."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("game_date", *COLUMNS))
    for pick in data["picks"]:
        writer.writerow((data["game_date"], *("" if pick[key] is None else pick[key] for key in COLUMNS)))
    return out.getvalue()
