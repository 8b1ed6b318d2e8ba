"""balldontlie (v1): games, box scores and injuries, with its cursor pagination and API key.

The key goes in the `Authorization` header. Lists page with `per_page=` and `cursor=`: each page's
`meta.next_cursor` names the next one, and its absence ends the list. balldontlie knows no NBA
game id, so rows carry `game_id` None and `source_game_id` where the payload has one; the identity
map fills `game_id` from the schedule by (game_date, team), as replay does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx

from nbaprops.clock import Clock
from nbaprops.config import BallDontLieSourceConfig
from nbaprops.seasons import season_name
from nbaprops.sources.base import Row, naive_utc
from nbaprops.sources.http import CallGuard, Params, SourceClient
from nbaprops.sources.live._common import player_key, tricode, utc_instant
from nbaprops.sources.payload import Endpoint
from nbaprops.sources.raw_store import RawStore

SOURCE = "balldontlie"
GAMES = Endpoint(SOURCE, "games")
BOX_SCORES = Endpoint(SOURCE, "box_scores")
INJURIES = Endpoint(SOURCE, "player_injuries")
GAMES_PATH = "/v1/games"
BOX_SCORES_PATH = "/v1/box_scores"
INJURIES_PATH = "/v1/player_injuries"
# balldontlie team ids 1..30 are the franchises in alphabetical order of city.
TEAM_IDS: dict[int, str] = dict(enumerate((
    "ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW", "HOU", "IND", "LAC", "LAL", "MEM",
    "MIA", "MIL", "MIN", "NOP", "NYK", "OKC", "ORL", "PHI", "PHX", "POR", "SAC", "SAS", "TOR", "UTA", "WAS",
), start=1))
# balldontlie's injury statuses -> ours. "Day-To-Day" has no exact match: questionable is its usual meaning.
INJURY_STATUSES = {
    "out": "out", "doubtful": "doubtful", "questionable": "questionable", "day-to-day": "questionable",
    "probable": "probable", "available": "available",
}
_STAT_FIELDS = (  # our column, balldontlie's field
    ("pts", "pts"), ("reb", "reb"), ("ast", "ast"), ("fg3m", "fg3m"), ("fg3a", "fg3a"), ("fgm", "fgm"),
    ("fga", "fga"), ("ftm", "ftm"), ("fta", "fta"), ("oreb", "oreb"), ("dreb", "dreb"), ("stl", "stl"),
    ("blk", "blk"), ("tov", "turnover"), ("pf", "pf"),
)
_TEAM_SUMS = ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf")


@dataclass(frozen=True)
class BoxScores:
    """A date's box scores as `nba_raw.player_boxscores` and `nba_raw.team_boxscores` rows."""

    players: list[Row]
    teams: list[Row]


# -- requests (pure) ------------------------------------------------------------------------------


def auth_headers(config: BallDontLieSourceConfig) -> dict[str, str]:
    """The key in the `Authorization` header, bare (no scheme), as balldontlie asks."""
    return {"authorization": config.api_key.get_secret_value()} if config.api_key else {}


def games_params(game_date: date, *, per_page: int, cursor: int | None = None) -> dict[str, str | int | list[str]]:
    return _page({"dates[]": [game_date.isoformat()], "per_page": per_page}, cursor)


def injuries_params(*, per_page: int, cursor: int | None = None) -> dict[str, str | int | list[str]]:
    return _page({"per_page": per_page}, cursor)


def box_scores_params(game_date: date) -> dict[str, str]:
    return {"date": game_date.isoformat()}


def _page(params: dict[str, str | int | list[str]], cursor: int | None) -> dict[str, str | int | list[str]]:
    return params if cursor is None else {**params, "cursor": cursor}


def next_cursor(payload: Any, where: Endpoint) -> int | None:
    """The cursor of the page after `payload`; None on the last page."""
    meta = where.optional(payload, "meta", dict)
    return None if meta is None else where.optional(meta, "next_cursor", int, at="meta")


# -- parsing (pure) -------------------------------------------------------------------------------


