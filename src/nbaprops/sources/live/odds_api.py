"""The Odds API (v4): NBA events and player-prop event odds, live and historical, under a quota budget.

Markets: points, rebounds, assists, threes, pra (keys `player_points`, `player_rebounds`,
`player_assists`, `player_threes`, `player_points_rebounds_assists`). The key travels as the
`apiKey` query parameter and is redacted from stored URLs. Each response's quota headers
(`x-requests-remaining`, `x-requests-used`, `x-requests-last`) are kept in its raw sidecar and in
`OddsApiSource.quota`; once fewer than `quota_reserve_requests` remain, no request is sent and
QuotaExhaustedError (kind `quota_exhausted`) is raised for alerting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from nbaprops.clock import Clock
from nbaprops.config import ALL_MARKETS, OddsApiSourceConfig
from nbaprops.errors import QuotaExhaustedError
from nbaprops.identity import bookmaker_key
from nbaprops.sources.base import Row, naive_utc
from nbaprops.sources.http import CallGuard, Fetched, Params, SourceClient
from nbaprops.sources.live._common import (
    american_price,
    eastern_date,
    eastern_day_bounds,
    iso_z,
    missing_props,
    player_key,
    tricode,
    utc_instant,
)
from nbaprops.sources.payload import Endpoint
from nbaprops.sources.raw_store import RawStore

SOURCE = "odds_api"
SPORT = "basketball_nba"
MARKET_KEYS: dict[str, str] = {
    "points": "player_points",
    "rebounds": "player_rebounds",
    "assists": "player_assists",
    "threes": "player_threes",
    "pra": "player_points_rebounds_assists",
}
_MARKET_OF_KEY = {key: market for market, key in MARKET_KEYS.items()}
EVENTS = Endpoint(SOURCE, "events")
EVENT_ODDS = Endpoint(SOURCE, "event_odds")
HISTORICAL_EVENTS = Endpoint(SOURCE, "historical_events")
HISTORICAL_EVENT_ODDS = Endpoint(SOURCE, "historical_event_odds")


@dataclass(frozen=True)
class Quota:
    """The request counters The Odds API sends with every answer."""

    remaining: int | None
    used: int | None
    last: int | None


def read_quota(headers: Mapping[str, str]) -> Quota | None:
    """The quota counters in `headers`; None when the answer carried none."""
    values = [_int_or_none(headers.get(f"x-requests-{name}")) for name in ("remaining", "used", "last")]
    return None if all(value is None for value in values) else Quota(*values)


# -- requests (pure) ------------------------------------------------------------------------------


def events_path(*, historical: bool = False) -> str:
    return f"/v4/historical/sports/{SPORT}/events" if historical else f"/v4/sports/{SPORT}/events"


def event_odds_path(event_id: str, *, historical: bool = False) -> str:
    return f"{events_path(historical=historical)}/{event_id}/odds"


def events_params(game_date: date, *, api_key: str, at: datetime | None = None) -> dict[str, str]:
    """Events tipping on `game_date` (US Eastern); `at` makes it the historical snapshot at that instant."""
    start, end = eastern_day_bounds(game_date)
    params = {
        "apiKey": api_key, "dateFormat": "iso", "commenceTimeFrom": iso_z(start), "commenceTimeTo": iso_z(end),
    }
    return params if at is None else {**params, "date": iso_z(at)}


def event_odds_params(
    *, api_key: str, regions: str, markets: Sequence[str], at: datetime | None = None
) -> dict[str, str]:
    """Player-prop odds of one event in American prices; `at` makes it the historical snapshot."""
    unknown = sorted(set(markets) - set(MARKET_KEYS))
    if unknown or not markets:
        raise ValueError(f"markets must be a non-empty selection of {', '.join(MARKET_KEYS)}; got {list(markets)!r}")
    params = {
        "apiKey": api_key, "regions": regions, "markets": ",".join(MARKET_KEYS[m] for m in markets),
        "oddsFormat": "american", "dateFormat": "iso",
    }
    return params if at is None else {**params, "date": iso_z(at)}


# -- parsing (pure) -------------------------------------------------------------------------------


def parse_events(payload: Any, *, where: Endpoint = EVENTS) -> list[Row]:
    """Events: event_id, game_date (US Eastern date of tip), home_team, away_team, tipoff_utc."""
    if not isinstance(payload, list):
        raise where.drift("(body)", f"is a {type(payload).__name__}, not the list of events")
    rows = []
    for event in payload:
        tipoff = utc_instant(where, where.field(event, "commence_time", str, at="[]"), "[].commence_time")
        rows.append({
            "event_id": where.field(event, "id", str, at="[]"),
            "game_date": eastern_date(tipoff),
            "home_team": tricode(where, where.field(event, "home_team", str, at="[]"), "[].home_team"),
            "away_team": tricode(where, where.field(event, "away_team", str, at="[]"), "[].away_team"),
            "tipoff_utc": tipoff,
        })
    return rows


def parse_historical_events(payload: Any) -> list[Row]:
    """The events of a historical snapshot (`{"timestamp", "data": [events]}`)."""
    return parse_events(HISTORICAL_EVENTS.field(payload, "data", list), where=HISTORICAL_EVENTS)


def parse_event_odds(
    payload: Any, *, snapshot_utc: datetime | None = None, where: Endpoint = EVENT_ODDS
) -> list[Row]:
    """One event's player-prop odds as `nba_raw.player_prop_lines` rows (without game_date and game_id).

    An Over and an Under of the same book, market, player and point make one row. Markets other
    than the five are skipped. snapshot_utc: the given instant (a historical snapshot's timestamp),
    else the market's `last_update`, else the book's.
    """
    event_id = where.field(payload, "id", str)
    home = tricode(where, where.field(payload, "home_team", str), "home_team")
    away = tricode(where, where.field(payload, "away_team", str), "away_team")
    lines: dict[tuple[str, str, str, float], Row] = {}
    for book in where.field(payload, "bookmakers", list):
        bookmaker = bookmaker_key(where.field(book, "key", str, at="bookmakers[]"))
        book_update = where.optional(book, "last_update", str, at="bookmakers[]")
        for market_block in where.field(book, "markets", list, at="bookmakers[]"):
            market = _MARKET_OF_KEY.get(where.field(market_block, "key", str, at="bookmakers[].markets[]"))
            if market is None:
                continue
            update = where.optional(market_block, "last_update", str, at="bookmakers[].markets[]") or book_update
            taken = snapshot_utc
            if taken is None and update is not None:
                taken = utc_instant(where, update, "bookmakers[].markets[].last_update")
            for outcome in where.field(market_block, "outcomes", list, at="bookmakers[].markets[]"):
                _add_outcome(where, lines, outcome, event_id, bookmaker, market, taken, home, away)
    return list(lines.values())


def parse_historical_event_odds(payload: Any) -> list[Row]:
    """A historical snapshot's event odds (`{"timestamp", "data": {event}}`), taken at its timestamp."""
    where = HISTORICAL_EVENT_ODDS
    taken = utc_instant(where, where.field(payload, "timestamp", str), "timestamp")
    return parse_event_odds(where.field(payload, "data", dict), snapshot_utc=taken, where=where)


def _add_outcome(
    where: Endpoint,
    lines: dict[tuple[str, str, str, float], Row],
    outcome: Any,
    event_id: str,
    bookmaker: str,
    market: str,
    snapshot_utc: datetime | None,
    home: str,
    away: str,
) -> None:
    at = "bookmakers[].markets[].outcomes[]"
    side = where.field(outcome, "name", str, at=at).lower()
    if side not in ("over", "under"):
        raise where.drift(f"{at}.name", f"holds {side!r}, not Over or Under")
    player_name = where.field(outcome, "description", str, at=at)
    point = where.number(outcome, "point", at=at)
    price = american_price(where.number(outcome, "price", at=at))
    row = lines.setdefault((bookmaker, market, player_name, point), {
        "game_id": None, "event_id": event_id, "player_lookup": player_key(player_name),
        "player_name": player_name, "market": market, "bookmaker": bookmaker, "line": point,
        "over_price": None, "under_price": None, "snapshot_utc": snapshot_utc,
        "home_team": home, "away_team": away,
    })
    row[f"{side}_price"] = price


# -- fetching -------------------------------------------------------------------------------------


class OddsApiSource:
    """Fetches through the shared HTTP discipline into the raw store; parses with the functions above."""

    name = SOURCE

    def __init__(
        self,
        config: OddsApiSourceConfig,
        *,
        clock: Clock,
        raw_store: RawStore,
        props_expected_within_hours: float = 6.0,
        transport: httpx.BaseTransport | None = None,
        guard: CallGuard | None = None,
    ) -> None:
        self._config = config
        self._clock = clock
        self._props_window = timedelta(hours=props_expected_within_hours)
        self._client = SourceClient(SOURCE, config, clock=clock, raw_store=raw_store, transport=transport, guard=guard)
        self.quota: Quota | None = None

    def close(self) -> None:
        self._client.close()

    def events(self, game_date: date, *, expected_games: int | None = None) -> list[Row]:
        """Upcoming events tipping on `game_date`; none where `expected_games` says there are some fails."""
        fetched = self._get(EVENTS, events_path(), game_date, events_params(game_date, api_key=self._key()))
        rows = [row for row in parse_events(EVENTS.json(fetched.content)) if row["game_date"] == game_date]
        if expected_games:
            EVENTS.non_empty(rows, f"events for {game_date}, where the schedule has {expected_games} games")
        return rows

    def event_odds(self, event_id: str, *, game_date: date, markets: Sequence[str] = ALL_MARKETS) -> list[Row]:
        params = event_odds_params(api_key=self._key(), regions=self._config.regions, markets=markets)
        fetched = self._get(EVENT_ODDS, event_odds_path(event_id), game_date, params)
        return parse_event_odds(EVENT_ODDS.json(fetched.content))

    def historical_events(self, game_date: date, *, at: datetime) -> list[Row]:
        """Events tipping on `game_date` as the snapshot at `at` listed them."""
        params = events_params(game_date, api_key=self._key(), at=at)
        fetched = self._get(HISTORICAL_EVENTS, events_path(historical=True), game_date, params)
        rows = parse_historical_events(HISTORICAL_EVENTS.json(fetched.content))
        return [row for row in rows if row["game_date"] == game_date]

    def historical_event_odds(
        self, event_id: str, *, game_date: date, at: datetime, markets: Sequence[str] = ALL_MARKETS
    ) -> list[Row]:
        params = event_odds_params(api_key=self._key(), regions=self._config.regions, markets=markets, at=at)
        fetched = self._get(HISTORICAL_EVENT_ODDS, event_odds_path(event_id, historical=True), game_date, params)
        return parse_historical_event_odds(HISTORICAL_EVENT_ODDS.json(fetched.content))

    def prop_lines(self, game_date: date, *, as_of: datetime, markets: Sequence[str] = ALL_MARKETS) -> list[Row]:
        """Lines of every `game_date` event not yet started at `as_of`.

        An event tipping within `props_expected_within_hours` of `as_of` without a single line is
        EmptyPayloadError: books always post props by then, so an empty answer means a failure.
        """
        now = naive_utc(as_of)
        rows: list[Row] = []
        for event in self.events(game_date):
            if event["tipoff_utc"] <= now:
                continue
            lines = self.event_odds(event["event_id"], game_date=game_date, markets=markets)
            if not lines and event["tipoff_utc"] - now <= self._props_window:
                raise missing_props(EVENT_ODDS, event, self._props_window)
            rows.extend(lines)
        return rows

    def _key(self) -> str:
        return self._config.api_key.get_secret_value() if self._config.api_key else ""

    def _get(self, where: Endpoint, path: str, game_date: date, params: Params) -> Fetched:
        reserve = self._config.quota_reserve_requests
        if self.quota is not None and self.quota.remaining is not None and self.quota.remaining < reserve:
            raise QuotaExhaustedError(
                f"{where}: {self.quota.remaining} requests left, under the reserve of {reserve} "
                "([sources.odds_api] quota_reserve_requests); polling stops until the quota renews. "
                "Upgrade the plan, wait for the monthly reset, or lower the reserve.",
                source=SOURCE, endpoint=where.endpoint, remaining=self.quota.remaining, reserve=reserve,
            )
        fetched = self._client.get(where.endpoint, path, game_date=game_date, params=params)
        self.quota = read_quota(fetched.headers) or self.quota
        return fetched


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None
