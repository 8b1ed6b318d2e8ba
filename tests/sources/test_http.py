"""The HTTP discipline over a real loopback server: what is retried, how long it waits, what fails at once."""

from __future__ import annotations

import json
import socket
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply

from nbaprops.config import EspnSourceConfig, SourceRetryConfig
from nbaprops.errors import (
    FailureKind,
    SourceAuthError,
    SourceBadRequestError,
    SourceBlockedError,
    SourceFailure,
    SourceMovedError,
    SourceRateLimitedError,
    SourceServerError,
    SourceStatusError,
    SourceUnreachableError,
)
from nbaprops.sources.http import SourceClient, retry_after_seconds
from nbaprops.sources.raw_store import RawStore

GAME_DATE = date(2025, 1, 10)
PATH = "/scoreboard"


def client_for(
    base_url: str, clock: RecordingClock, raw_store: RawStore, **config: Any
) -> SourceClient:
    config.setdefault(
        "retry",
        SourceRetryConfig(max_attempts=4, backoff_initial_seconds=1.0, backoff_max_seconds=5.0, jitter_seconds=0.5),
    )
    settings = EspnSourceConfig(base_url=base_url, **config)
    return SourceClient("espn", settings, clock=clock, raw_store=raw_store)


def test_a_200_returns_the_bytes_as_served(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.json({"events": [1, 2]}))
    with client_for(loopback.base_url, recording_clock, raw_store) as client:
        fetched = client.get("scoreboard", PATH, game_date=GAME_DATE, params={"dates": "20250110"})
    assert json.loads(fetched.content) == {"events": [1, 2]}
    assert fetched.status_code == 200 and fetched.url.endswith("/scoreboard?dates=20250110")
    assert recording_clock.sleeps == []


def test_429_waits_what_retry_after_asks_then_succeeds(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.status_only(429, retry_after="7"), Reply.json({"ok": True}))
    with client_for(loopback.base_url, recording_clock, raw_store) as client:
        fetched = client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert fetched.status_code == 200
    assert recording_clock.sleeps == [7.0]
    assert len(loopback.requests_to(PATH)) == 2


def test_429_asking_longer_than_the_cap_fails_at_once(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.status_only(429, retry_after="3600"))
    with (
        client_for(loopback.base_url, recording_clock, raw_store) as client,
        pytest.raises(SourceRateLimitedError, match=r"espn scoreboard answered 429 .* asks to wait 3600 s") as caught,
    ):
        client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert caught.value.kind is FailureKind.RATE_LIMITED and caught.value.retry_after_seconds == 3600
    assert recording_clock.sleeps == [] and len(loopback.requests_to(PATH)) == 1


def test_5xx_is_retried_with_capped_exponential_backoff_and_jitter(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.status_only(503))
    with (
        client_for(loopback.base_url, recording_clock, raw_store) as client,
        pytest.raises(SourceServerError, match=r"espn scoreboard answered 503 .*\(attempt 4 of 4\)") as caught,
    ):
        client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert caught.value.kind is FailureKind.SERVER_ERROR and caught.value.status_code == 503
    assert len(loopback.requests_to(PATH)) == 4
    first, second, third = recording_clock.sleeps
    assert 1.0 <= first <= 1.5 and 2.0 <= second <= 2.5 and 4.0 <= third <= 4.5
    assert all(wait <= 5.0 for wait in recording_clock.sleeps)


def test_a_502_then_a_200_heals(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.status_only(502), Reply.status_only(500), Reply.json([1]))
    with client_for(loopback.base_url, recording_clock, raw_store) as client:
        assert client.get("scoreboard", PATH, game_date=GAME_DATE).status_code == 200
    assert len(recording_clock.sleeps) == 2


