"""Issue 10's matrix, the breaker column: each source's own adapter under its circuit breaker, over loopback.

Per source (one endpoint each, its real payload from test_matrix_http's cases): `fail_max` 503s in a
row open the breaker (state and events in a SQLite orchestration database); the next call is refused
without a request; after `reset_timeout_seconds` on the virtual clock one probe goes through, parses
the real payload, closes the breaker, and every change of state is recorded as an event.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.live.test_matrix_http import CASES, KEY, Case, Payloads
from tests.sources.loopback import LoopbackServer, Reply

from nbaprops.config import (
    BallDontLieSourceConfig,
    BettingProsSourceConfig,
    BreakerConfig,
    EspnSourceConfig,
    NbaComSourceConfig,
    OddsApiSourceConfig,
    SourceRetryConfig,
)
from nbaprops.errors import SourceCircuitOpenError, SourceServerError
from nbaprops.reliability.breakers import CLOSED, HALF_OPEN, OPEN, BreakerDatabase, SourceBreaker, breaker_engine
from nbaprops.sources.live.balldontlie import BallDontLieSource
from nbaprops.sources.live.bettingpros import BettingProsSource
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.odds_api import OddsApiSource
from nbaprops.sources.raw_store import RawStore

START = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)
GUARDED = {  # one endpoint per source
    "nbacom": "scoreboardv2", "espn": "scoreboard", "odds_api": "event_odds", "bettingpros": "events",
    "balldontlie": "box_scores",
}
BREAKER_CASES = [case for case in CASES if GUARDED.get(case.source) == case.endpoint]


@pytest.fixture
def payloads(shared_fixtures: Path, shared_data: Path) -> Payloads:
    return Payloads(shared_fixtures, shared_data)


@pytest.fixture
def breaker_db(tmp_path: Path) -> Iterator[BreakerDatabase]:
    database = BreakerDatabase(breaker_engine(f"sqlite:///{tmp_path / 'orchestration.sqlite'}"))
    database.create()
    yield database
    database.engine.dispose()


def guarded_adapter(source: str, base_url: str, clock: RecordingClock, raw_store: RawStore,
                    breaker: SourceBreaker) -> Any:
    """`source`'s adapter at `base_url`, one attempt a call, every call through `breaker`."""
    once = SourceRetryConfig(max_attempts=1)
    kept: dict[str, Any] = {"clock": clock, "raw_store": raw_store, "guard": breaker}
    if source == "nbacom":
        return NbacomSource(NbaComSourceConfig(base_url=base_url, cdn_base_url=base_url, retry=once), **kept)
    if source == "espn":
        return EspnSource(EspnSourceConfig(base_url=base_url, web_base_url=base_url, retry=once), **kept)
    if source == "odds_api":
        return OddsApiSource(OddsApiSourceConfig(base_url=base_url, api_key=KEY, quota_reserve_requests=0,
                                                 retry=once), **kept)
    if source == "bettingpros":
        return BettingProsSource(BettingProsSourceConfig(base_url=base_url, retry=once), **kept)
    return BallDontLieSource(BallDontLieSourceConfig(base_url=base_url, api_key=KEY, retry=once), **kept)


def test_one_case_per_source() -> None:
    assert sorted(case.source for case in BREAKER_CASES) == sorted(GUARDED)


@pytest.mark.parametrize("case", BREAKER_CASES, ids=str)
def test_the_breaker_opens_after_fail_max_probes_half_open_and_the_source_takes_traffic_back(
    case: Case, payloads: Payloads, loopback: LoopbackServer, raw_store: RawStore, breaker_db: BreakerDatabase
) -> None:
    clock = RecordingClock(START)
    breaker = SourceBreaker(case.source, BreakerConfig(fail_max=2, reset_timeout_seconds=60), database=breaker_db,
                            clock=clock)
    loopback.route(case.path, Reply.status_only(503), Reply.status_only(503), case.reply(payloads))
    adapter = guarded_adapter(case.source, loopback.base_url, clock, raw_store, breaker)
    try:
        for _ in range(2):
            with pytest.raises(SourceServerError, match=rf"^{case.source} {case.endpoint} answered 503"):
                case.call(adapter, payloads)
        assert breaker.state == OPEN and breaker_db.states()[case.source].failure_count == 2
        with pytest.raises(SourceCircuitOpenError, match=rf"^{case.source}: the circuit breaker is open") as refused:
            case.call(adapter, payloads)
        assert (refused.value.source, refused.value.retry_at) == (case.source, START + timedelta(seconds=60))
        assert len(loopback.requests_to(case.path)) == 2, "refused without a request"

        clock.sleep(59)
        with pytest.raises(SourceCircuitOpenError):
            case.call(adapter, payloads)
        clock.sleep(1)
        assert case.call(adapter, payloads) == case.rows, "the probe parsed the real payload"
        assert breaker.state == CLOSED and len(loopback.requests_to(case.path)) == 3
        assert case.call(adapter, payloads) == case.rows, "closed again: traffic flows"
    finally:
        adapter.close()
    events = breaker_db.events(case.source)
    assert [(event.from_state, event.to_state, event.at) for event in events] == [
        (CLOSED, OPEN, START), (OPEN, HALF_OPEN, START + timedelta(seconds=60)),
        (HALF_OPEN, CLOSED, START + timedelta(seconds=60)),
    ]
    assert events[-1].reason == "the probe succeeded: the source recovered and takes traffic back"
    assert breaker_db.events() == events, "no other source's breaker moved"
