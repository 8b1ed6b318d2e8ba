"""Phase 5's history: each market's past feature rows with what the player then did, read once and
then a new date a day (`DatedReads`), so a season's days do not each read the whole season again."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from nbaprops.warehouse import DatedReads, Warehouse

HISTORY_DAYS = 400
_TABLES = ("nba_precompute.ml_feature_store", "nba_analytics.player_game_summary")
# Past feature rows joined with what the player then did; the stat column is named like the market.
_HISTORY_SQL = """
    SELECT f.*, CAST(CASE $market WHEN 'points' THEN p.points WHEN 'rebounds' THEN p.rebounds
                     WHEN 'assists' THEN p.assists WHEN 'threes' THEN p.threes WHEN 'pra' THEN p.pra END
                AS DOUBLE) AS actual
    FROM nba_precompute.ml_feature_store f
    JOIN nba_analytics.player_game_summary p
      ON p.game_date = f.game_date AND p.player_lookup = f.player_lookup AND p.played
    WHERE f.market = $market AND f.game_date >= $start AND f.game_date < $end
      AND p.game_date >= $start AND p.game_date < $end
    ORDER BY f.game_date, f.player_lookup
"""


def read_history(warehouse: Warehouse, reads: DatedReads, *, market: str, game_date: date) -> pa.Table:
    """`market`'s rows of the HISTORY_DAYS before `game_date`, by date then player: what one query
    of the whole window returns."""
    def fetch(start: date, end: date) -> dict[date, pa.Table]:
        return split_by_date(warehouse.arrow(_HISTORY_SQL, {"market": market, "start": start, "end": end}))

    parts = reads.read(warehouse, key=("phase5_history", market), tables=_TABLES,
                       start=game_date - timedelta(days=HISTORY_DAYS), end=game_date, fetch=fetch)
    if not parts:
        return warehouse.arrow(_HISTORY_SQL, {"market": market, "start": game_date, "end": game_date})
    return pa.concat_tables(parts.values())


def split_by_date(table: pa.Table) -> dict[date, pa.Table]:
    """A table ordered by `game_date` as one slice per date (views of its buffers, not copies)."""
    if table.num_rows == 0:
        return {}
    days = table.column("game_date").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    bounds = [0, *(np.flatnonzero(days[1:] != days[:-1]) + 1).tolist(), len(days)]
    return {days[lo].astype(object): table.slice(lo, hi - lo) for lo, hi in zip(bounds, bounds[1:], strict=False)}