@pytest.mark.parametrize(
    ("status", "error", "kind", "says"),
    [
        (401, SourceAuthError, FailureKind.AUTH, r"API key is missing or wrong; set \[sources.espn\] api_key"),
        (403, SourceBlockedError, FailureKind.BLOCKED, r"refuses us .* check \[sources.espn\] base_url"),
        (404, SourceMovedError, FailureKind.MOVED, r"endpoint moved or is gone"),
        (422, SourceBadRequestError, FailureKind.BAD_REQUEST, r"rejects the request \('\{\"message\": \"status 422"),
        (400, SourceBadRequestError, FailureKind.BAD_REQUEST, r"rejects the request"),
        (418, SourceStatusError, FailureKind.UNEXPECTED_STATUS, r"unexpected status"),
    ],
)
def test_client_errors_are_never_retried_and_are_classified(
    loopback: LoopbackServer,
    recording_clock: RecordingClock,
    raw_store: RawStore,
    status: int,
    error: type[SourceFailure],
    kind: FailureKind,
    says: str,
) -> None:
    loopback.route(PATH, Reply.status_only(status))
    with (
        client_for(loopback.base_url, recording_clock, raw_store) as client,
        pytest.raises(error, match=says) as caught,
    ):
        client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert caught.value.kind is kind and caught.value.status_code == status
    assert (caught.value.source, caught.value.endpoint) == ("espn", "scoreboard")
    assert len(loopback.requests_to(PATH)) == 1 and recording_clock.sleeps == []


def test_a_refused_connection_is_retried_then_fails_as_connection(
    recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        client_for(f"http://127.0.0.1:{port}", recording_clock, raw_store) as client,
        pytest.raises(SourceUnreachableError, match=r"espn scoreboard could not connect .*attempt 4 of 4") as caught,
    ):
        client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert caught.value.kind is FailureKind.CONNECTION and len(recording_clock.sleeps) == 3


def test_a_server_that_never_answers_times_out_on_the_read_timeout(
    recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    with socket.socket() as listener:  # accepts through the backlog, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        client = client_for(
            f"http://127.0.0.1:{port}", recording_clock, raw_store,
            read_timeout_seconds=0.2, retry=SourceRetryConfig(max_attempts=2),
        )
        with client, pytest.raises(SourceUnreachableError, match=r"timed out .*ReadTimeout") as caught:
            client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert caught.value.kind is FailureKind.TIMEOUT


def test_a_transport_stands_in_for_the_network(recording_clock: RecordingClock, raw_store: RawStore) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"via": "transport"})

    settings = EspnSourceConfig(base_url="http://espn.test", api_key="k-123456789", connect_timeout_seconds=1.5)
    with SourceClient(
        "espn", settings, clock=recording_clock, raw_store=raw_store,
        headers={"x-api-key": "k-123456789"}, transport=httpx.MockTransport(handler),
    ) as client:
        fetched = client.get("scoreboard", "/x", game_date=GAME_DATE, params={"apiKey": "k-123456789"})
    assert json.loads(fetched.content) == {"via": "transport"}
    assert seen[0].headers["x-api-key"] == "k-123456789"
    assert seen[0].extensions["timeout"] == {"connect": 1.5, "read": 20.0, "write": 20.0, "pool": 20.0}
    assert "k-123456789" not in fetched.url


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Fri, 10 Jan 2025 18:00:30 GMT", 30.0),
        ("Fri, 10 Jan 2025 17:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, now=datetime(2025, 1, 10, 18, 0, tzinfo=UTC)) == seconds


def test_429_on_every_attempt_fails_as_rate_limited(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.status_only(429, retry_after="2"))
    with (
        client_for(loopback.base_url, recording_clock, raw_store) as client,
        pytest.raises(SourceRateLimitedError, match=r"answered 429 .*rate limited \(attempt 4 of 4\); slow the"),
    ):
        client.get("scoreboard", PATH, game_date=GAME_DATE)
    assert recording_clock.sleeps == [2.0, 2.0, 2.0]
    assert len(raw_store.entries("espn", GAME_DATE)) == 4  # every answer kept, failed ones too


def test_429_without_retry_after_backs_off_exponentially(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route(PATH, Reply.status_only(429), Reply.status_only(429), Reply.json([]))
    with client_for(loopback.base_url, recording_clock, raw_store) as client:
        client.get("scoreboard", PATH, game_date=GAME_DATE)
    first, second = recording_clock.sleeps
    assert 1.0 <= first <= 1.5 and 2.0 <= second <= 2.5