def parse_games(items: list[Any]) -> list[Row]:
    """`data[]` of /v1/games as `nba_raw.schedule` rows (game_id None, source_game_id balldontlie's id)."""
    where, at = GAMES, "data[]"
    rows = []
    for game in items:
        game_date = date.fromisoformat(where.field(game, "date", str, at=at)[:10])
        status = where.field(game, "status", str, at=at)
        when = where.optional(game, "datetime", str, at=at) or (status if status[:1].isdigit() else None)
        rows.append({
            "game_id": None,
            "source_game_id": str(where.field(game, "id", int, at=at)),
            "game_date": game_date,
            "season": season_name(game_date),
            "season_type": "playoffs" if where.field(game, "postseason", bool, at=at) else "regular",
            "home_team": _team(where, game, "home_team", at),
            "away_team": _team(where, game, "visitor_team", at),
            "tipoff_utc": utc_instant(where, when, f"{at}.datetime") if when else None,
            "status": {"final": "final", "postponed": "postponed"}.get(status.lower(), "scheduled"),
        })
    return rows


def parse_box_scores(payload: Any, *, final_only: bool = True) -> BoxScores:
    """/v1/box_scores: every player line, and team lines summed from them (team points from the score)."""
    where = BOX_SCORES
    players: list[Row] = []
    teams: list[Row] = []
    for game in where.field(payload, "data", list):
        at = "data[]"
        if final_only and where.field(game, "status", str, at=at).lower() != "final":
            continue
        home, away = _team(where, game, "home_team", at), _team(where, game, "visitor_team", at)
        scores = {home: where.optional(game, "home_team_score", int, at=at),
                  away: where.optional(game, "visitor_team_score", int, at=at)}
        for side, team, opponent in (("home_team", home, away), ("visitor_team", away, home)):
            lines = [
                _player_line(where, line, team=team, opponent=opponent, is_home=side == "home_team")
                for line in where.field(where.field(game, side, dict, at=at), "players", list, at=f"{at}.{side}")
            ]
            players.extend(lines)
            teams.append(_team_line(lines, team=team, opponent=opponent, is_home=side == "home_team",
                                    points=scores[team], opponent_points=scores[opponent]))
    return BoxScores(players, teams)


def parse_injuries(items: list[Any], *, reported_utc: datetime) -> list[Row]:
    """`data[]` of /v1/player_injuries as `nba_raw.injury_report` rows, reported at `reported_utc`.

    balldontlie gives no report time: the fetch time stands in. `reason` is its description.
    """
    where, at = INJURIES, "data[]"
    rows = []
    for item in items:
        player = where.field(item, "player", dict, at=at)
        name = f"{where.field(player, 'first_name', str, at=f'{at}.player')} " \
               f"{where.field(player, 'last_name', str, at=f'{at}.player')}"
        team_id = where.field(player, "team_id", int, at=f"{at}.player")
        raw_status = where.field(item, "status", str, at=at)
        status = INJURY_STATUSES.get(raw_status.lower())
        if team_id not in TEAM_IDS:
            raise where.drift(f"{at}.player.team_id", f"holds {team_id}, which is no balldontlie NBA team id (1-30)")
        if status is None:
            raise where.drift(f"{at}.status", f"holds {raw_status!r}, which is none of {', '.join(INJURY_STATUSES)}")
        rows.append({
            "team": TEAM_IDS[team_id], "player_lookup": player_key(name), "player_name": name,
            "status": status, "reason": where.optional(item, "description", str, at=at),
            "reported_utc": reported_utc,
        })
    return rows


def _team(where: Endpoint, game: Any, side: str, at: str) -> str:
    team = where.field(game, side, dict, at=at)
    return tricode(where, where.field(team, "abbreviation", str, at=f"{at}.{side}"), f"{at}.{side}.abbreviation")


def _player_line(where: Endpoint, line: Any, *, team: str, opponent: str, is_home: bool) -> Row:
    at = "data[].players[]"
    player = where.field(line, "player", dict, at=at)
    name = f"{where.field(player, 'first_name', str, at=f'{at}.player')} " \
           f"{where.field(player, 'last_name', str, at=f'{at}.player')}"
    if "min" not in line:
        raise where.drift(f"{at}.min", "is missing from the payload")
    row: Row = {
        "game_id": None, "player_lookup": player_key(name), "player_name": name, "team": team,
        "opponent": opponent, "is_home": is_home, "minutes": _minutes(where, line.get("min")),
    }
    for column, field in _STAT_FIELDS:
        if field not in line:
            raise where.drift(f"{at}.{field}", "is missing from the payload")
        row[column] = where.optional(line, field, int, at=at)
    row["plus_minus"] = None  # balldontlie box scores carry none
    return row


