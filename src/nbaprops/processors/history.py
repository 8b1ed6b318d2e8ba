"""The history a day's features are built from, and which of it is not built yet.

A day's features and its models' training rows read the earlier game days of its season: their
game summaries (Phase 3, written by the run of the next game day) and their feature rows (Phase
4, written by their own run). A day's own run finishes the game day before it, so that one needs
only its Phase 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from nbaprops.processors.runner import RUN_HISTORY
from nbaprops.seasons import season_start
from nbaprops.sources.base import Source
from nbaprops.warehouse import Warehouse

PHASE3_HISTORY = ("player_game_summary", "team_offense_game_summary", "team_defense_game_summary")
PHASE4_HISTORY = ("player_daily_cache", "ml_feature_store")
# A processor's run counts as built once it wrote its partition, complete or not.
_BUILT_SQL = f"""
    SELECT game_date FROM {RUN_HISTORY}
    WHERE game_date BETWEEN $start AND $end AND list_contains($processors, processor)
      AND status IN ('success', 'partial')
    GROUP BY game_date HAVING count(DISTINCT processor) = array_length($processors)
    ORDER BY game_date
"""


@dataclass(frozen=True)
class HistoryGap:
    """The earlier game days of `game_date`'s season (`needed`) whose Phase 3 or Phase 4 is missing."""

    game_date: date
    needed: tuple[date, ...]
    phase3_missing: tuple[date, ...]
    phase4_missing: tuple[date, ...]

    @property
    def missing(self) -> bool:
        return bool(self.phase3_missing or self.phase4_missing)

    @property
    def start(self) -> date | None:
        """The earliest game day a build must run (None: nothing is missing)."""
        missing = self.phase3_missing + self.phase4_missing
        return min(missing) if missing else None

    @property
    def end(self) -> date:
        """The last day a build runs: the day before `game_date`."""
        return self.game_date - timedelta(days=1)

    @property
    def to_build(self) -> tuple[date, ...]:
        """The game days a build runs through, in order: every needed day from `start` on (a
        day found already built there is skipped)."""
        start = self.start
        return () if start is None else tuple(day for day in self.needed if day >= start)

    def describe(self) -> str:
        """'Phase 4 history missing for 79 game days (2024-10-22..2025-01-09)', both phases."""
        parts = [
            f"Phase {phase} history missing for {_days(missing)}"
            for phase, missing in ((3, self.phase3_missing), (4, self.phase4_missing))
            if missing
        ]
        return "; ".join(parts) if parts else f"the history of {self.game_date} is built"


def find_history_gap(warehouse: Warehouse, source: Source, game_date: date) -> HistoryGap:
    """What of `game_date`'s history (its season's game days before it, per `source`) is missing."""
    needed = tuple(
        source.game_dates(season_start(game_date), game_date - timedelta(days=1))
    )
    if not needed:
        return HistoryGap(game_date, (), (), ())
    phase3 = built_days(warehouse, PHASE3_HISTORY, needed[0], needed[-1])
    phase4 = built_days(warehouse, PHASE4_HISTORY, needed[0], needed[-1])
    return HistoryGap(
        game_date,
        needed,
        phase3_missing=tuple(day for day in needed[:-1] if day not in phase3),
        phase4_missing=tuple(day for day in needed if day not in phase4),
    )


def history_built(warehouse: Warehouse, game_date: date, *, previous: date | None) -> bool:
    """True when what a history run of `game_date` builds exists: its Phase 4, and the Phase 3
    of `previous`, the game day before it."""
    if game_date not in built_days(warehouse, PHASE4_HISTORY, game_date, game_date):
        return False
    return previous is None or previous in built_days(
        warehouse, PHASE3_HISTORY, previous, previous
    )


def built_days(
    warehouse: Warehouse, processors: Sequence[str], start: date, end: date
) -> set[date]:
    """Days in [start, end] on which every one of `processors` wrote its partition."""
    rows = warehouse.query(
        _BUILT_SQL, {"start": start, "end": end, "processors": list(processors)}
    )
    return {row["game_date"] for row in rows}


def _days(days: tuple[date, ...]) -> str:
    if len(days) == 1:
        return f"1 game day ({days[0]})"
    return f"{len(days)} game days ({days[0]}..{days[-1]})"
