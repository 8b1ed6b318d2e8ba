"""The live source of a home: adapters from `[sources.<name>]`, payloads kept under `<home>/raw/`,
every HTTP call under its source's circuit breaker in the orchestration database.

A breaker wraps each call of a source's client (retries included), so every process sees the same
count; when it is open it refuses without a request, and the chain falls to its next source.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import httpx

from nbaprops.clock import Clock, SystemClock
from nbaprops.config import Settings
from nbaprops.errors import FailureKind, SourceCircuitOpenError, SourceFailure
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database
from nbaprops.reliability.breakers import SourceBreaker
from nbaprops.sources.live.chained import LiveSource
from nbaprops.sources.live.factory import LIVE_SOURCES, live_source
from nbaprops.sources.raw_store import RawStore

T = TypeVar("T")
BREAKER_ENDPOINT = "(circuit breaker)"


def home_live_source(
    home: Home, settings: Settings, *, clock: Clock | None = None, transport: httpx.BaseTransport | None = None
) -> LiveSource:
    """The live source of `home`: its raw store, its breakers, the wall clock unless `clock` is given."""
    clock = clock or SystemClock()
    database = breaker_database(home, settings)
    sources = settings.sources
    breakers = {
        name: SourceBreaker(name, getattr(sources, name).breaker, database=database, clock=clock)
        for name in LIVE_SOURCES
    }
    return live_source(
        sources, clock=clock, raw_store=RawStore(home.ensure().raw_dir), transport=transport,
        guards=breakers, guard=refused_falls_through,
    )


def refused_falls_through(source: str, data_kind: str, call: Callable[[], T]) -> T:
    """A chained fetch whose breaker refused it is a failure of that source: the chain asks the next."""
    try:
        return call()
    except SourceCircuitOpenError as refused:
        raise SourceFailure(
            f"{refused} The {data_kind} go to the next source of [sources.chains] {data_kind}.",
            kind=FailureKind.CIRCUIT_OPEN, source=source, endpoint=BREAKER_ENDPOINT,
        ) from refused
