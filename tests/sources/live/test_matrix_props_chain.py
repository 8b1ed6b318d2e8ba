"""Issue 10's matrix, the props chain: The Odds API falls to BettingPros, whose offers are built from a real snapshot.

2025-01-10, GSW @ IND (tips 00:10 UTC on the 11th): the nba.com season schedule is its capture; The
Odds API's event odds and BettingPros' offers are both built from the real props_player_threes
snapshot of that day (odds_api_payloads.py, bettingpros_payloads.py; no capture of either exists);
BettingPros' events are its capture rewritten to the game. Whatever stops The Odds API (a 503, a 403,
its quota under the reserve) BettingPros serves the same game's lines, joined to nba.com's game id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.live.bettingpros_payloads import (
    BOOK_IDS,
    bettingpros_events_rewritten_to,
    bettingpros_offers_built_from_props_player_threes,
    snapshot_lines,
)
from tests.sources.live.odds_api_payloads import (
    THREES_EVENT_ID,
    THREES_GAME,
    THREES_SNAPSHOT,
    event_of,
    odds_api_event_odds_built_from_props_player_threes,
)
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import (
    BettingProsSourceConfig,
    NbaComSourceConfig,
    OddsApiSourceConfig,
    SourceChainsConfig,
    SourceRetryConfig,
)
from nbaprops.errors import FailureKind
from nbaprops.sources.live.bettingpros import (
    EVENTS_PATH,
    MARKET_IDS,
    OFFERS_PATH,
    BettingProsSource,
    parse_events,
    parse_offers,
)
from nbaprops.sources.live.chained import LiveAdapters, LiveSource
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.nbacom_schedule import SEASON_PATH
from nbaprops.sources.live.odds_api import OddsApiSource, event_odds_path, events_path
from nbaprops.sources.raw_store import RawStore

DAY, AS_OF = date(2025, 1, 10), datetime(2025, 1, 10, 20, 0, tzinfo=UTC)
BP_EVENT_ID = 99001
KEY = "props-chain-key-0123456789"


@pytest.fixture
def built(shared_fixtures: Path, shared_data: Path) -> dict[str, Any]:
    """The day's documents: The Odds API's event odds, BettingPros' events and offers pages (3 players a page)."""
    return {
        "odds": odds_api_event_odds_built_from_props_player_threes(
            shared_data / THREES_SNAPSHOT, game=THREES_GAME, event_id=THREES_EVENT_ID),
        "bp_events": bettingpros_events_rewritten_to(
            json.loads(captured(shared_fixtures, "bp_events").read_bytes()), event_id=BP_EVENT_ID, home="IND",
            visitor="GSW", scheduled="2025-01-11 00:10:00", season=2024),
        "bp_offers": bettingpros_offers_built_from_props_player_threes(
            shared_data / THREES_SNAPSHOT, game=THREES_GAME, event_id=BP_EVENT_ID, page_size=3),
    }


def test_the_built_offers_parse_into_the_snapshots_lines(shared_data: Path, built: dict[str, Any]) -> None:
    """Every line of the snapshot at a book BettingPros lists comes back, prices and all; nothing else does."""
    events = parse_events(built["bp_events"])
    rows = [row for page in built["bp_offers"] for row in parse_offers(page, events=events)]
    expected = {
        (line["player"], line["bookmaker"], float(line["line"]), int(line["over_odds"]), int(line["under_odds"]))
        for line in snapshot_lines(shared_data / THREES_SNAPSHOT, game=THREES_GAME)
    }
    assert len(rows) == len(expected) == 27, "8 players at 4 of the snapshot's 6 books (betonlineag, bovada: no id)"
    assert {(r["player_name"], r["bookmaker"], r["line"], r["over_price"], r["under_price"]) for r in rows} == expected
    assert {row["bookmaker"] for row in rows} == set(BOOK_IDS) & {"fanduel", "draftkings", "betmgm", "betrivers"}
    assert {(row["event_id"], row["home_team"], row["away_team"], row["market"]) for row in rows} == {
        (str(BP_EVENT_ID), "IND", "GSW", "threes")}
    assert {row["snapshot_utc"] for row in rows} == {datetime(2025, 1, 10, 20, 0)}