def _minutes(where: Endpoint, value: Any) -> float:
    """"28", "28:30" or empty (did not play) as minutes."""
    if value is None or value == "":
        return 0.0
    text = str(value)
    minutes, _, seconds = text.partition(":")
    try:
        return int(minutes) + (int(seconds) / 60 if seconds else 0.0)
    except ValueError:
        raise where.drift("data[].players[].min", f"holds {text!r}, which is no minutes value") from None


def _team_line(
    lines: list[Row], *, team: str, opponent: str, is_home: bool, points: int | None, opponent_points: int | None
) -> Row:
    row: Row = {"game_id": None, "team": team, "opponent": opponent, "is_home": is_home}
    row["win"] = None if points is None or opponent_points is None else points > opponent_points
    row["minutes"] = round(sum(line["minutes"] for line in lines), 2)
    row["pts"] = points if points is not None else sum(line["pts"] or 0 for line in lines)
    for column in _TEAM_SUMS:
        row[column] = sum(line[column] or 0 for line in lines)
    return row


# -- fetching -------------------------------------------------------------------------------------


class BallDontLieSource:
    """Fetches through the shared HTTP discipline into the raw store, following cursors to the end."""

    name = SOURCE

    def __init__(
        self,
        config: BallDontLieSourceConfig,
        *,
        clock: Clock,
        raw_store: RawStore,
        transport: httpx.BaseTransport | None = None,
        guard: CallGuard | None = None,
    ) -> None:
        self._config = config
        self._clock = clock
        self._client = SourceClient(
            SOURCE, config, clock=clock, raw_store=raw_store, headers=auth_headers(config), transport=transport,
            guard=guard,
        )

    def close(self) -> None:
        self._client.close()

    def games(
        self, game_date: date, *, expected_games: int | None = None, stored_under: date | None = None
    ) -> list[Row]:
        """Schedule rows of `game_date` (payloads kept under `stored_under`, default `game_date`); none when
        `expected_games` says there are some is EmptyPayloadError."""
        per_page = self._config.per_page
        items = list(self._pages(GAMES, GAMES_PATH, stored_under or game_date,
                                 lambda cursor: games_params(game_date, per_page=per_page, cursor=cursor)))
        if expected_games:
            GAMES.non_empty(items, f"games for {game_date}, where the schedule has {expected_games}")
        return parse_games(items)

    def box_scores(self, game_date: date, *, expected_games: int | None = None) -> BoxScores:
        """Box scores of the games of `game_date` that are final."""
        fetched = self._client.get(BOX_SCORES.endpoint, BOX_SCORES_PATH, game_date=game_date,
                                   params=box_scores_params(game_date))
        payload = BOX_SCORES.json(fetched.content)
        if expected_games:
            BOX_SCORES.non_empty(BOX_SCORES.field(payload, "data", list),
                                 f"box scores for {game_date}, where the schedule has {expected_games} games")
        return parse_box_scores(payload)

    def injuries(self, game_date: date) -> list[Row]:
        """The current injury list, every page, stored under `game_date` and reported at the fetch time."""
        per_page = self._config.per_page
        items = list(self._pages(INJURIES, INJURIES_PATH, game_date,
                                 lambda cursor: injuries_params(per_page=per_page, cursor=cursor)))
        return parse_injuries(items, reported_utc=naive_utc(self._clock.now()))

    def _pages(self, where: Endpoint, path: str, game_date: date, params_for: Any) -> Iterator[Any]:
        cursor: int | None = None
        seen: set[int] = set()
        while True:
            params: Params = params_for(cursor)
            fetched = self._client.get(where.endpoint, path, game_date=game_date, params=params)
            payload = where.json(fetched.content)
            yield from where.field(payload, "data", list)
            cursor = next_cursor(payload, where)
            if cursor is None:
                return
            if cursor in seen:
                raise where.drift("meta.next_cursor", f"repeats {cursor}, so the pages would never end")
            seen.add(cursor)
