"""BettingPros over loopback: captured events; offers (no capture) in a small documented-shape document.

OFFERS_PAGE_1/2 below follow the shape public scrapers of /v3/offers read (offers[] -> participants[],
selections[] over/under -> books[] -> lines[]); no offers response is captured in shared fixtures.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import BettingProsSourceConfig, SourceRetryConfig
from nbaprops.errors import EmptyPayloadError, SourceBlockedError, SourceSchemaError, SourceServerError
from nbaprops.sources.live.bettingpros import (
    EVENTS_PATH,
    OFFERS_PATH,
    BettingProsSource,
    offers_params,
    parse_events,
    parse_offers,
)
from nbaprops.sources.raw_store import RawStore

GAME_DATE = date(2021, 10, 21)
AS_OF = datetime(2021, 10, 21, 20, 0, tzinfo=UTC)  # ATL-DAL tips 23:30 UTC
KEY = "bp-test-key-0123456789"


def offer(event_id: int, market_id: int, player: str, team: str, line: float, over: int, under: int) -> dict[str, Any]:
    def side(name: str, cost: int) -> dict[str, Any]:
        return {"selection": name, "label": name.title(), "books": [
            {"id": 0, "lines": [{"line": line, "cost": cost, "main": True, "active": True}]},  # consensus: skipped
            {"id": 12, "lines": [
                {"line": line + 1, "cost": cost + 40, "main": False, "active": True, "updated": "2021-10-21 17:00:00"},
                {"line": line, "cost": cost, "main": True, "active": True, "updated": "2021-10-21 18:05:00"},
            ]},
        ]}
    return {"event_id": event_id, "market_id": market_id,
            "participants": [{"id": "1", "name": player, "player": {"team": team}}],
            "selections": [side("over", over), side("under", under)]}


OFFERS_PAGE_1 = {"offers": [offer(20879, 156, "Trae Young", "ATL", 25.5, -115, -105),
                            offer(20880, 156, "Giannis Antetokounmpo", "MIL", 29.5, -110, -110)],
                 "_pagination": {"page": 1, "limit": 2, "total_pages": 2, "total_items": 3}}
OFFERS_PAGE_2 = {"offers": [offer(20881, 156, "Stephen Curry", "GSW", 27.5, 100, -130)],
                 "_pagination": {"page": 2, "limit": 2, "total_pages": 2, "total_items": 3}}


def bp_events(shared_fixtures: Path) -> Any:
    return json.loads(captured(shared_fixtures, "bp_events").read_bytes())


@pytest.fixture
def bettingpros(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> Iterator[BettingProsSource]:
    config = BettingProsSourceConfig(
        base_url=loopback.base_url, api_key=KEY,
        retry=SourceRetryConfig(max_attempts=2, backoff_initial_seconds=1.0, jitter_seconds=0.0),
    )
    source = BettingProsSource(config, clock=recording_clock, raw_store=raw_store)
    yield source
    source.close()


def test_parse_events_capture(shared_fixtures: Path) -> None:
    rows = parse_events(bp_events(shared_fixtures))
    assert [(row["away_team"], row["home_team"]) for row in rows] == [("DAL", "ATL"), ("MIL", "MIA"), ("LAC", "GSW")]
    assert rows[2] == {
        "event_id": "20881", "game_date": date(2021, 10, 21), "season": "2021-22", "season_type": "regular",
        "home_team": "GSW", "away_team": "LAC", "tipoff_utc": datetime(2021, 10, 22, 2, 0), "status": "final",
    }


def test_parse_offers_documented_shape(shared_fixtures: Path) -> None:
    rows = parse_offers(OFFERS_PAGE_1, events=parse_events(bp_events(shared_fixtures)))
    assert len(rows) == 2
    assert rows[0] == {
        "game_id": None, "event_id": "20879", "player_lookup": "traeyoung", "player_name": "Trae Young",
        "market": "points", "bookmaker": "draftkings", "line": 25.5, "over_price": -115, "under_price": -105,
        "snapshot_utc": datetime(2021, 10, 21, 18, 5), "home_team": "ATL", "away_team": "DAL",
    }


def test_offers_params() -> None:
    assert offers_params(["20879", "20880"], "threes", page=2) == {
        "sport": "NBA", "market_id": 162, "event_id": "20879:20880", "location": "ALL", "live": "false", "page": 2,
    }


def serve_events(loopback: LoopbackServer, shared_fixtures: Path) -> None:
    loopback.route(EVENTS_PATH, Reply.file(captured(shared_fixtures, "bp_events")))


def test_prop_lines_read_every_offers_page(
    loopback: LoopbackServer, bettingpros: BettingProsSource, shared_fixtures: Path
) -> None:
    serve_events(loopback, shared_fixtures)
    loopback.route(OFFERS_PATH, Reply.json(OFFERS_PAGE_1), when={"page": "1"})
    loopback.route(OFFERS_PATH, Reply.json(OFFERS_PAGE_2), when={"page": "2"})
    rows = bettingpros.prop_lines(GAME_DATE, as_of=AS_OF, markets=["points"])
    assert [row["player_lookup"] for row in rows] == ["traeyoung", "giannisantetokounmpo", "stephencurry"]
    first, second = loopback.requests_to(OFFERS_PATH)
    assert (first.query["page"], second.query["page"]) == (["1"], ["2"])
    assert first.query["event_id"] == ["20879:20880:20881"] and first.headers["x-api-key"] == KEY


def test_429_then_offers(
    loopback: LoopbackServer, bettingpros: BettingProsSource, shared_fixtures: Path, recording_clock: RecordingClock
) -> None:
    serve_events(loopback, shared_fixtures)
    loopback.route(OFFERS_PATH, Reply.status_only(429, retry_after="3"), Reply.json({**OFFERS_PAGE_1, "_pagination": {
        "page": 1, "total_pages": 1}}))
    assert len(bettingpros.offers(GAME_DATE, parse_events(bp_events(shared_fixtures)), "points")) == 2
    assert recording_clock.sleeps == [3.0]


def test_5xx_fails_after_retries(loopback: LoopbackServer, bettingpros: BettingProsSource) -> None:
    loopback.route(EVENTS_PATH, Reply.status_only(502))
    with pytest.raises(SourceServerError, match=r"bettingpros events answered 502 .*attempt 2 of 2"):
        bettingpros.events(GAME_DATE)


def test_403_is_blocked_at_once(loopback: LoopbackServer, bettingpros: BettingProsSource) -> None:
    loopback.route(EVENTS_PATH, Reply.status_only(403))
    with pytest.raises(SourceBlockedError, match=r"bettingpros events answered 403"):
        bettingpros.events(GAME_DATE)
    assert len(loopback.requests_to(EVENTS_PATH)) == 1


def test_no_offers_for_games_tipping_soon_is_an_empty_payload(
    loopback: LoopbackServer, bettingpros: BettingProsSource, shared_fixtures: Path
) -> None:
    serve_events(loopback, shared_fixtures)
    loopback.route(OFFERS_PATH, Reply.json({"offers": [], "_pagination": {"page": 1, "total_pages": 0}}))
    with pytest.raises(EmptyPayloadError, match=r"bettingpros offers: .*no player props for event 20879 \(DAL @ ATL\)"):
        bettingpros.prop_lines(GAME_DATE, as_of=AS_OF, markets=["points"])


def test_a_renamed_field_is_drift(
    loopback: LoopbackServer, bettingpros: BettingProsSource, shared_fixtures: Path
) -> None:
    drifted = copy.deepcopy(bp_events(shared_fixtures))
    for event in drifted["events"]:
        event["away"] = event.pop("visitor")
    loopback.route(EVENTS_PATH, Reply.json(drifted))
    with pytest.raises(SourceSchemaError, match=r"^bettingpros events: the field 'events\[\]\.visitor' is missing"):
        bettingpros.events(GAME_DATE)


def test_no_events_on_a_date_with_games_is_an_empty_payload(
    loopback: LoopbackServer, bettingpros: BettingProsSource
) -> None:
    loopback.route(EVENTS_PATH, Reply.json({"events": []}))
    with pytest.raises(EmptyPayloadError, match=r"bettingpros events: the 200 response holds no events for 2021-10-21"):
        bettingpros.events(GAME_DATE, expected_games=3)
