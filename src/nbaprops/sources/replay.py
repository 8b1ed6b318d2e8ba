"""Serves recorded history (nba_raw.history_*) as if it were arriving live, with no look-ahead.

What is visible at `as_of`:
- the schedule, always (known in advance); a game is 'final' once it has ended by `as_of`;
- box scores of a game once it has ended: `as_of >= tipoff + game_duration_hours`;
- a prop line from its snapshot time, or `line_lead_hours` before tip-off when it has none;
  snapshots at or after tip-off are not pre-game lines and are never served;
- an injury report entry from its reported time.

Tip-off is the game's recorded time, else the time on its prop lines, else
`default_tipoff_hour_et` US/Eastern on the game date. History is read into memory (Arrow) one
season at a time (August to July), the first time a date of that season is asked for; each
date's rows are then prepared once, so later calls cost microseconds to a millisecond. Only the
dates asked for last stay prepared (`CACHED_DAYS`): a run asks for its own date and the game day
before it, and a season of prepared days would hold memory a backfill never reads again. Returned
timestamps are naive UTC, as the warehouse stores them.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nbaprops.config import ReplayConfig
from nbaprops.errors import SourceError
from nbaprops.sources.base import Row, naive_utc
from nbaprops.warehouse import Warehouse

SEASON_TYPES = ("preseason", "regular", "play_in", "playoffs", "cup_final")
DEFAULT_SEASON_TYPES = ("regular", "cup_final", "play_in", "playoffs")
# Prepared days (and played-games counts) kept: a run's date and the game day before, with room to spare.
CACHED_DAYS = 8
_EASTERN = ZoneInfo("America/New_York")
_SEASON_FIRST_MONTH = 8
_EPOCH = date(1970, 1, 1)

_PLAYER_COLUMNS = (
    "player_lookup", "player_name", "team", "opponent", "is_home", "minutes", "pts", "reb", "ast",
    "fg3m", "fg3a", "fgm", "fga", "ftm", "fta", "oreb", "dreb", "stl", "blk", "tov", "pf",
    "plus_minus",
)
_TEAM_COLUMNS = (
    "team", "opponent", "is_home", "win", "minutes", "pts", "fgm", "fga", "fg3m", "fg3a", "ftm",
    "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf",
)
_LINE_COLUMNS = (
    "event_id", "player_lookup", "player_name", "market", "bookmaker", "line", "over_price",
    "under_price", "snapshot_utc", "home_team", "away_team",
)
_INJURY_COLUMNS = ("team", "player_lookup", "player_name", "status", "reason", "reported_utc")


@dataclass(frozen=True)
class _Game:
    game_id: str
    game_date: date
    season: str
    season_type: str
    home_team: str
    away_team: str
    tipoff_utc: datetime
    ends_utc: datetime
    served: bool  # its season type is one the source serves


@dataclass
class _Day:
    """One game_date, prepared: rows sorted by the instant they become visible."""

    games: list[_Game]
    player_rows: list[tuple[datetime, Row]]  # (visible from, row)
    team_rows: list[tuple[datetime, Row]]
    line_times: list[datetime]
    lines: list[Row]
    injury_times: list[datetime]
    injuries: list[Row]


class ReplaySource:
    """A `Source` over the history tables of a warehouse."""

    name = "replay"

    def __init__(
        self,
        warehouse: Warehouse,
        config: ReplayConfig,
        *,
        season_types: Sequence[str] = DEFAULT_SEASON_TYPES,
    ) -> None:
        unknown = sorted(set(season_types) - set(SEASON_TYPES))
        if unknown or not season_types:
            raise SourceError(
                f"season_types must be a non-empty selection of {', '.join(SEASON_TYPES)}; "
                f"got {list(season_types)!r}."
            )
        self._warehouse = warehouse
        self._config = config
        self._season_types = frozenset(season_types)
        self._seasons: dict[int, _Season] = {}
        self._days: OrderedDict[date, _Day] = OrderedDict()
        self._played: OrderedDict[tuple[date, date], dict[str, int]] = OrderedDict()

    # -- the Source protocol ------------------------------------------------------------------

    def game_dates(self, start: date, end: date) -> list[date]:
        """Dates in [start, end] with at least one game of a served season type."""
        rows = self._warehouse.query(
            "SELECT DISTINCT game_date FROM nba_raw.history_games "
            "WHERE game_date BETWEEN ? AND ? AND list_contains(?, season_type) ORDER BY game_date",
            [start, end, sorted(self._season_types)],
        )
        return [row["game_date"] for row in rows]

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        now = naive_utc(as_of)
        return [
            {
                "game_id": game.game_id,
                "season": game.season,
                "season_type": game.season_type,
                "home_team": game.home_team,
                "away_team": game.away_team,
                "tipoff_utc": game.tipoff_utc,
                "status": "final" if now >= game.ends_utc else "scheduled",
            }
            for game in self._day(game_date).games
            if game.served
        ]

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        now = naive_utc(as_of)
        return [
            dict(row)
            for visible_from, row in self._day(game_date).player_rows
            if now >= visible_from
        ]

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        now = naive_utc(as_of)
        return [
            dict(row) for visible_from, row in self._day(game_date).team_rows if now >= visible_from
        ]

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        day = self._day(game_date)
        visible = bisect.bisect_right(day.line_times, naive_utc(as_of))
        latest: dict[tuple[str, str, str], Row] = {}
        for row in day.lines[:visible]:
            latest[(row["player_lookup"], row["market"], row["bookmaker"])] = row
        return [dict(row) for row in latest.values()]

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        wanted = set(markets)
        return len({
            row["player_lookup"] for row in self._day(game_date).lines
            if row["market"] in wanted and row["game_id"] is not None
        })

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        known = self._played.get((start, end))
        if known is not None:
            self._played.move_to_end((start, end))
            return dict(known)
        served = pa.array(self.game_dates(start, end), pa.date32())
        counts: dict[str, int] = {}
        first = start
        while first <= end:
            season = self._season(first)
            last = min(end, season.end)
            players = season.between("players", first, last)
            played = players.filter(
                pc.and_(pc.greater(players["minutes"], 0), pc.is_in(players["game_date"], served))
            )
            grouped = played.group_by("player_lookup").aggregate([("game_date", "count_distinct")])
            for player, games in zip(
                grouped["player_lookup"].to_pylist(),
                grouped["game_date_count_distinct"].to_pylist(),
                strict=True,
            ):
                counts[player] = counts.get(player, 0) + games
            first = last + timedelta(days=1)
        self._played[(start, end)] = counts
        _forget_oldest(self._played)
        return dict(counts)

    def expected_player_games(self, game_date: date) -> int | None:
        return len({row["game_id"] for _, row in self._day(game_date).player_rows})

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        day = self._day(game_date)
        visible = bisect.bisect_right(day.injury_times, naive_utc(as_of))
        latest: dict[str, Row] = {}
        for row in day.injuries[:visible]:
            latest[row["player_lookup"]] = row
        return [dict(row) for row in latest.values()]

    # -- loading ------------------------------------------------------------------------------

    def _day(self, game_date: date) -> _Day:
        day = self._days.get(game_date)
        if day is None:
            season = self._season(game_date)
            day = season.prepare(game_date)
            self._days[game_date] = day
            _forget_oldest(self._days)
        else:
            self._days.move_to_end(game_date)
        return day

    def _season(self, game_date: date) -> _Season:
        first_year = (
            game_date.year if game_date.month >= _SEASON_FIRST_MONTH else game_date.year - 1
        )
        season = self._seasons.get(first_year)
        if season is None:
            start = date(first_year, _SEASON_FIRST_MONTH, 1)
            end = date(first_year + 1, _SEASON_FIRST_MONTH, 1) - timedelta(days=1)
            season = _Season.load(
                self._warehouse, self._config, self._season_types, start=start, end=end
            )
            self._seasons[first_year] = season
        return season


def _forget_oldest(cache: OrderedDict[Any, Any]) -> None:
    """Keep the `CACHED_DAYS` entries used last (the cache is in order of use)."""
    while len(cache) > CACHED_DAYS:
        cache.popitem(last=False)


class _Season:
    """One season window of history as Arrow tables sorted by game_date, sliced lazily per date."""

    def __init__(
        self,
        config: ReplayConfig,
        season_types: frozenset[str],
        tables: dict[str, pa.Table],
        *,
        end: date,
    ) -> None:
        self.end = end
        self._config = config
        self._season_types = season_types
        self._tables = tables
        self._day_numbers = {
            name: table.column("game_date").cast(pa.int32()).to_numpy()
            for name, table in tables.items()
        }

    @classmethod
    def load(
        cls,
        warehouse: Warehouse,
        config: ReplayConfig,
        season_types: frozenset[str],
        *,
        start: date,
        end: date,
    ) -> _Season:
        window = [start, end]

        def read(table: str, columns: Sequence[str]) -> pa.Table:
            return warehouse.arrow(
                f"SELECT game_date, {', '.join(columns)} FROM nba_raw.{table} "
                "WHERE game_date BETWEEN ? AND ? "
                "ORDER BY game_date, source_key, source_line",
                window,
            )

        tables = {
            "games": warehouse.arrow(
                "SELECT * FROM nba_raw.history_games WHERE game_date BETWEEN ? AND ? "
                "ORDER BY game_date, game_id, source_key",
                window,
            ),
            "line_tipoffs": warehouse.arrow(
                "SELECT game_date, home_team, away_team, min(tipoff_utc) AS tipoff_utc "
                "FROM nba_raw.history_prop_lines "
                "WHERE game_date BETWEEN ? AND ? AND tipoff_utc IS NOT NULL "
                "GROUP BY ALL ORDER BY game_date",
                window,
            ),
            "players": read("history_player_boxscores", _PLAYER_COLUMNS),
            "teams": read("history_team_boxscores", ("game_id", *_TEAM_COLUMNS)),
            "lines": read("history_prop_lines", (*_LINE_COLUMNS, "tipoff_utc")),
            "injuries": read("history_injuries", _INJURY_COLUMNS),
        }
        return cls(config, season_types, tables, end=end)

    def rows(self, table: str, game_date: date) -> list[dict[str, Any]]:
        return self.between(table, game_date, game_date).to_pylist()

    def between(self, table: str, start: date, end: date) -> pa.Table:
        """The rows of `table` dated in [start, end]."""
        day_numbers = self._day_numbers[table]
        first = int(np.searchsorted(day_numbers, (start - _EPOCH).days, side="left"))
        last = int(np.searchsorted(day_numbers, (end - _EPOCH).days, side="right"))
        return self._tables[table].slice(first, last - first)

    def prepare(self, game_date: date) -> _Day:
        games = self._games(game_date)
        lines = self._timed_lines(game_date, games)
        injuries = sorted(
            (
                (row["reported_utc"], position, _pick(row, _INJURY_COLUMNS))
                for position, row in enumerate(self.rows("injuries", game_date))
            ),
            key=lambda item: (item[0], item[1]),
        )
        return _Day(
            games=games,
            player_rows=self._player_rows(game_date, games),
            team_rows=self._team_rows(game_date, games),
            line_times=[visible_from for visible_from, _, _ in lines],
            lines=[row for _, _, row in lines],
            injury_times=[reported for reported, _, _ in injuries],
            injuries=[row for _, _, row in injuries],
        )

    def _player_rows(self, game_date: date, games: list[_Game]) -> list[tuple[datetime, Row]]:
        """Served games' player lines with their game_id, found by (game_date, team)."""
        by_team: dict[str, _Game] = {}
        for scheduled in games:
            by_team.setdefault(scheduled.home_team, scheduled)
            by_team.setdefault(scheduled.away_team, scheduled)
        result: list[tuple[datetime, Row]] = []
        seen: set[tuple[str, str]] = set()
        for row in self.rows("players", game_date):
            game = by_team.get(row["team"])
            key = (row["player_lookup"], row["team"])
            if game is None or not game.served or key in seen:
                continue
            seen.add(key)
            result.append((game.ends_utc, {"game_id": game.game_id, **_pick(row, _PLAYER_COLUMNS)}))
        return result

    def _team_rows(self, game_date: date, games: list[_Game]) -> list[tuple[datetime, Row]]:
        by_id = {game.game_id: game for game in games}
        result: list[tuple[datetime, Row]] = []
        seen: set[tuple[str, str]] = set()
        for row in self.rows("teams", game_date):
            game = by_id.get(row["game_id"])
            key = (row["game_id"], row["team"])
            if game is None or not game.served or key in seen:
                continue
            seen.add(key)
            result.append((game.ends_utc, {"game_id": game.game_id, **_pick(row, _TEAM_COLUMNS)}))
        return result

    def _timed_lines(self, game_date: date, games: list[_Game]) -> list[tuple[datetime, int, Row]]:
        """Pre-game lines with the instant each becomes visible, in that order."""
        by_matchup = {(game.home_team, game.away_team): game for game in games}
        lead = timedelta(hours=self._config.line_lead_hours)
        result: list[tuple[datetime, int, Row]] = []
        for position, row in enumerate(self.rows("lines", game_date)):
            game = by_matchup.get((row["home_team"], row["away_team"]))
            if game is None:
                tipoff = row["tipoff_utc"] or self._default_tipoff(game_date)
            elif game.served:
                tipoff = game.tipoff_utc
            else:
                continue
            snapshot = row["snapshot_utc"]
            if snapshot is not None and snapshot >= tipoff:
                continue
            visible_from = snapshot if snapshot is not None else tipoff - lead
            game_id = game.game_id if game is not None else None
            result.append(
                (visible_from, position, {"game_id": game_id, **_pick(row, _LINE_COLUMNS)})
            )
        result.sort(key=lambda item: (item[0], item[1]))
        return result

    def _games(self, game_date: date) -> list[_Game]:
        line_tipoffs = {
            (row["home_team"], row["away_team"]): row["tipoff_utc"]
            for row in self.rows("line_tipoffs", game_date)
        }
        duration = timedelta(hours=self._config.game_duration_hours)
        games: dict[str, _Game] = {}
        for row in self.rows("games", game_date):
            if row["game_id"] in games:
                continue
            tipoff = (
                row["tipoff_utc"]
                or line_tipoffs.get((row["home_team"], row["away_team"]))
                or self._default_tipoff(game_date)
            )
            games[row["game_id"]] = _Game(
                game_id=row["game_id"],
                game_date=game_date,
                season=row["season"],
                season_type=row["season_type"],
                home_team=row["home_team"],
                away_team=row["away_team"],
                tipoff_utc=tipoff,
                ends_utc=tipoff + duration,
                served=row["season_type"] in self._season_types,
            )
        return sorted(games.values(), key=lambda game: (game.tipoff_utc, game.game_id))

    def _default_tipoff(self, game_date: date) -> datetime:
        hours = self._config.default_tipoff_hour_et
        local = datetime.combine(game_date, time(0, 0), tzinfo=_EASTERN) + timedelta(hours=hours)
        return local.astimezone(UTC).replace(tzinfo=None)


def _pick(row: dict[str, Any], columns: Sequence[str]) -> Row:
    return {column: row[column] for column in columns}
