"""Circuit breakers per source over a real loopback server, on virtual time, state in the database."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply

from nbaprops.clock import VirtualClock
from nbaprops.config import BreakerConfig, EspnSourceConfig, SourceRetryConfig
from nbaprops.errors import FailureKind, SourceBadRequestError, SourceCircuitOpenError, SourceServerError
from nbaprops.reliability.breakers import (
    CLOSED,
    HALF_OPEN,
    OPEN,
    BreakerDatabase,
    SourceBreaker,
    breaker_engine,
)
from nbaprops.sources.http import SourceClient
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.espn_scoreboard import PATH as SCOREBOARD_PATH
from nbaprops.sources.raw_store import RawStore

GAME_DATE = date(2025, 1, 10)
PATH = "/scoreboard"
START = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)


def client(base_url: str, clock: VirtualClock, raw_store: RawStore, breaker: SourceBreaker) -> SourceClient:
    config = EspnSourceConfig(base_url=base_url, retry=SourceRetryConfig(max_attempts=1))
    return SourceClient("espn", config, clock=clock, raw_store=raw_store, guard=breaker)


def fetch(source: SourceClient) -> bytes:
    return source.get("scoreboard", PATH, game_date=GAME_DATE).content


def test_five_failures_open_it_the_sixth_is_refused_and_a_probe_after_300_seconds_closes_it(
    loopback: LoopbackServer, raw_store: RawStore, breaker_db: BreakerDatabase
) -> None:
    clock = RecordingClock(START)
    breaker = SourceBreaker("espn", BreakerConfig(), database=breaker_db, clock=clock)
    loopback.route(PATH, *[Reply.status_only(503)] * 5, Reply.json({"events": []}))
    with client(loopback.base_url, clock, raw_store, breaker) as source:
        for _ in range(5):
            with pytest.raises(SourceServerError):
                fetch(source)
        assert breaker.state == OPEN
        with pytest.raises(SourceCircuitOpenError, match=r"espn: the circuit breaker is open .* no request is sent "
                           r"until 2025-01-10T18:05:00\+00:00 \(\[sources.espn.breaker\] reset_timeout_seconds\)"):
            fetch(source)
        assert len(loopback.requests_to(PATH)) == 5
        clock.sleep(299)
        with pytest.raises(SourceCircuitOpenError):
            fetch(source)
        assert len(loopback.requests_to(PATH)) == 5
        clock.sleep(1)
        assert fetch(source) == b'{"events": []}'
    assert len(loopback.requests_to(PATH)) == 6
    assert breaker.state == CLOSED
    assert clock.sleeps == [299, 1]
    events = breaker_db.events("espn")
    assert [(e.from_state, e.to_state, e.at) for e in events] == [
        (CLOSED, OPEN, START), (OPEN, HALF_OPEN, START + timedelta(seconds=300)),
        (HALF_OPEN, CLOSED, START + timedelta(seconds=300)),
    ]
    assert events[0].reason == "5 counted failures in a row reached fail_max"
    assert events[2].reason == "the probe succeeded: the source recovered and takes traffic back"


def test_a_failed_probe_opens_it_for_another_reset_timeout(
    loopback: LoopbackServer, raw_store: RawStore, breaker_db: BreakerDatabase
) -> None:
    clock = VirtualClock(START)
    breaker = SourceBreaker("espn", BreakerConfig(fail_max=2, reset_timeout_seconds=60), database=breaker_db,
                            clock=clock)
    loopback.route(PATH, Reply.status_only(500))
    with client(loopback.base_url, clock, raw_store, breaker) as source:
        for _ in range(2):
            with pytest.raises(SourceServerError):
                fetch(source)
        clock.sleep(60)
        with pytest.raises(SourceServerError):
            fetch(source)
        assert breaker.state == OPEN
        clock.sleep(59)
        with pytest.raises(SourceCircuitOpenError) as refused:
            fetch(source)
    assert refused.value.retry_at == START + timedelta(seconds=120)
    assert len(loopback.requests_to(PATH)) == 3
    assert [(e.from_state, e.to_state) for e in breaker_db.events("espn")] == [
        (CLOSED, OPEN), (OPEN, HALF_OPEN), (HALF_OPEN, OPEN)]


def test_a_success_resets_the_count_and_bad_requests_do_not_count(
    loopback: LoopbackServer, raw_store: RawStore, breaker_db: BreakerDatabase
) -> None:
    clock = VirtualClock(START)
    breaker = SourceBreaker("espn", BreakerConfig(), database=breaker_db, clock=clock)
    loopback.route(PATH, *[Reply.status_only(500)] * 4, Reply.json({}), *[Reply.status_only(500)] * 4,
                   *[Reply.status_only(400)] * 6)
    with client(loopback.base_url, clock, raw_store, breaker) as source:
        for expected in [SourceServerError] * 4 + [None] + [SourceServerError] * 4 + [SourceBadRequestError] * 6:
            if expected is None:
                fetch(source)
                continue
            with pytest.raises(expected):
                fetch(source)
    assert breaker.state == CLOSED
    assert len(loopback.requests_to(PATH)) == 15
    assert breaker_db.events() == []


@pytest.mark.parametrize(("kind", "counted"), [
    (FailureKind.SERVER_ERROR, True), (FailureKind.TIMEOUT, True), (FailureKind.CONNECTION, True),
    (FailureKind.BLOCKED, True), (FailureKind.AUTH, True), (FailureKind.MOVED, True),
    (FailureKind.RATE_LIMITED, True), (FailureKind.UNEXPECTED_STATUS, True),
    (FailureKind.BAD_REQUEST, False), (FailureKind.EMPTY, False), (FailureKind.SCHEMA_DRIFT, False),
    (FailureKind.QUOTA_EXHAUSTED, False),
])
def test_which_failures_count_by_default(kind: FailureKind, counted: bool, tmp_path: Path) -> None:
    database = BreakerDatabase(breaker_engine(f"sqlite:///{tmp_path / 'o.sqlite'}"))
    database.create()
    breaker = SourceBreaker("nbacom", BreakerConfig(fail_max=1), database=database, clock=VirtualClock(START))

    def failing() -> None:
        raise SourceServerError("down", kind=kind, source="nbacom", endpoint="schedule")

    with pytest.raises(SourceServerError):
        breaker.call(failing)
    assert breaker.state == (OPEN if counted else CLOSED)


def test_two_storage_instances_on_one_database_share_the_breaker(breaker_db: BreakerDatabase) -> None:
    clock = VirtualClock(START)
    other = BreakerDatabase(breaker_engine(breaker_db.engine.url.render_as_string(hide_password=False)),
                            schema=breaker_db.schema)
    first = SourceBreaker("odds_api", BreakerConfig(), database=breaker_db, clock=clock)
    second = SourceBreaker("odds_api", BreakerConfig(), database=other, clock=clock)
    calls: list[str] = []

    def failing() -> None:
        calls.append("sent")
        raise SourceServerError("down", kind=FailureKind.SERVER_ERROR, source="odds_api", endpoint="odds")

    for breaker in [first, second, first, second, first]:
        with pytest.raises(SourceServerError):
            breaker.call(failing)
    with pytest.raises(SourceCircuitOpenError):
        second.call(failing)
    assert len(calls) == 5 and second.state == OPEN
    other.engine.dispose()


def test_a_breaker_opened_by_another_process_refuses_here(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'orchestration.sqlite'}"
    script = f"""
