"""Building the live adapters from `[sources.<name>]` and a `LiveSource` over the chains they can serve.

Sources that need a key (The Odds API, balldontlie) are built only when one is configured; a
chain naming one without a key goes on without it, and a chain left with no source at all is a
ConfigError naming the keys to set.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import httpx

from nbaprops.clock import Clock
from nbaprops.config import SourceChainsConfig, SourcesConfig
from nbaprops.errors import ConfigError
from nbaprops.sources.chain import Guard, unguarded
from nbaprops.sources.http import CallGuard
from nbaprops.sources.live.balldontlie import BallDontLieSource
from nbaprops.sources.live.bettingpros import BettingProsSource
from nbaprops.sources.live.chained import LiveAdapters, LiveSource
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.odds_api import OddsApiSource
from nbaprops.sources.raw_store import RawStore

# Sources that answer nothing without a key: left out of the chains when none is configured.
KEYED_SOURCES = ("odds_api", "balldontlie")
LIVE_SOURCES = ("nbacom", "espn", "odds_api", "bettingpros", "balldontlie")


def live_adapters(
    config: SourcesConfig,
    *,
    clock: Clock,
    raw_store: RawStore,
    transport: httpx.BaseTransport | None = None,
    guards: Mapping[str, CallGuard] | None = None,
) -> LiveAdapters:
    """Each configured source's adapter (a keyed source without its key: None); `guards` by source name."""
    available = configured_sources(config)
    window = config.props_expected_within_hours

    def guard(name: str) -> CallGuard | None:
        return (guards or {}).get(name)

    return LiveAdapters(
        nbacom=NbacomSource(config.nbacom, clock=clock, raw_store=raw_store, transport=transport,
                            guard=guard("nbacom")),
        espn=EspnSource(config.espn, clock=clock, raw_store=raw_store, transport=transport, guard=guard("espn")),
        odds_api=OddsApiSource(config.odds_api, clock=clock, raw_store=raw_store, transport=transport,
                               guard=guard("odds_api"), props_expected_within_hours=window)
        if "odds_api" in available else None,
        bettingpros=BettingProsSource(config.bettingpros, clock=clock, raw_store=raw_store, transport=transport,
                                      guard=guard("bettingpros"), props_expected_within_hours=window),
        balldontlie=BallDontLieSource(config.balldontlie, clock=clock, raw_store=raw_store, transport=transport,
                                      guard=guard("balldontlie"))
        if "balldontlie" in available else None,
    )


def usable_chains(chains: SourceChainsConfig, available: Collection[str]) -> SourceChainsConfig:
    """`chains` without the sources not in `available`; a chain left empty is a ConfigError."""
    kept: dict[str, list[str]] = {}
    for kind, names in chains.model_dump().items():
        kept[kind] = [name for name in names if name in available]
        if not kept[kind]:
            keys = ", ".join(
                f"[sources.{name}] api_key (or NBAPROPS_SOURCES__{name.upper()}__API_KEY)" for name in names
            )
            raise ConfigError(
                f"sources.chains.{kind} lists {', '.join(names)}, and none of them is usable without a key: "
                f"set {keys}, or add a source that needs none to sources.chains.{kind}."
            )
    return SourceChainsConfig(**kept)


def configured_sources(config: SourcesConfig) -> list[str]:
    """The live sources that can be asked: every one but a keyed source without its key."""
    return [
        name for name in LIVE_SOURCES
        if name not in KEYED_SOURCES or getattr(config, name).api_key is not None
    ]


def check_live_config(config: SourcesConfig) -> None:
    """Raise the ConfigError a live source would, before anything is fetched."""
    usable_chains(config.chains, configured_sources(config))


def live_source(
    config: SourcesConfig,
    *,
    clock: Clock,
    raw_store: RawStore,
    transport: httpx.BaseTransport | None = None,
    guards: Mapping[str, CallGuard] | None = None,
    guard: Guard = unguarded,
) -> LiveSource:
    """A LiveSource over every usable adapter: `guards` wrap each HTTP call of a source (its breaker),
    `guard` each chained fetch (turning a breaker's refusal into a fall to the next source)."""
    adapters = live_adapters(config, clock=clock, raw_store=raw_store, transport=transport, guards=guards)
    try:
        chains = usable_chains(config.chains, configured_sources(config))
    except ConfigError:
        adapters.close()
        raise
    return LiveSource(adapters, chains, guard=guard)
