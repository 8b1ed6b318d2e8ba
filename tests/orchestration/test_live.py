"""A home's live source: its adapters from [sources.<name>], its payloads in raw/, its breakers in the
orchestration database; over a loopback server, on virtual time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.cli.live_day import DAY, KEY, route_day
from tests.sources.loopback import LoopbackServer, Reply, serve

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.errors import ChainExhaustedError, ConfigError, FailureKind
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database, breaker_report, breaker_states
from nbaprops.orchestration.live import home_live_source
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.runtime import default_source
from nbaprops.orchestration.service import check_source
from nbaprops.reliability.breakers import CLOSED, OPEN
from nbaprops.sources.live.bettingpros import EVENTS_PATH as BETTINGPROS_EVENTS_PATH
from nbaprops.sources.live.chained import LiveSource
from nbaprops.sources.live.nbacom_schedule import SEASON_PATH
from nbaprops.sources.live.odds_api import events_path
from nbaprops.sources.raw_store import RawStore
from nbaprops.warehouse import Warehouse

AS_OF = datetime(2024, 1, 16, 12, 0, tzinfo=UTC)


@pytest.fixture
def server(shared_fixtures: Path, shared_data: Path) -> Iterator[LoopbackServer]:
    with serve() as loopback:
        route_day(loopback, shared_fixtures, shared_data)
        yield loopback


def live_settings(base_url: str, *, keys: bool = True, **sources: Any) -> Settings:
    """Every source at `base_url`, tried once; keyed sources with a key unless `keys` is False."""
    once = {"retry": {"max_attempts": 1}}
    section: dict[str, Any] = {
        "nbacom": {"base_url": base_url, "cdn_base_url": base_url, "injury_report_base_url": base_url, **once},
        "espn": {"base_url": base_url, "web_base_url": base_url, **once},
        "bettingpros": {"base_url": base_url, **once},
        **{name: {"base_url": base_url, **once, **({"api_key": KEY} if keys else {})}
           for name in ("odds_api", "balldontlie")},
    }
    for name, extra in sources.items():
        section[name] = {**section.get(name, {}), **extra}
    return Settings(sources=section)


def test_fail_max_failures_open_nbacoms_breaker_and_the_next_call_falls_to_espn_unasked(
    server: LoopbackServer, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home")
    settings = live_settings(server.base_url, nbacom={"breaker": {"fail_max": 2}})
    server.route(SEASON_PATH, Reply.status_only(503))
    source = home_live_source(home, settings, clock=VirtualClock(AS_OF))
    for _ in range(3):
        assert {row["source"] for row in source.schedule(DAY, as_of=AS_OF)} == {"espn"}
    assert len(server.requests_to(SEASON_PATH)) == 2, "the third call was refused without a request"
    assert [fallen.kind for record in source.record for fallen in record.fallen] == [
        FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR, FailureKind.CIRCUIT_OPEN]
    assert "circuit breaker is open" in source.record[-1].fallen[0].message
    assert breaker_states(home, settings) == {
        "nbacom": OPEN, "espn": CLOSED, "odds_api": CLOSED, "bettingpros": CLOSED, "balldontlie": CLOSED}
    (nbacom,) = [row for row in breaker_report(home, settings) if row["source"] == "nbacom"]
    assert (nbacom["failure_count"], nbacom["opened_at"]) == (2, AS_OF.isoformat())
    events = breaker_database(home, settings).events("nbacom")
    assert [(event.from_state, event.to_state) for event in events] == [(CLOSED, OPEN)]


def test_payloads_land_in_the_homes_raw_folder_with_the_key_redacted(server: LoopbackServer, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    source = home_live_source(home, live_settings(server.base_url), clock=VirtualClock(AS_OF))
    lines = source.prop_lines(DAY, as_of=datetime(2024, 1, 15, 17, 0, tzinfo=UTC))
    assert len(lines) == 75 and {row["source"] for row in lines} == {"odds_api"}
    kept = RawStore(home.raw_dir).entries("odds_api", DAY)
    assert [entry.meta["endpoint"] for entry in kept] == ["events", "event_odds"]
    assert all(KEY not in entry.meta_path.read_text() for entry in kept)
    assert json.loads(kept[-1].payload_path.read_bytes())["id"] == "93af4b300a4c0dded909234ea32e9abd"


def test_keyed_sources_without_a_key_leave_the_chains_and_the_rest_serve(
    server: LoopbackServer, tmp_path: Path
) -> None:
    settings = live_settings(server.base_url, keys=False)
    source = home_live_source(Home(tmp_path / "home"), settings, clock=VirtualClock(AS_OF))
    server.route(BETTINGPROS_EVENTS_PATH, Reply.status_only(503))  # bettingpros, the props chain's one source left
    with pytest.raises(ChainExhaustedError, match=r"props failed: bettingpros: server_error") as caught:
        source.prop_lines(DAY, as_of=datetime(2024, 1, 15, 17, 0, tzinfo=UTC))
    assert "odds_api" not in str(caught.value)
    assert server.requests_to(events_path()) == []


@pytest.mark.parametrize(("chains", "message"), [
    ({"props": ["odds_api"]}, r"sources\.chains\.props lists odds_api, and none of them is usable without a key: "
                              r"set \[sources\.odds_api\] api_key \(or NBAPROPS_SOURCES__ODDS_API__API_KEY\)"),
    ({"injuries": ["balldontlie"]}, r"sources\.chains\.injuries lists balldontlie, and none .* "
                                    r"NBAPROPS_SOURCES__BALLDONTLIE__API_KEY"),
])
def test_a_chain_left_without_a_usable_source_is_refused_before_anything_runs(
    chains: dict[str, list[str]], message: str, tmp_path: Path
) -> None:
    settings = Settings(sources={"chains": chains})
    with pytest.raises(ConfigError, match=message):
        check_source(SourceKind.LIVE, settings)
    with pytest.raises(ConfigError, match=message):
        home_live_source(Home(tmp_path / "home"), settings)
    check_source(SourceKind.REPLAY, settings)


def test_the_default_factory_builds_the_live_source_of_the_home(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    with Warehouse.open(home.warehouse_path) as warehouse:
        source = default_source(SourceKind.LIVE, warehouse, Settings(), home)
    assert isinstance(source, LiveSource)
    assert breaker_states(home, Settings()) == dict.fromkeys(
        ("nbacom", "espn", "odds_api", "bettingpros", "balldontlie"), CLOSED), "one breaker per source, stored"
    source.close()