from datetime import datetime, UTC
from nbaprops.clock import VirtualClock
from nbaprops.config import BreakerConfig
from nbaprops.errors import FailureKind, SourceServerError
from nbaprops.reliability.breakers import BreakerDatabase, SourceBreaker, breaker_engine
database = BreakerDatabase(breaker_engine({url!r}))
database.create()
breaker = SourceBreaker("nbacom", BreakerConfig(), database=database, clock=VirtualClock(datetime.now(UTC)))
def failing():
    raise SourceServerError("down", kind=FailureKind.SERVER_ERROR, source="nbacom", endpoint="schedule")
for _ in range(5):
    try:
        breaker.call(failing)
    except SourceServerError:
        pass
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    database = BreakerDatabase(breaker_engine(url))
    here = SourceBreaker("nbacom", BreakerConfig(), database=database, clock=VirtualClock(datetime.now(UTC)))
    with pytest.raises(SourceCircuitOpenError, match="nbacom: the circuit breaker is open"):
        here.call(lambda: pytest.fail("an open breaker must not call"))
    assert database.states()["nbacom"].failure_count == 5


def test_a_live_adapter_takes_the_breaker_as_its_guard(
    loopback: LoopbackServer, raw_store: RawStore, breaker_db: BreakerDatabase
) -> None:
    clock = VirtualClock(START)
    breaker = SourceBreaker("espn", BreakerConfig(fail_max=2), database=breaker_db, clock=clock)
    loopback.route(SCOREBOARD_PATH, Reply.status_only(502))
    config = EspnSourceConfig(base_url=loopback.base_url, retry=SourceRetryConfig(max_attempts=3, jitter_seconds=0))
    live = EspnSource(config, clock=clock, raw_store=raw_store, guard=breaker)
    try:
        for _ in range(2):
            with pytest.raises(SourceServerError):
                live.scoreboard(GAME_DATE)
        with pytest.raises(SourceCircuitOpenError, match="espn: the circuit breaker is open"):
            live.scoreboard(GAME_DATE)
    finally:
        live.close()
    assert len(loopback.requests_to(SCOREBOARD_PATH)) == 6  # two calls of three tries each, then none
    assert breaker_db.states()["espn"].failure_count == 2
