"""The Odds API adapter on real responses served over loopback: parse, quota budget, 429, 5xx, 403, empty, drift.

Captured: `oddsa_events_his/` (historical events), `odds_api_historical_game_lines/` (a historical
event's odds, game lines only). Player-prop event odds have no capture: they are built from the real
props_player_threes snapshot of 2025-01-10 (see odds_api_payloads.py) and say so in the fixture name.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sources.conftest import RecordingClock
from tests.sources.live.odds_api_payloads import (
    THREES_EVENT_ID,
    THREES_GAME,
    THREES_SNAPSHOT,
    event_of,
    odds_api_event_odds_built_from_props_player_threes,
)
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import OddsApiSourceConfig, SourceChainsConfig, SourceRetryConfig
from nbaprops.errors import (
    EmptyPayloadError,
    FailureKind,
    QuotaExhaustedError,
    SourceBlockedError,
    SourceSchemaError,
    SourceServerError,
)
from nbaprops.sources.live.chained import LiveAdapters, LiveSource
from nbaprops.sources.live.odds_api import (
    OddsApiSource,
    Quota,
    event_odds_params,
    event_odds_path,
    events_params,
    events_path,
    parse_event_odds,
    parse_historical_event_odds,
    parse_historical_events,
    read_quota,
)
from nbaprops.sources.raw_store import RawStore

KEY = "odds-test-key-0123456789"
GAME_DATE = date(2025, 1, 10)
AS_OF = datetime(2025, 1, 10, 20, 0, tzinfo=UTC)  # GSW @ IND tips 00:10 UTC, 4 h 10 min later
Built = tuple[Path, dict[str, Any]]


@pytest.fixture
def odds_api(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[OddsApiSource]:
    config = OddsApiSourceConfig(
        base_url=loopback.base_url, api_key=KEY, quota_reserve_requests=5,
        retry=SourceRetryConfig(max_attempts=3, backoff_initial_seconds=1.0, jitter_seconds=0.0),
    )
    source = OddsApiSource(config, clock=recording_clock, raw_store=raw_store)
    yield source
    source.close()


@pytest.fixture
def odds_api_event_odds_built_from_props_player_threes_2025_01_10(
    shared_data: Path, tmp_path: Path
) -> tuple[Path, dict[str, Any]]:
    """GSW @ IND on 2025-01-10 as The Odds API event odds, built from the real threes snapshot (no capture
    exists); written to tmp_path at test time, never committed. Returns the file and the document."""
    document = odds_api_event_odds_built_from_props_player_threes(
        shared_data / THREES_SNAPSHOT, game=THREES_GAME, event_id=THREES_EVENT_ID
    )
    path = tmp_path / "odds_api_event_odds_built_from_props_player_threes_2025-01-10.json"
    path.write_text(json.dumps(document))
    return path, document


# -- requests -------------------------------------------------------------------------------------


def test_requests_ask_for_the_eastern_day_the_five_markets_and_american_prices() -> None:
    assert events_path() == "/v4/sports/basketball_nba/events"
    assert event_odds_path("abc", historical=True) == "/v4/historical/sports/basketball_nba/events/abc/odds"
    assert events_params(GAME_DATE, api_key="k") == {
        "apiKey": "k", "dateFormat": "iso",
        "commenceTimeFrom": "2025-01-10T05:00:00Z", "commenceTimeTo": "2025-01-11T05:00:00Z",
    }
    params = event_odds_params(api_key="k", regions="us", markets=["points", "rebounds", "assists", "threes", "pra"],
                               at=datetime(2025, 1, 10, 20, 0, tzinfo=UTC))
    assert params["markets"] == (
        "player_points,player_rebounds,player_assists,player_threes,player_points_rebounds_assists"
    )
    assert (params["oddsFormat"], params["date"]) == ("american", "2025-01-10T20:00:00Z")
    with pytest.raises(ValueError, match=r"markets must be a non-empty selection of points, .*got \['steals'\]"):
        event_odds_params(api_key="k", regions="us", markets=["steals"])


@pytest.mark.parametrize(
    ("headers", "quota"),
    [
        ({"x-requests-remaining": "481", "x-requests-used": "19", "x-requests-last": "1"}, Quota(481, 19, 1)),
        ({"x-requests-remaining": "12.0"}, Quota(12, None, None)),
        ({}, None),
    ],
)
def test_read_quota(headers: dict[str, str], quota: Quota | None) -> None:
    assert read_quota(headers) == quota


# -- parsing real responses -----------------------------------------------------------------------


def test_parse_historical_events_capture(shared_fixtures: Path) -> None:
    rows = parse_historical_events(json.loads(captured(shared_fixtures, "oddsa_events_his").read_bytes()))
    assert len(rows) == 16
    assert sum(row["game_date"] == date(2025, 3, 9) for row in rows) == 6
    assert rows[0] == {
        "event_id": "242c77a8d5890e18bab91773ad32fcb5", "game_date": date(2025, 3, 9),
        "home_team": "NOP", "away_team": "MEM", "tipoff_utc": datetime(2025, 3, 9, 23, 11),
    }
    # 01:40 UTC on the 10th is 21:40 in New York on the 9th: the game belongs to the 9th
    assert rows[5]["game_date"] == date(2025, 3, 9) and rows[5]["home_team"] == "LAC"


def test_parse_historical_game_lines_capture_skips_markets_other_than_player_props(shared_fixtures: Path) -> None:
    payload = json.loads(captured(shared_fixtures, "odds_api_historical_game_lines").read_bytes())
    assert [m["key"] for b in payload["data"]["bookmakers"] for m in b["markets"]] == ["h2h", "h2h"]
    assert parse_historical_event_odds(payload) == []


def test_parse_event_odds_built_from_props_player_threes(
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    _, document = odds_api_event_odds_built_from_props_player_threes_2025_01_10
    rows = parse_event_odds(document)
    assert len(rows) == 42  # the snapshot's 42 lines of GSW @ IND: 8 players, 6 books
    assert len({row["player_lookup"] for row in rows}) == 8
    assert rows[0] == {
        "game_id": None, "event_id": THREES_EVENT_ID, "player_lookup": "dennisschroder",
        "player_name": "Dennis Schroder", "market": "threes", "bookmaker": "fanduel", "line": 2.5,
        "over_price": 148, "under_price": -192, "snapshot_utc": datetime(2025, 1, 10, 20, 0),
        "home_team": "IND", "away_team": "GSW",
    }


def test_a_historical_snapshot_dates_its_lines_by_its_timestamp(
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    _, document = odds_api_event_odds_built_from_props_player_threes_2025_01_10
    rows = parse_historical_event_odds({"timestamp": "2025-01-10T19:55:40Z", "data": document})
    assert len(rows) == 42 and {row["snapshot_utc"] for row in rows} == {datetime(2025, 1, 10, 19, 55, 40)}


def test_decimal_prices_read_as_american() -> None:
    document = {"id": "e", "home_team": "Indiana Pacers", "away_team": "Golden State Warriors", "bookmakers": [
        {"key": "fanduel", "markets": [{"key": "player_points", "outcomes": [
            {"name": "Over", "description": "Pascal Siakam", "price": 2.5, "point": 20.5},
            {"name": "Under", "description": "Pascal Siakam", "price": 1.5, "point": 20.5},
        ]}]},
    ]}
    (row,) = parse_event_odds(document)
    assert (row["over_price"], row["under_price"], row["snapshot_utc"]) == (150, -200, None)


# -- over loopback --------------------------------------------------------------------------------


def serve_day(loopback: LoopbackServer, built: Built, *odds_replies: Reply, remaining: int = 480) -> None:
    path, document = built
    quota = {"x-requests-remaining": str(remaining), "x-requests-used": "20", "x-requests-last": "1"}
    loopback.route(events_path(), Reply.json([event_of(document)], headers=quota))
    loopback.route(event_odds_path(THREES_EVENT_ID), *(odds_replies or (Reply.file(path),)))


def test_prop_lines_of_a_day_over_loopback(
    loopback: LoopbackServer, odds_api: OddsApiSource, raw_store: RawStore,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    serve_day(loopback, odds_api_event_odds_built_from_props_player_threes_2025_01_10)
    rows = odds_api.prop_lines(GAME_DATE, as_of=AS_OF)
    assert len(rows) == 42 and {row["market"] for row in rows} == {"threes"}
    (odds_request,) = loopback.requests_to(event_odds_path(THREES_EVENT_ID))
    assert odds_request.query["apiKey"] == [KEY] and odds_request.query["oddsFormat"] == ["american"]
    assert odds_api.quota == Quota(480, 20, 1)
    stored = raw_store.entries("odds_api", GAME_DATE)
    assert [entry.meta["endpoint"] for entry in stored] == ["events", "event_odds"]
    assert stored[0].meta["headers"]["x-requests-remaining"] == "480"
    assert all(KEY not in entry.meta_path.read_text() for entry in stored)


def test_historical_events_over_loopback(
    loopback: LoopbackServer, odds_api: OddsApiSource, shared_fixtures: Path
) -> None:
    loopback.route(events_path(historical=True), Reply.file(captured(shared_fixtures, "oddsa_events_his")))
    at = datetime(2025, 3, 9, 23, 55, 38, tzinfo=UTC)
    rows = odds_api.historical_events(date(2025, 3, 9), at=at)
    assert [row["home_team"] for row in rows] == ["NOP", "PHI", "MIL", "MIN", "POR", "LAC"]
    (request,) = loopback.requests_to(events_path(historical=True))
    assert request.query["date"] == ["2025-03-09T23:55:38Z"]


def test_historical_event_odds_over_loopback(
    loopback: LoopbackServer, odds_api: OddsApiSource, shared_fixtures: Path
) -> None:
    event_id = "cd0bc7d0c238f4446ce1c03d0cea7ec4"
    loopback.route(event_odds_path(event_id, historical=True),
                   Reply.file(captured(shared_fixtures, "odds_api_historical_game_lines")))
    at = datetime(2024, 1, 25, 3, 55, 40, tzinfo=UTC)
    assert odds_api.historical_event_odds(event_id, game_date=date(2024, 1, 24), at=at, markets=["threes"]) == []
    (request,) = loopback.requests_to(event_odds_path(event_id, historical=True))
    assert request.query["markets"] == ["player_threes"] and request.query["date"] == ["2024-01-25T03:55:40Z"]


def test_the_quota_budget_stops_polling_under_the_reserve(
    loopback: LoopbackServer, odds_api: OddsApiSource,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    serve_day(loopback, odds_api_event_odds_built_from_props_player_threes_2025_01_10, remaining=4)
    message = (
        r"^odds_api event_odds: 4 requests left, under the reserve of 5 \(\[sources\.odds_api\] "
        r"quota_reserve_requests\); polling stops until the quota renews"
    )
    with pytest.raises(QuotaExhaustedError, match=message) as caught:
        odds_api.prop_lines(GAME_DATE, as_of=AS_OF)
    assert caught.value.kind is FailureKind.QUOTA_EXHAUSTED and (caught.value.remaining, caught.value.reserve) == (4, 5)
    assert loopback.requests_to(event_odds_path(THREES_EVENT_ID)) == []


def test_429_then_the_odds(
    loopback: LoopbackServer, odds_api: OddsApiSource, recording_clock: RecordingClock,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    built = odds_api_event_odds_built_from_props_player_threes_2025_01_10
    serve_day(loopback, built, Reply.status_only(429, retry_after="2"), Reply.file(built[0]))
    assert len(odds_api.prop_lines(GAME_DATE, as_of=AS_OF)) == 42
    assert recording_clock.sleeps == [2.0]


def test_5xx_on_every_attempt_fails_as_server_error(
    loopback: LoopbackServer, odds_api: OddsApiSource, recording_clock: RecordingClock,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    serve_day(loopback, odds_api_event_odds_built_from_props_player_threes_2025_01_10, Reply.status_only(503))
    with pytest.raises(SourceServerError, match=r"odds_api event_odds answered 503 .*attempt 3 of 3"):
        odds_api.prop_lines(GAME_DATE, as_of=AS_OF)
    assert recording_clock.sleeps == [1.0, 2.0]


def test_403_fails_at_once_as_blocked(
    loopback: LoopbackServer, odds_api: OddsApiSource,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    serve_day(loopback, odds_api_event_odds_built_from_props_player_threes_2025_01_10, Reply.status_only(403))
    with pytest.raises(SourceBlockedError, match=r"odds_api event_odds answered 403 .*apiKey=REDACTED"):
        odds_api.prop_lines(GAME_DATE, as_of=AS_OF)
    assert len(loopback.requests_to(event_odds_path(THREES_EVENT_ID))) == 1


def test_no_props_for_a_game_tipping_within_the_window_is_an_empty_payload(
    loopback: LoopbackServer, odds_api: OddsApiSource,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    built = odds_api_event_odds_built_from_props_player_threes_2025_01_10
    serve_day(loopback, built, Reply.json({**built[1], "bookmakers": []}))
    message = r"odds_api event_odds: the 200 response holds no player props for event .* \(GSW @ IND\), which tips"
    with pytest.raises(EmptyPayloadError, match=message) as caught:
        odds_api.prop_lines(GAME_DATE, as_of=AS_OF)
    assert caught.value.kind is FailureKind.EMPTY
    # the same empty answer 10 hours before tip-off is no failure: books have not posted yet
    assert odds_api.prop_lines(GAME_DATE, as_of=datetime(2025, 1, 10, 14, 0, tzinfo=UTC)) == []


def test_an_empty_body_is_an_empty_payload(
    loopback: LoopbackServer, odds_api: OddsApiSource,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    serve_day(loopback, odds_api_event_odds_built_from_props_player_threes_2025_01_10, Reply(200, b""))
    with pytest.raises(EmptyPayloadError, match=r"odds_api event_odds: the 200 response has an empty body"):
        odds_api.prop_lines(GAME_DATE, as_of=AS_OF)


def test_a_renamed_field_is_drift_naming_source_endpoint_and_field(
    loopback: LoopbackServer, odds_api: OddsApiSource,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    built = odds_api_event_odds_built_from_props_player_threes_2025_01_10
    drifted = copy.deepcopy(built[1])
    for book in drifted["bookmakers"]:
        for market in book["markets"]:
            for outcome in market["outcomes"]:
                outcome["participant"] = outcome.pop("description")
    serve_day(loopback, built, Reply.json(drifted))
    message = r"^odds_api event_odds: the field 'bookmakers\[\]\.markets\[\]\.outcomes\[\]\.description' is missing"
    with pytest.raises(SourceSchemaError, match=message) as caught:
        odds_api.prop_lines(GAME_DATE, as_of=AS_OF)
    assert caught.value.field == "bookmakers[].markets[].outcomes[].description"


_OUTCOMES = st.lists(
    st.tuples(st.sampled_from(["Over", "Under"]), st.sampled_from(["Pascal Siakam", "Stephen Curry", "Buddy Hield"]),
              st.sampled_from([0.5, 1.5, 2.5]), st.integers(-400, 400).filter(lambda price: abs(price) >= 100)),
    max_size=30,
)


@given(outcomes=_OUTCOMES)
def test_one_row_per_player_and_point_with_the_last_price_of_each_side(
    outcomes: list[tuple[str, str, float, int]],
) -> None:
    document = {"id": "e", "home_team": "Indiana Pacers", "away_team": "Golden State Warriors", "bookmakers": [
        {"key": "fanduel", "markets": [{"key": "player_threes", "outcomes": [
            {"name": side, "description": player, "point": point, "price": price}
            for side, player, point, price in outcomes
        ]}]},
    ]}
    rows = parse_event_odds(document)
    assert len(rows) == len({(player, point) for _, player, point, _ in outcomes})
    for row in rows:
        for side in ("Over", "Under"):
            prices = [p for s, player, point, p in outcomes
                      if (s, player, point) == (side, row["player_name"], row["line"])]
            assert row[f"{side.lower()}_price"] == (prices[-1] if prices else None)


def test_no_events_on_a_date_the_schedule_has_games_for_is_an_empty_payload(
    loopback: LoopbackServer, odds_api: OddsApiSource
) -> None:
    loopback.route(events_path(), Reply.json([]))
    assert odds_api.events(GAME_DATE) == []  # nobody said there are games: an empty list may be right
    with pytest.raises(EmptyPayloadError, match=r"odds_api events: the 200 response holds no events for 2025-01-10, "
                       r"where the schedule has 7 games"):
        odds_api.events(GAME_DATE, expected_games=7)


def test_a_live_source_reports_the_quota_left_its_last_answer_said(
    loopback: LoopbackServer, odds_api: OddsApiSource,
    odds_api_event_odds_built_from_props_player_threes_2025_01_10: Built,
) -> None:
    # Only the props chain: built without validation, which wants every kind served.
    chains = SourceChainsConfig.model_construct(props=["odds_api"], schedule=[], box_scores=[], injuries=[])
    live = LiveSource(LiveAdapters(odds_api=odds_api), chains)
    assert live.quota_left() == {}  # no answer yet
    serve_day(loopback, odds_api_event_odds_built_from_props_player_threes_2025_01_10, remaining=37)
    odds_api.prop_lines(GAME_DATE, as_of=AS_OF)  # through its adapter: the chain would want a schedule too
    assert live.quota_left() == {"odds_api": 37}
