"""A sim source with a fallback, as production's feeds have one (`[sources.chains]`): each chained feed
goes through `run_chain` (sources/chain.py), primary first, each member under its own circuit breaker
in the home's breaker tables, and a call its breaker refuses falls to the next member
(`refused_falls_through`, the live source's guard). Every chained row names the member that served it.

The breakers tell time by the instant of the fetch (`as_of`, the run's virtual clock), so an open
breaker half-opens `reset_timeout_seconds` of run time later and probes the primary again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from nbaprops.config import BreakerConfig, Settings
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database
from nbaprops.orchestration.live import refused_falls_through
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.runtime import SourceFactory, default_source
from nbaprops.reliability.breakers import BreakerDatabase, SourceBreaker
from nbaprops.sources.base import Row, Source
from nbaprops.sources.chain import Fallen, run_chain, tagged
from nbaprops.sources.wrapper import SourceWrapper
from nbaprops.warehouse import Warehouse

T = TypeVar("T")
CHAINED_FEEDS = frozenset({"schedule", "player_boxscores", "team_boxscores", "prop_lines", "injuries"})
# The fallback member of a chaos chain is the sim source under this suffix (the stand-in for ESPN).
FALLBACK_SUFFIX = "_fallback"
# The column naming the source that served a raw row: a scenario with a fallback is compared as if its primary
# had served the rows its fallback served (the same numbers, under the fallback's name), and those rows counted.
PROVENANCE = "source"


# A breaker's stored row is stamped when first made, before any fetch tells the time.
BEFORE_ANY_FETCH = datetime(1970, 1, 1, tzinfo=UTC)


class FetchClock:
    """The breakers' clock: the instant of the latest fetch (its `as_of`, as aware UTC)."""

    def __init__(self) -> None:
        self._now = BEFORE_ANY_FETCH

    def at(self, as_of: datetime) -> None:
        self._now = as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        self._now = self.now() + timedelta(seconds=seconds)


@dataclass(frozen=True)
class Member:
    """One source of the chain and its breaker's settings."""

    source: Source
    breaker: BreakerConfig


@dataclass(frozen=True)
class Switch:
    """One chained fetch: the feed, its date, the member that served, and the ones that fell before."""

    feed: str
    game_date: date
    source: str
    fallen: tuple[Fallen, ...]


class FallbackSource(SourceWrapper):
    """`members[0]` for every feed; the `feeds` chained fall to the next member when it fails or its
    breaker is open. Named as the primary, so rows it serves read as they do without a chain."""

    def __init__(self, members: Sequence[Member], *, feeds: Collection[str], database: BreakerDatabase) -> None:
        if len(members) < 2:
            raise ValueError(f"members must name a primary and at least one fallback, got {len(members)}.")
        unknown = sorted(set(feeds) - CHAINED_FEEDS)
        if unknown:
            raise ValueError(f"feeds names no Source feed: {', '.join(unknown)}; chain some of "
                             f"{', '.join(sorted(CHAINED_FEEDS))}.")
        names = [member.source.name for member in members]
        if len(set(names)) != len(names):
            raise ValueError(f"members must have distinct names (their breakers are kept by name), got {names}.")
        super().__init__(members[0].source)
        self._members = tuple(members)
        self._database = database
        self._feeds = frozenset(feeds)
        self._clock = FetchClock()
        database.create()
        self._breakers = {
            member.source.name: SourceBreaker(member.source.name, member.breaker, database=database, clock=self._clock)
            for member in members
        }
        self.record: list[Switch] = []

    def close(self) -> None:
        """Close the members that hold resources, and the breakers' database connections."""
        for member in self._members:
            close = getattr(member.source, "close", None)
            if callable(close):
                close()
        self._database.engine.dispose()

    def _fetch(self, feed: str, game_date: date, as_of: datetime) -> list[Row]:
        if feed not in self._feeds:
            return super()._fetch(feed, game_date, as_of)
        self._clock.at(as_of)
        calls = [(member.source.name, _call(member.source, feed, game_date, as_of)) for member in self._members]
        served = run_chain(feed, calls, guard=self._guard)
        self.record.append(Switch(feed, game_date, served.source, served.fallen))
        return tagged(served.value, served.source)

    def _guard(self, source: str, data_kind: str, call: Callable[[], T]) -> T:
        breaker = self._breakers[source]
        return refused_falls_through(source, data_kind, lambda: breaker.call(call))


def _call(source: Source, feed: str, game_date: date, as_of: datetime) -> Callable[[], list[Row]]:
    def fetch() -> list[Row]:
        rows: list[Row] = getattr(source, feed)(game_date, as_of=as_of)
        return rows

    return fetch



def with_fallback(primary: SourceFactory, *, feeds: Collection[str]) -> SourceFactory:
    """Sources of `primary` whose `feeds` fall to an independent sim source of the same kind (named with
    FALLBACK_SUFFIX): the primary under `[sources.nbacom.breaker]`, the fallback under `[sources.espn.breaker]`,
    the stand-ins of production's box-score chain, their breakers in the home's breaker tables."""

    def chained(kind: SourceKind, warehouse: Warehouse, settings: Settings, home: Home) -> Source:
        fallback = default_source(kind, warehouse, settings, home)
        fallback.name = f"{fallback.name}{FALLBACK_SUFFIX}"
        members = (
            Member(primary(kind, warehouse, settings, home), settings.sources.nbacom.breaker),
            Member(fallback, settings.sources.espn.breaker),
        )
        return FallbackSource(members, feeds=feeds, database=breaker_database(home, settings))

    return chained


def as_primary(column: str, value: object) -> object:
    """`value` of `column`, naming a chain's primary where it named its fallback."""
    if column == PROVENANCE and isinstance(value, str) and value.endswith(FALLBACK_SUFFIX):
        return value.removesuffix(FALLBACK_SUFFIX)
    return value


def fallback_rows(warehouse: Warehouse) -> int:
    """Raw rows a fallback member of a chaos chain served (their source names it)."""
    tables = warehouse.query(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'nba_raw' AND column_name = ? "
        "ORDER BY 1",
        [PROVENANCE],
    )
    return sum(
        int(warehouse.scalar(f'SELECT count(*) FROM nba_raw.{row["table_name"]} WHERE ends_with("{PROVENANCE}", ?)',
                             [FALLBACK_SUFFIX]))
        for row in tables
    )