@pytest.fixture
def source(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[LiveSource]:
    url, once = loopback.base_url, SourceRetryConfig(max_attempts=1)
    kept: dict[str, Any] = {"clock": recording_clock, "raw_store": raw_store}
    adapters = LiveAdapters(
        nbacom=NbacomSource(NbaComSourceConfig(base_url=url, cdn_base_url=url, retry=once), **kept),
        odds_api=OddsApiSource(OddsApiSourceConfig(base_url=url, api_key=KEY, quota_reserve_requests=50,
                                                   retry=once), **kept),
        bettingpros=BettingProsSource(BettingProsSourceConfig(base_url=url, retry=once), **kept),
    )
    live = LiveSource(adapters, SourceChainsConfig(props=["odds_api", "bettingpros"], schedule=["nbacom"],
                                                   box_scores=["nbacom"], injuries=["nbacom"]))
    yield live
    live.close()


def serve(loopback: LoopbackServer, shared_fixtures: Path, built: dict[str, Any], *, remaining: int = 480) -> None:
    loopback.route(SEASON_PATH, Reply.file(captured(shared_fixtures, "nbac_schedule_api")))
    quota = {"x-requests-remaining": str(remaining)}
    loopback.route(events_path(), Reply.json([event_of(built["odds"])], headers=quota))
    loopback.route(event_odds_path(THREES_EVENT_ID), Reply.json(built["odds"], headers=quota))
    loopback.route(EVENTS_PATH, Reply.json(built["bp_events"]))
    loopback.route(OFFERS_PATH, Reply.json({"offers": [], "_pagination": {"page": 1, "total_pages": 1}}))
    threes = str(MARKET_IDS["threes"])
    for number, page in enumerate(built["bp_offers"], start=1):  # the snapshot's market only
        loopback.route(OFFERS_PATH, Reply.json(page), when={"page": str(number), "market_id": threes})


def test_the_odds_api_serves_while_it_answers(
    loopback: LoopbackServer, shared_fixtures: Path, built: dict[str, Any], source: LiveSource
) -> None:
    serve(loopback, shared_fixtures, built)
    lines = source.prop_lines(DAY, as_of=AS_OF)
    assert len(lines) == 42 and {row["source"] for row in lines} == {"odds_api"}
    assert loopback.requests_to(EVENTS_PATH) == [], "the second source is not asked"


@pytest.mark.parametrize(("stop", "kind"), [
    ("503", FailureKind.SERVER_ERROR), ("403", FailureKind.BLOCKED), ("quota", FailureKind.QUOTA_EXHAUSTED),
])
def test_bettingpros_serves_when_the_odds_api_cannot_and_joins_nba_coms_game(
    loopback: LoopbackServer, shared_fixtures: Path, built: dict[str, Any], source: LiveSource, stop: str,
    kind: FailureKind,
) -> None:
    serve(loopback, shared_fixtures, built, remaining=49 if stop == "quota" else 480)
    if stop != "quota":
        loopback.route(event_odds_path(THREES_EVENT_ID), Reply.status_only(int(stop)))
    (game,) = [row for row in source.schedule(DAY, as_of=AS_OF) if (row["home_team"], row["away_team"]) == (
        "IND", "GSW")]
    lines = source.prop_lines(DAY, as_of=AS_OF)
    assert len(lines) == 27 and {row["source"] for row in lines} == {"bettingpros"}
    assert {row["game_id"] for row in lines} == {game["game_id"]} and game["game_id"].startswith("00224")
    record = source.record[-1]
    assert (record.data_kind, record.source) == ("props", "bettingpros")
    assert [(fallen.source, fallen.kind) for fallen in record.fallen] == [("odds_api", kind)]
    asked = [(request.query["market_id"][0], request.query["page"][0]) for request in loopback.requests_to(OFFERS_PATH)]
    assert sorted(asked) == sorted([(str(MARKET_IDS[market]), "1") for market in ("points", "rebounds", "assists",
                                    "pra")] + [("162", "1"), ("162", "2"), ("162", "3")]), "every market, every page"
    if stop == "quota":
        assert "under the reserve of 50" in record.fallen[0].message
        assert loopback.requests_to(event_odds_path(THREES_EVENT_ID)) == [], "polling stopped before the odds"
