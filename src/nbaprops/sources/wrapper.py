"""A `Source` that answers as the source it wraps, for wrappers that change only some of its answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from nbaprops.sources.base import Row, Source


class SourceWrapper:
    """`inner` under its own name, every method forwarded to it.

    The five feeds (schedule, player_boxscores, team_boxscores, prop_lines, injuries) all go through
    `_fetch(feed, game_date, as_of)`, so a wrapper that changes how rows are fetched overrides that one
    method; a wrapper that changes anything else overrides that method alone.
    """

    def __init__(self, inner: Source) -> None:
        self._inner = inner
        self.name = inner.name

    def game_dates(self, start: date, end: date) -> list[date]:
        return self._inner.game_dates(start, end)

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._fetch("schedule", game_date, as_of)

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._fetch("player_boxscores", game_date, as_of)

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._fetch("team_boxscores", game_date, as_of)

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._fetch("prop_lines", game_date, as_of)

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._fetch("injuries", game_date, as_of)

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return self._inner.expected_prop_players(game_date, markets=markets)

    def expected_player_games(self, game_date: date) -> int | None:
        return self._inner.expected_player_games(game_date)

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        return self._inner.games_played(start, end)

    def _fetch(self, feed: str, game_date: date, as_of: datetime) -> list[Row]:
        """The rows of `feed` (a Source method's name) for `game_date` as of `as_of`, from `inner`."""
        rows: list[Row] = getattr(self._inner, feed)(game_date, as_of=as_of)
        return rows
