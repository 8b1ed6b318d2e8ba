"""A day's picks as the `picks` command and the dashboard read them: the active predictions that make
the day's picks (the champion's and the canary's share; a shadow's never), or one system's, with
their pick, best price, probabilities, expected value, stake and, for a PASS, the reason."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from nbaprops.warehouse import Warehouse

_PICKS_SQL = """
    SELECT p.player_lookup, coalesce(n.player_name, p.player_lookup) AS player, f.team, p.market,
           p.pick AS side, p.pick_line AS line, p.pick_bookmaker AS bookmaker, p.pick_price AS price,
           p.pick_p AS p, p.pick_fair_p AS fair_p, p.pick_p - p.pick_fair_p AS edge, p.pick_ev AS ev,
           p.stake, p.pass_reason, p.line_value AS reference_line, p.bookmaker AS reference_bookmaker,
           p.predicted_value, p.system_id, p.game_id
    FROM nba_predictions.player_prop_predictions p
    LEFT JOIN (SELECT player_lookup, any_value(player_name) AS player_name FROM nba_raw.player_prop_lines
               WHERE game_date = $game_date GROUP BY player_lookup) n USING (player_lookup)
    LEFT JOIN (SELECT player_lookup, market, any_value(team) AS team FROM nba_precompute.ml_feature_store
               WHERE game_date = $game_date GROUP BY player_lookup, market) f USING (player_lookup, market)
    WHERE p.game_date = $game_date AND p.is_active
      AND (p.system_id = $system_id OR $system_id = 'champion' AND coalesce(p.makes_pick, FALSE))
      AND (p.pick IN ('OVER', 'UNDER') OR ($include_pass AND p.pick IS NOT NULL))
    ORDER BY p.pick IN ('OVER', 'UNDER') DESC, p.pick_ev DESC NULLS LAST, p.market, player
"""
# The columns of a pick's CSV line (`picks --csv` and the dashboard's download), in order.
PICK_CSV_COLUMNS = ("player", "team", "market", "line", "side", "bookmaker", "price", "p", "fair_p", "edge", "ev",
                    "stake", "pass_reason", "player_lookup", "reference_line", "reference_bookmaker",
                    "predicted_value", "system_id", "game_id")
_COUNTS_SQL = """
    SELECT count(*) AS predictions, count(*) FILTER (WHERE mine) AS of_system,
           count(*) FILTER (WHERE mine AND pick IS NULL) AS unpicked,
           list(DISTINCT system_id ORDER BY system_id) AS systems
    FROM (SELECT *, system_id = $system_id OR $system_id = 'champion' AND coalesce(makes_pick, FALSE) AS mine
          FROM nba_predictions.player_prop_predictions WHERE game_date = $game_date AND is_active)
"""


@dataclass(frozen=True)
class DayPick:
    """One prediction's pick; a PASS or NO_LINE carries its reason (and the best side it saw)."""

    player: str
    player_lookup: str
    team: str | None
    market: str
    side: str
    line: float | None
    bookmaker: str | None
    price: int | None
    p: float | None
    fair_p: float | None
    edge: float | None
    ev: float | None
    stake: float
    pass_reason: str | None
    reference_line: float | None
    reference_bookmaker: str | None
    predicted_value: float
    system_id: str
    game_id: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DayPicks:
    """The picks of one game_date (of one system, or the day's: `system_id` "champion"); `predictions`
    counts every system's active ones, `unpicked` those made before picks were stored."""

    game_date: date
    system_id: str
    predictions: int
    system_predictions: int
    unpicked: int
    systems: tuple[str, ...]
    picks: tuple[DayPick, ...]

    @property
    def bets(self) -> tuple[DayPick, ...]:
        return tuple(pick for pick in self.picks if pick.side in ("OVER", "UNDER"))


def read_day_picks(warehouse: Warehouse, game_date: date, *, system_id: str, include_pass: bool) -> DayPicks:
    """The active predictions on `game_date` that pick a side (with PASS and NO_LINE too when
    `include_pass`), bets first by expected value: those making the day's picks (`system_id`
    "champion": the champion's and, on its share of the rows, the canary's), or every one of `system_id`."""
    counts = warehouse.query(_COUNTS_SQL, {"game_date": game_date, "system_id": system_id})[0]
    rows = warehouse.query(_PICKS_SQL, {"game_date": game_date, "system_id": system_id,
                                        "include_pass": include_pass})
    picks = tuple(DayPick(**{**row, "stake": row["stake"] or 0.0}) for row in rows)
    return DayPicks(game_date, system_id, int(counts["predictions"]), int(counts["of_system"]),
                    int(counts["unpicked"]), tuple(counts["systems"] or ()), picks)


def picks_csv(picks: Iterable[DayPick]) -> str:
    """`picks` as CSV: a header of `PICK_CSV_COLUMNS`, then one line a pick."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PICK_CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for pick in picks:
        writer.writerow(pick.to_json())
    return buffer.getvalue()
