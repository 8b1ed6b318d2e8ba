"""Probing the live sources: one cheap request each, timed and classified; the data of `sources check`.

A probe is tried once (no retries: a check reports, it does not heal) and its answer is stored in
the raw store like any other. The Odds API is probed on `/v4/sports`, which costs no quota and
still reports the quota headers. `breaker` is each source's circuit breaker state as the caller read
it (closed, open, half-open); a probe itself never goes through the breaker, so it reports a source
even while its breaker refuses the pipeline's calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import httpx

from nbaprops.clock import Clock
from nbaprops.config import OddsApiSourceConfig, SourceEndpointConfig, SourceRetryConfig, SourcesConfig
from nbaprops.errors import FailureKind, SourceFailure
from nbaprops.sources.base import naive_utc
from nbaprops.sources.http import Params, SourceClient
from nbaprops.sources.live import balldontlie, bettingpros
from nbaprops.sources.live._common import eastern_date
from nbaprops.sources.live.odds_api import read_quota
from nbaprops.sources.raw_store import RawStore

# The heads of the default fallback chains: nba.com (schedule, box scores, injuries), The Odds API (props).
PRIMARY_SOURCES = ("nbacom", "odds_api")
UP = "up"
BREAKER_CLOSED = "closed"


@dataclass(frozen=True)
class Probe:
    """What to ask one source."""

    config: SourceEndpointConfig
    path: str
    params: Params
    headers: Mapping[str, str]


@dataclass(frozen=True)
class SourceStatus:
    """One source's answer to its probe."""

    name: str
    status: str  # "up", or the failure's kind: blocked, timeout, server_error, ...
    latency_ms: float | None
    breaker: str | None
    quota_left: int | None
    primary: bool
    message: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "status": self.status, "latency_ms": self.latency_ms, "breaker": self.breaker,
            "quota_left": self.quota_left, "primary": self.primary, "message": self.message,
        }


@dataclass(frozen=True)
class SourcesCheck:
    """Every configured source's status."""

    sources: list[SourceStatus]

    @property
    def primary_down(self) -> bool:
        return any(source.primary and source.status != UP for source in self.sources)

    def to_json(self) -> dict[str, Any]:
        return {"sources": [source.to_json() for source in self.sources], "primary_down": self.primary_down}


def probes(config: SourcesConfig, *, today: str) -> dict[str, Probe]:
    """The probe of each source; `today` is the US Eastern date, YYYY-MM-DD."""
    odds_key = config.odds_api.api_key.get_secret_value() if config.odds_api.api_key else ""
    return {
        "nbacom": Probe(config.nbacom, f"{config.nbacom.cdn_base_url}/static/json/staticData/scheduleLeagueV2.json",
                        {}, {}),
        "espn": Probe(config.espn, "/apis/site/v2/sports/basketball/nba/scoreboard",
                      {"dates": today.replace("-", "")}, {}),
        "odds_api": Probe(config.odds_api, "/v4/sports", {"apiKey": odds_key}, {}),
        "bettingpros": Probe(config.bettingpros, bettingpros.EVENTS_PATH, {"sport": "NBA", "date": today},
                             bettingpros.auth_headers(config.bettingpros)),
        "balldontlie": Probe(config.balldontlie, "/v1/teams", {}, balldontlie.auth_headers(config.balldontlie)),
    }


def check_sources(
    config: SourcesConfig,
    *,
    clock: Clock,
    raw_store: RawStore,
    transport: httpx.BaseTransport | None = None,
    timer: Callable[[], float] = time.perf_counter,
    breakers: Mapping[str, str] | None = None,
) -> SourcesCheck:
    """Probe every source once, in turn; `breakers` holds the stored breaker states by source, and a
    source missing from it was never called through its breaker: closed."""
    today = eastern_date(naive_utc(clock.now()))
    return SourcesCheck([
        replace(_probe(name, probe, today=today, clock=clock, raw_store=raw_store, transport=transport, timer=timer),
                breaker=None if breakers is None else breakers.get(name, BREAKER_CLOSED))
        for name, probe in probes(config, today=today.isoformat()).items()
    ])


def _probe(
    name: str,
    probe: Probe,
    *,
    today: date,
    clock: Clock,
    raw_store: RawStore,
    transport: httpx.BaseTransport | None,
    timer: Callable[[], float],
) -> SourceStatus:
    once = probe.config.model_copy(update={"retry": SourceRetryConfig(max_attempts=1)})
    started = timer()
    client = SourceClient(name, once, clock=clock, raw_store=raw_store, headers=probe.headers, transport=transport)
    with client:
        try:
            fetched = client.get("probe", probe.path, game_date=today, params=probe.params)
        except SourceFailure as failure:
            latency = round((timer() - started) * 1000, 1)
            return SourceStatus(name, failure.kind.value, latency, None, None, name in PRIMARY_SOURCES, str(failure))
    latency = round((timer() - started) * 1000, 1)
    quota = read_quota(fetched.headers)
    quota_left = quota.remaining if quota is not None else None
    reserve = probe.config.quota_reserve_requests if isinstance(probe.config, OddsApiSourceConfig) else None
    if quota_left is not None and reserve is not None and quota_left < reserve:
        message = (f"{name}: {quota_left} requests left, under the reserve of {reserve} "
                   f"([sources.{name}] quota_reserve_requests); polling has stopped.")
        return SourceStatus(name, FailureKind.QUOTA_EXHAUSTED.value, latency, None, quota_left,
                            name in PRIMARY_SOURCES, message)
    return SourceStatus(name, UP, latency, None, quota_left, name in PRIMARY_SOURCES, None)

