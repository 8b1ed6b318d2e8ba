"""The Today page: the day's gated picks as `nbaprops picks --date D --json` lists them (the same read
model, `nbaprops.state.read_day_picks`, of the `[picks] system_id` system): player, team, market, line,
side, book, price, p, fair p, edge, EV and stake; and the predictions that passed, each with its
reason, as `picks --all` adds them."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from nbaprops import suggestions
from nbaprops.state import DayPicks, read_day_picks
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import iso

_LATEST = """
    SELECT max(game_date) FROM nba_predictions.player_prop_predictions
    WHERE is_active AND game_date <= $today
"""
_HAS = "SELECT count(*) > 0 FROM nba_predictions.player_prop_predictions WHERE is_active AND game_date = $day"


def choose_picks_date(warehouse: Warehouse, *, today: date) -> date | None:
    """`today` when it has predictions; else the latest game_date with predictions before it."""
    if warehouse.scalar(_HAS, {"day": today}):
        return today
    latest: date | None = warehouse.scalar(_LATEST, {"today": today})
    return latest


def today_data(warehouse: Warehouse, *, game_date: date | None, today: date, system_id: str) -> dict[str, Any]:
    """The picks of `system_id` on `game_date` (default: `choose_picks_date`), as `picks --json` has
    them (`picks`), and its PASS and NO_LINE rows with their reasons (`passes`, as `picks --all` adds)."""
    chosen = game_date or choose_picks_date(warehouse, today=today)
    data: dict[str, Any] = {
        "game_date": iso(chosen),
        "date_reason": "given" if game_date else "today (US Eastern), or the latest date with predictions",
        "system_id": system_id,
    }
    if chosen is None:
        return {**data, "predictions": 0, "problem": "No predictions yet: no day has run.", "systems": [],
                "picks": [], "passes": [], "count": 0, "pass_count": 0, "staked": 0.0, "per_market": {},
                "pass_reasons": {}}
    result = read_day_picks(warehouse, chosen, system_id=system_id, include_pass=True)
    picks = [pick.to_json() for pick in result.bets]
    passes = [pick.to_json() for pick in result.picks if pick.side not in ("OVER", "UNDER")]
    return {
        **data,
        "predictions": result.system_predictions,
        "problem": picks_problem(result),
        "systems": list(result.systems),
        "picks": picks,
        "passes": passes,
        "count": len(picks),
        "pass_count": len(passes),
        "staked": round(sum(pick["stake"] for pick in picks), 6),
        "per_market": dict(sorted(Counter(pick["market"] for pick in picks).items())),
        "pass_reasons": dict(Counter(reason_kind(pick["pass_reason"]) for pick in passes).most_common()),
    }


def picks_problem(result: DayPicks) -> str | None:
    """Why the day has no picks to show, as `nbaprops picks` says it; None when it has its predictions."""
    if not result.predictions:
        return (f"No predictions for {result.game_date}: the day has not run. "
                f"Run it with {suggestions.run_day(result.game_date)}.")
    if not result.system_predictions:
        return f"{result.system_id} made no prediction on {result.game_date}; the day's systems are " \
               f"{', '.join(result.systems)}."
    if result.unpicked == result.system_predictions:
        return (f"The predictions of {result.game_date} were made before picks were stored; "
                f"run the day again with {suggestions.rerun_day(result.game_date)}.")
    return None


def reason_kind(reason: str | None) -> str:
    """The kind of a pass reason: its words before the first colon (`low_ev: +2.96% below 3.00%`)."""
    return (reason or "no reason").split(":", 1)[0].strip()
