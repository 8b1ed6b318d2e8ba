"""BettingPros (v3): NBA events and player-prop offers, paged by `page=` up to `_pagination.total_pages`.

Events are captured (`bp_events/`). Offers are not: their shape here (offers[] -> participants[],
selections[] over/under -> books[] -> lines[] with line, cost, main) is the one public scrapers of
`/v3/offers` read. The key, when set, travels in the `x-api-key` header. BettingPros event ids are
its own: rows carry them as `event_id`, with `game_id` None for the identity map to fill.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from nbaprops.clock import Clock
from nbaprops.config import ALL_MARKETS, BettingProsSourceConfig
from nbaprops.seasons import season_name
from nbaprops.sources.base import Row, naive_utc
from nbaprops.sources.http import CallGuard, SourceClient
from nbaprops.sources.live._common import american_price, eastern_date, missing_props, player_key, tricode, utc_instant
from nbaprops.sources.payload import Endpoint
from nbaprops.sources.raw_store import RawStore

SOURCE = "bettingpros"
EVENTS = Endpoint(SOURCE, "events")
OFFERS = Endpoint(SOURCE, "offers")
EVENTS_PATH = "/v3/events"
OFFERS_PATH = "/v3/offers"
MARKET_IDS: dict[str, int] = {"points": 156, "rebounds": 157, "assists": 151, "threes": 162, "pra": 335}
_MARKET_OF_ID = {market_id: market for market, market_id in MARKET_IDS.items()}
# BettingPros book ids -> The Odds API keys; 0 is BettingPros' own consensus, not a book.
BOOKS: dict[int, str] = {
    10: "fanduel", 12: "draftkings", 13: "williamhill_us", 18: "betrivers", 19: "betmgm", 24: "bet365",
    33: "espnbet",
}
CONSENSUS_BOOK = 0
SEASON_TYPES = {"PRE": "preseason", "REG": "regular", "PST": "playoffs", "POST": "playoffs", "PIT": "play_in"}
STATUSES = {"closed": "final", "complete": "final", "postponed": "postponed"}


# -- requests (pure) ------------------------------------------------------------------------------


def auth_headers(config: BettingProsSourceConfig) -> dict[str, str]:
    return {"x-api-key": config.api_key.get_secret_value()} if config.api_key else {}


def events_params(game_date: date) -> dict[str, str]:
    return {"sport": "NBA", "date": game_date.isoformat()}


def offers_params(event_ids: Sequence[str], market: str, *, page: int = 1) -> dict[str, str | int]:
    return {
        "sport": "NBA", "market_id": MARKET_IDS[market], "event_id": ":".join(event_ids),
        "location": "ALL", "live": "false", "page": page,
    }


def total_pages(payload: Any) -> int:
    """`_pagination.total_pages` of an offers page; 1 when the page says nothing of paging."""
    paging = OFFERS.optional(payload, "_pagination", dict)
    return 1 if paging is None else int(OFFERS.number(paging, "total_pages", at="_pagination"))


# -- parsing (pure) -------------------------------------------------------------------------------


def parse_events(payload: Any) -> list[Row]:
    """Events: event_id, game_date, season, season_type, home_team, away_team, tipoff_utc, status."""
    where, at = EVENTS, "events[]"
    rows = []
    for event in where.field(payload, "events", list):
        tipoff = utc_instant(where, where.field(event, "scheduled", str, at=at), f"{at}.scheduled")
        game_date = eastern_date(tipoff)
        status = where.field(event, "status", str, at=at).lower()
        rows.append({
            "event_id": str(where.field(event, "id", int, at=at)),
            "game_date": game_date,
            "season": season_name(game_date),
            "season_type": SEASON_TYPES.get(where.field(event, "season_type", str, at=at).upper(), "regular"),
            "home_team": tricode(where, where.field(event, "home", str, at=at), f"{at}.home"),
            "away_team": tricode(where, where.field(event, "visitor", str, at=at), f"{at}.visitor"),
            "tipoff_utc": tipoff,
            "status": STATUSES.get(status, "scheduled"),
        })
    return rows


def parse_offers(payload: Any, *, events: Sequence[Row]) -> list[Row]:
    """One offers page as `nba_raw.player_prop_lines` rows (game_id None, event_id BettingPros' id).

    Each book's main line (else its first active one) of the over and the under make one row;
    the consensus "book" 0 is skipped; offers of events not in `events` are skipped.
    """
    where, at = OFFERS, "offers[]"
    by_id = {event["event_id"]: event for event in events}
    rows: dict[tuple[str, str, str, float], Row] = {}
    for offer in where.field(payload, "offers", list):
        event = by_id.get(str(where.field(offer, "event_id", int, at=at)))
        market = _MARKET_OF_ID.get(where.field(offer, "market_id", int, at=at))
        participants = where.field(offer, "participants", list, at=at)
        if event is None or market is None or not participants:
            continue
        player_name = where.field(participants[0], "name", str, at=f"{at}.participants[]")
        for selection in where.field(offer, "selections", list, at=at):
            side = where.field(selection, "selection", str, at=f"{at}.selections[]").lower()
            if side not in ("over", "under"):
                continue
            for book in where.field(selection, "books", list, at=f"{at}.selections[]"):
                book_id = where.field(book, "id", int, at=f"{at}.selections[].books[]")
                line = _main_line(where, where.field(book, "lines", list, at=f"{at}.selections[].books[]"))
                if book_id == CONSENSUS_BOOK or line is None:
                    continue
                bookmaker = BOOKS.get(book_id, f"bettingpros_book_{book_id}")
                lines_at = f"{at}.selections[].books[].lines[]"
                point = where.number(line, "line", at=lines_at)
                updated = where.optional(line, "updated", str, at=lines_at)
                row = rows.setdefault((bookmaker, market, player_name, point), {
                    "game_id": None, "event_id": event["event_id"], "player_lookup": player_key(player_name),
                    "player_name": player_name, "market": market, "bookmaker": bookmaker, "line": point,
                    "over_price": None, "under_price": None,
                    "snapshot_utc": utc_instant(where, updated, f"{lines_at}.updated") if updated else None,
                    "home_team": event["home_team"], "away_team": event["away_team"],
                })
                row[f"{side}_price"] = american_price(where.number(line, "cost", at=lines_at))
    return list(rows.values())


def _main_line(where: Endpoint, lines: list[Any]) -> Any | None:
    active = [line for line in lines if where.optional(line, "active", bool) is not False]
    main = [line for line in active if where.optional(line, "main", bool)]
    return (main or active or [None])[0]


# -- fetching -------------------------------------------------------------------------------------


class BettingProsSource:
    """Fetches through the shared HTTP discipline into the raw store, every offers page."""

    name = SOURCE

    def __init__(
        self,
        config: BettingProsSourceConfig,
        *,
        clock: Clock,
        raw_store: RawStore,
        props_expected_within_hours: float = 6.0,
        transport: httpx.BaseTransport | None = None,
        guard: CallGuard | None = None,
    ) -> None:
        self._props_window = timedelta(hours=props_expected_within_hours)
        self._client = SourceClient(
            SOURCE, config, clock=clock, raw_store=raw_store, headers=auth_headers(config), transport=transport,
            guard=guard,
        )

    def close(self) -> None:
        self._client.close()

    def events(self, game_date: date, *, expected_games: int | None = None) -> list[Row]:
        """Events of `game_date`; none where `expected_games` says there are some fails."""
        fetched = self._client.get(EVENTS.endpoint, EVENTS_PATH, game_date=game_date, params=events_params(game_date))
        rows = [row for row in parse_events(EVENTS.json(fetched.content)) if row["game_date"] == game_date]
        if expected_games:
            EVENTS.non_empty(rows, f"events for {game_date}, where the schedule has {expected_games} games")
        return rows

    def offers(self, game_date: date, events: Sequence[Row], market: str) -> list[Row]:
        """Every page of `market` offers for `events`."""
        event_ids = [event["event_id"] for event in events]
        rows: list[Row] = []
        page, last_page = 1, 1
        while page <= last_page:
            fetched = self._client.get(OFFERS.endpoint, OFFERS_PATH, game_date=game_date,
                                       params=offers_params(event_ids, market, page=page))
            payload = OFFERS.json(fetched.content)
            rows.extend(parse_offers(payload, events=events))
            last_page = total_pages(payload)
            page += 1
        return rows

    def prop_lines(self, game_date: date, *, as_of: datetime, markets: Sequence[str] = ALL_MARKETS) -> list[Row]:
        """Lines of the `game_date` events not yet started; none for an event tipping within the window fails."""
        now = naive_utc(as_of)
        upcoming = [event for event in self.events(game_date) if event["tipoff_utc"] > now]
        if not upcoming:
            return []
        rows = [row for market in markets for row in self.offers(game_date, upcoming, market)]
        with_lines = {row["event_id"] for row in rows}
        for event in upcoming:
            if event["event_id"] not in with_lines and event["tipoff_utc"] - now <= self._props_window:
                raise missing_props(OFFERS, event, self._props_window)
        return rows
