"""`sources check` data: every source probed once over loopback, failures classified, primaries flagged."""

from __future__ import annotations

from pathlib import Path

from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import SourcesConfig
from nbaprops.sources.probe import check_sources
from nbaprops.sources.raw_store import RawStore


def sources_at(base_url: str) -> SourcesConfig:
    return SourcesConfig.model_validate({
        "nbacom": {"base_url": base_url, "cdn_base_url": base_url},
        "espn": {"base_url": base_url},
        "odds_api": {"base_url": base_url, "api_key": "odds-key-123456"},
        "bettingpros": {"base_url": base_url},
        "balldontlie": {"base_url": base_url, "api_key": "bdl-key-123456"},
    })


def serve_all(loopback: LoopbackServer, shared_fixtures: Path) -> None:
    loopback.route("/static/json/staticData/scheduleLeagueV2.json",
                   Reply.file(captured(shared_fixtures, "nbac_schedule_api")))
    loopback.route("/apis/site/v2/sports/basketball/nba/scoreboard",
                   Reply.file(captured(shared_fixtures, "espn_scoreboard_api")))
    loopback.route("/v4/sports", Reply.json([{"key": "basketball_nba"}], headers={"x-requests-remaining": "497"}))
    loopback.route("/v3/events", Reply.file(captured(shared_fixtures, "bp_events")))
    loopback.route("/v1/teams", Reply.json({"data": [{"id": 1, "abbreviation": "ATL"}]}))


def test_every_source_up(
    loopback: LoopbackServer, shared_fixtures: Path, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    serve_all(loopback, shared_fixtures)
    ticks = iter(range(0, 100))
    report = check_sources(sources_at(loopback.base_url), clock=recording_clock, raw_store=raw_store,
                           timer=lambda: next(ticks) / 100)
    assert [(s.name, s.status, s.latency_ms) for s in report.sources] == [
        ("nbacom", "up", 10.0), ("espn", "up", 10.0), ("odds_api", "up", 10.0), ("bettingpros", "up", 10.0),
        ("balldontlie", "up", 10.0),
    ]
    assert report.sources[2].quota_left == 497 and not report.primary_down
    assert loopback.requests_to("/v1/teams")[0].headers["authorization"] == "bdl-key-123456"
    assert loopback.requests_to("/apis/site/v2/sports/basketball/nba/scoreboard")[0].query["dates"] == ["20250110"]
    assert recording_clock.sleeps == []


def test_a_down_primary_is_reported_without_retrying(
    loopback: LoopbackServer, shared_fixtures: Path, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    serve_all(loopback, shared_fixtures)
    loopback.route("/static/json/staticData/scheduleLeagueV2.json", Reply.status_only(503))
    loopback.route("/v3/events", Reply.status_only(403))
    report = check_sources(sources_at(loopback.base_url), clock=recording_clock, raw_store=raw_store)
    by_name = {s.name: s for s in report.sources}
    assert (by_name["nbacom"].status, by_name["nbacom"].primary) == ("server_error", True)
    assert (by_name["bettingpros"].status, by_name["bettingpros"].primary) == ("blocked", False)
    assert by_name["bettingpros"].message is not None and "answered 403" in by_name["bettingpros"].message
    assert report.primary_down
    assert len(loopback.requests_to("/static/json/staticData/scheduleLeagueV2.json")) == 1
    assert report.to_json()["sources"][0] == by_name["nbacom"].to_json()


def test_a_quota_under_the_reserve_is_reported_as_exhausted(
    loopback: LoopbackServer, shared_fixtures: Path, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    serve_all(loopback, shared_fixtures)
    loopback.route("/v4/sports", Reply.json([], headers={"x-requests-remaining": "99"}))
    report = check_sources(sources_at(loopback.base_url), clock=recording_clock, raw_store=raw_store)
    odds = report.sources[2]
    assert (odds.status, odds.quota_left) == ("quota_exhausted", 99) and report.primary_down
    assert odds.message == (
        "odds_api: 99 requests left, under the reserve of 100 ([sources.odds_api] quota_reserve_requests); "
        "polling has stopped."
    )


def test_breaker_states_are_reported_and_a_source_never_guarded_is_closed(
    loopback: LoopbackServer, shared_fixtures: Path, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    serve_all(loopback, shared_fixtures)
    report = check_sources(sources_at(loopback.base_url), clock=recording_clock, raw_store=raw_store,
                           breakers={"odds_api": "open", "espn": "half-open"})
    assert [(s.name, s.status, s.breaker) for s in report.sources] == [
        ("nbacom", "up", "closed"), ("espn", "up", "half-open"), ("odds_api", "up", "open"),
        ("bettingpros", "up", "closed"), ("balldontlie", "up", "closed"),
    ]
    unread = check_sources(sources_at(loopback.base_url), clock=recording_clock, raw_store=raw_store)
    assert {s.breaker for s in unread.sources} == {None}
