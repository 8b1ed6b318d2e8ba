"""What a source offers the Phase 2 processors.

Rows are plain dicts whose keys are the column names of the Phase 2 table they feed
(`nba_raw.schedule`, `nba_raw.player_boxscores`, `nba_raw.team_boxscores`,
`nba_raw.player_prop_lines`, `nba_raw.injury_report`), without `game_date` where the method
already takes it. `as_of` is a timezone-aware UTC instant: a source returns only what had been
published by then, which is what keeps backtests free of look-ahead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from nbaprops.errors import SourceError

Row = dict[str, Any]


class Source(Protocol):
    """A provider of schedule, box scores, prop lines and injuries for one game_date."""

    name: str

    def game_dates(self, start: date, end: date) -> list[date]:
        """Dates in [start, end] with at least one scheduled game (the schedule is known ahead)."""
        ...

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        """Games on `game_date`: game_id, season, season_type, home_team, away_team, tipoff_utc, status."""
        ...

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        """Player lines of games on `game_date` that had ended by `as_of`."""
        ...

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        """Team lines of games on `game_date` that had ended by `as_of`."""
        ...

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        """Prop line snapshots for games on `game_date` published by `as_of` (latest per player, market, book)."""
        ...

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        """Injury report entries for `game_date` reported by `as_of` (latest per player)."""
        ...

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        """Players who get a pre-game line in `markets` on a scheduled game of `game_date`, all day long.

        Recorded history knows this in hindsight (a count, never the lines themselves, so nothing
        leaks into predictions); a live feed cannot, and returns None.
        """
        ...

    def expected_player_games(self, game_date: date) -> int | None:
        """Games of `game_date` whose player box scores the source will ever serve: recorded history
        knows (a season file may hold the regular season only, not the playoffs); a live feed returns None."""
        ...

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        """Games each player played (minutes > 0) on game days in [start, end], as recorded.

        Recorded history knows this (past games only, so nothing leaks into predictions); a live
        feed keeps no record and returns None, and the warehouse's game summaries count instead.
        """
        ...


def naive_utc(as_of: datetime) -> datetime:
    """An aware instant as naive UTC, the warehouse's form; a naive one is refused, its zone would be a guess."""
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise SourceError(
            f"as_of {as_of.isoformat()} has no time zone; pass an aware UTC instant "
            "(datetime.now(UTC) or a VirtualClock reading)."
        )
    return as_of.astimezone(UTC).replace(tzinfo=None)
