"""`LiveSource`: the `Source` protocol served by the live adapters through per-kind fallback chains.

Each data kind asks its chain (`[sources.chains]`) in order; every row names the source that
served it (`source`), and `record` keeps, per call, which source served and why the ones before
it fell. Games of sources without nba.com ids (ESPN, balldontlie, the odds feeds) join nba.com's
ids through the day's schedule by (home, away): two teams meet at most once a day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from nbaprops.config import SourceChainsConfig
from nbaprops.errors import ConfigError, FailureKind, SourceFailure
from nbaprops.identity import season_of
from nbaprops.sources.base import Row, naive_utc
from nbaprops.sources.chain import Fallen, Guard, Served, run_chain, tagged, unguarded
from nbaprops.sources.live import espn_scoreboard, nbacom_team_boxscore
from nbaprops.sources.live._games import EASTERN, game_ids_by_matchup, season_type_of
from nbaprops.sources.live.balldontlie import BallDontLieSource
from nbaprops.sources.live.bettingpros import BettingProsSource
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.odds_api import OddsApiSource
from nbaprops.sources.payload import Endpoint

Matchups = dict[tuple[str, str], str]
A = TypeVar("A")


@dataclass(frozen=True)
class LiveAdapters:
    """The fetching adapters a LiveSource may ask; one a chain names but is missing is a ConfigError."""

    nbacom: NbacomSource | None = None
    espn: EspnSource | None = None
    balldontlie: BallDontLieSource | None = None
    odds_api: OddsApiSource | None = None
    bettingpros: BettingProsSource | None = None

    def close(self) -> None:
        for adapter in (self.nbacom, self.espn, self.balldontlie, self.odds_api, self.bettingpros):
            if adapter is not None:
                adapter.close()


@dataclass(frozen=True)
class ChainRecord:
    """One chained fetch: what kind, for which date, which source served, and the ones that fell before."""

    data_kind: str
    game_date: date
    source: str
    fallen: tuple[Fallen, ...]


@dataclass(frozen=True)
class BoxScores:
    """A date's final games' team and player lines."""

    teams: list[Row]
    players: list[Row]


class LiveSource:
    """Schedule, box scores, prop lines and injuries of one game_date, each from the first source of its chain."""

    name = "live"

    def __init__(self, adapters: LiveAdapters, chains: SourceChainsConfig, *, guard: Guard = unguarded) -> None:
        for kind, names in chains.model_dump().items():
            missing = [name for name in names if getattr(adapters, name) is None]
            if missing:
                raise ConfigError(
                    f"sources.chains.{kind} names {', '.join(missing)}, but no such adapter was given; "
                    "configure [sources.<name>] or drop it from the chain."
                )
        self._adapters = adapters
        self._chains = chains
        self._guard = guard
        self._box_scores: dict[tuple[date, datetime], Served[BoxScores]] = {}
        self.record: list[ChainRecord] = []

    def close(self) -> None:
        self._adapters.close()

    def quota_left(self) -> dict[str, int]:
        """Requests left of each quota'd source, as its last answer said (none before one)."""
        odds_api = self._adapters.odds_api
        if odds_api is None or odds_api.quota is None or odds_api.quota.remaining is None:
            return {}
        return {"odds_api": odds_api.quota.remaining}

    # -- the Source protocol --------------------------------------------------------------------

    def game_dates(self, start: date, end: date) -> list[date]:
        """Dates in [start, end] whose schedule has games: nba.com's season schedules each read once, the
        other sources asked one date at a time; every payload is kept under `end`."""
        days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
        espn, balldontlie = self._adapters.espn, self._adapters.balldontlie
        calls: dict[str, Callable[[], list[date]]] = {
            "nbacom": lambda: self._nbacom_game_dates(days, stored_under=end),
            "espn": lambda: [day for day in days if _need(espn).scoreboard(day, stored_under=end).games],
            "balldontlie": lambda: [day for day in days if _need(balldontlie).games(day, stored_under=end)],
        }
        return list(self._run("schedule", end, self._chains.schedule, calls).value)

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        naive_utc(as_of)
        served = self._schedule(game_date)
        return tagged(served.value, served.source)

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        served = self._box_scores_of(game_date, as_of)
        return tagged(served.value.players, served.source)

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        served = self._box_scores_of(game_date, as_of)
        return tagged(served.value.teams, served.source)

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        ids = game_ids_by_matchup(self._schedule(game_date).value)
        calls: dict[str, Callable[[], list[Row]]] = {
            "odds_api": lambda: _need(self._adapters.odds_api).prop_lines(game_date, as_of=as_of),
            "bettingpros": lambda: _need(self._adapters.bettingpros).prop_lines(game_date, as_of=as_of),
        }
        served = self._run("props", game_date, self._chains.props, calls)
        return [
            {**row, "game_id": row["game_id"] or ids.get((row["home_team"], row["away_team"]))}
            for row in tagged(served.value, served.source)
        ]

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        calls: dict[str, Callable[[], list[Row]]] = {
            "nbacom": lambda: _need(self._adapters.nbacom).injury_report(
                game_date, report_time=last_report_time(as_of)),
            "balldontlie": lambda: _need(self._adapters.balldontlie).injuries(game_date),
        }
        served = self._run("injuries", game_date, self._chains.injuries, calls)
        return tagged(served.value, served.source)

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return None

    def expected_player_games(self, game_date: date) -> int | None:
        return None

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        return None

    # -- chains ---------------------------------------------------------------------------------

    def _schedule(self, game_date: date) -> Served[list[Row]]:
        calls: dict[str, Callable[[], list[Row]]] = {
            "nbacom": lambda: _need(self._adapters.nbacom).schedule(game_date, season=season_of(game_date)),
            "espn": lambda: _need(self._adapters.espn).scoreboard(game_date).games,
            "balldontlie": lambda: [
                {key: value for key, value in row.items() if key != "game_date"}
                | {"game_id": row["game_id"] or f"balldontlie:{row['source_game_id']}"}
                for row in _need(self._adapters.balldontlie).games(game_date)
            ],
        }
        return self._run("schedule", game_date, self._chains.schedule, calls)

    def _nbacom_game_dates(self, days: Sequence[date], *, stored_under: date) -> list[date]:
        nbacom = _need(self._adapters.nbacom)
        scheduled: set[date] = set()
        for season in sorted({season_of(day) for day in days}):
            scheduled.update(day for day, games in nbacom.season_schedule(season, game_date=stored_under).items()
                             if games)
        return [day for day in days if day in scheduled]

    def _box_scores_of(self, game_date: date, as_of: datetime) -> Served[BoxScores]:
        """Box scores of the schedule's final games (one chain run serves both player and team lines)."""
        key = (game_date, naive_utc(as_of))
        if key not in self._box_scores:
            final = [game for game in self._schedule(game_date).value if game["status"] == "final"]
            calls: dict[str, Callable[[], BoxScores]] = {
                "nbacom": lambda: self._nbacom_box_scores(game_date, final),
                "espn": lambda: self._espn_box_scores(game_date, final),
                "balldontlie": lambda: self._balldontlie_box_scores(game_date, final),
            }
            self._box_scores = {key: self._run("box_scores", game_date, self._chains.box_scores, calls)}
        return self._box_scores[key]

    def _nbacom_box_scores(self, game_date: date, final: list[Row]) -> BoxScores:
        nbacom = _need(self._adapters.nbacom)
        foreign = [game["game_id"] for game in final if season_type_of(game["game_id"]) is None]
        if foreign:
            raise SourceFailure(
                f"nbacom {nbacom_team_boxscore.ENDPOINT}: games {', '.join(foreign)} have no nba.com game id "
                "(the schedule came from another source), and nba.com box scores are asked by it.",
                kind=FailureKind.BAD_REQUEST, source=nbacom.name, endpoint=nbacom_team_boxscore.ENDPOINT,
            )
        return _joined(nbacom.boxscore(game_date, game["game_id"], home_team=game["home_team"]) for game in final)

    def _espn_box_scores(self, game_date: date, final: list[Row]) -> BoxScores:
        if not final:
            return BoxScores([], [])
        espn = _need(self._adapters.espn)
        events = espn.scoreboard(game_date, expected_games=len(final)).event_ids
        missing = [game["game_id"] for game in final if (game["home_team"], game["away_team"]) not in events]
        if missing:
            raise Endpoint(espn.name, espn_scoreboard.ENDPOINT).empty(f"event for games {', '.join(missing)}")
        return _joined(
            espn.boxscore(game_date, events[(game["home_team"], game["away_team"])], game_id=game["game_id"])
            for game in final
        )

    def _balldontlie_box_scores(self, game_date: date, final: list[Row]) -> BoxScores:
        if not final:
            return BoxScores([], [])
        lines = _need(self._adapters.balldontlie).box_scores(game_date, expected_games=len(final))
        ids = game_ids_by_matchup(final)
        return BoxScores(of_games(lines.teams, ids), of_games(lines.players, ids))

    def _run(
        self, kind: str, game_date: date, chain: Sequence[str], calls: Mapping[str, Callable[[], Any]]
    ) -> Served[Any]:
        served = run_chain(kind, [(name, calls[name]) for name in chain], guard=self._guard)
        self.record.append(ChainRecord(kind, game_date, served.source, served.fallen))
        return served


def of_games(rows: list[Row], ids: Matchups) -> list[Row]:
    """Team or player lines (team, opponent, is_home) of the games in `ids`, with their nba.com game id."""
    return [{**row, "game_id": ids[matchup]} for row in rows if (matchup := _matchup(row)) in ids]


def _matchup(line: Row) -> tuple[str, str]:
    return (line["team"], line["opponent"]) if line["is_home"] else (line["opponent"], line["team"])


def last_report_time(as_of: datetime) -> datetime:
    """The last nba.com injury report (on the hour or the half hour) at or before `as_of`, in US/Eastern.

    A report not yet up is a failure like any other, and the chain falls to its next source.
    """
    local = as_of.astimezone(EASTERN)
    return local.replace(minute=local.minute - local.minute % 30, second=0, microsecond=0)


def _joined(games: Iterator[tuple[list[Row], list[Row]]]) -> BoxScores:
    teams: list[Row] = []
    players: list[Row] = []
    for game_teams, game_players in games:
        teams.extend(game_teams)
        players.extend(game_players)
    return BoxScores(teams, players)


def _need(adapter: A | None) -> A:
    """The adapter (LiveSource checked at construction that every chained one is there)."""
    assert adapter is not None
    return adapter
