"""Coverage: of the player-games with a line and a box score, the share each system predicted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from nbaprops.warehouse import Warehouse

# A lined player-game counts once the player played (a box score with minutes); a system covers it
# with an active prediction for that player, market and date.
_COVERAGE_SQL = """
    WITH lined AS (
        SELECT DISTINCT l.game_date, l.player_lookup FROM nba_raw.player_prop_lines l
        JOIN nba_analytics.player_game_summary g
          ON g.game_date = l.game_date AND g.player_lookup = l.player_lookup AND g.played
        WHERE l.market = $market AND l.game_date BETWEEN $start AND $end
    ),
    predicted AS (
        SELECT DISTINCT p.system_id, p.game_date, p.player_lookup
        FROM nba_predictions.player_prop_predictions p JOIN lined USING (game_date, player_lookup)
        WHERE p.market = $market AND p.is_active AND p.game_date BETWEEN $start AND $end
    )
    SELECT s.system_id, (SELECT count(*) FROM lined) AS lined, count(p.player_lookup) AS predicted
    FROM (SELECT DISTINCT system_id FROM nba_predictions.player_prop_predictions WHERE market = $market) s
    LEFT JOIN predicted p USING (system_id)
    GROUP BY s.system_id
"""


@dataclass(frozen=True)
class Coverage:
    """predicted of lined player-games (with a box score); `share` None when nothing was lined."""

    predicted: int
    lined: int

    @property
    def share(self) -> float | None:
        return None if self.lined == 0 else self.predicted / self.lined

    def to_json(self) -> dict[str, Any]:
        return {"coverage": self.share, "coverage_predicted": self.predicted, "coverage_lined": self.lined}


def coverage_by_system(warehouse: Warehouse, *, market: str, start: date, end: date) -> dict[str, Coverage]:
    """Each system's coverage of `market` in [start, end]."""
    rows = warehouse.query(_COVERAGE_SQL, {"market": market, "start": start, "end": end})
    return {row["system_id"]: Coverage(predicted=int(row["predicted"]), lined=int(row["lined"])) for row in rows}
