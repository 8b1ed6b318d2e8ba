"""Reads of a trailing window of game dates kept between calls: a date is read again only when a
partition of it moved (`nba_orchestration.partition_versions`, written with every partition write).

A daily run reads the same earlier dates every day (a season's history, its graded predictions);
kept, each day reads one new date instead of the whole window, and returns what a full read would.
The tokens are read before the rows, so rows are never older than the tokens kept with them: a
write between the two reads only makes the next call read that date again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from nbaprops.warehouse.warehouse import Warehouse

PARTITION_VERSIONS = "nba_orchestration.partition_versions"
_VERSIONS_SQL = f"""
    SELECT table_name, game_date, version FROM {PARTITION_VERSIONS}
    WHERE list_contains($tables, table_name) AND game_date >= $start AND game_date < $end
"""

T = TypeVar("T")
Versions = dict[date, tuple[str | None, ...]]
"""Each date's version token per table read (None: not written since versions were kept)."""


@dataclass
class _Kept(Generic[T]):
    start: date
    end: date
    versions: Versions
    values: dict[date, T] = field(default_factory=dict)


class DatedReads:
    """Per-date values of reads over [start, end) windows of game dates, kept by key. Thread-safe
    for distinct keys (a market's thread reads its own keys)."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, _Kept[Any]] = {}
        self._lock = threading.Lock()

    def read(
        self,
        warehouse: Warehouse,
        *,
        key: Hashable,
        tables: Iterable[str],
        start: date,
        end: date,
        fetch: Callable[[date, date], Mapping[date, T]],
    ) -> dict[date, T]:
        """The values of the dates in [start, end), by date in order: kept ones whose tables' tokens
        have not moved, the rest from `fetch(lo, hi)` (the values of the dates in [lo, hi) that have
        any). `key` names the read (its query and parameters) in `warehouse`."""
        tables = tuple(tables)
        full_key = (str(warehouse.path), tables, key)
        versions = read_versions(warehouse, tables, start, end)
        with self._lock:
            kept = self._kept.get(full_key)
        if kept is None or start < kept.start or end < kept.end:
            kept = _Kept(start, end, versions, dict(fetch(start, end)))
        else:
            moved = {day for day in versions.keys() | kept.versions.keys()
                     if start <= day < kept.end and versions.get(day) != kept.versions.get(day)}
            lo = min(moved | ({kept.end} if end > kept.end else set()), default=None)
            if lo is not None:
                hi = end if end > kept.end else max(moved) + timedelta(days=1)
                fetched = fetch(lo, hi)
                for day in [d for d in kept.values if lo <= d < hi]:
                    del kept.values[day]
                kept.values.update(fetched)
            kept.versions = versions
            kept.start, kept.end = start, end
            for day in [d for d in kept.values if d < start]:
                del kept.values[day]
        with self._lock:
            self._kept[full_key] = kept
        return {day: kept.values[day] for day in sorted(kept.values)}


def read_versions(warehouse: Warehouse, tables: tuple[str, ...], start: date, end: date) -> Versions:
    """The version tokens of `tables` for each date in [start, end) that has one."""
    found: dict[date, dict[str, str]] = {}
    for row in warehouse.query(_VERSIONS_SQL, {"tables": list(tables), "start": start, "end": end}):
        found.setdefault(row["game_date"], {})[row["table_name"]] = row["version"]
    return {day: tuple(tokens.get(table) for table in tables) for day, tokens in found.items()}


def by_date(rows: Iterable[Mapping[str, Any]]) -> dict[date, list[dict[str, Any]]]:
    """Query rows grouped by their `game_date`, in the order they came."""
    grouped: dict[date, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["game_date"], []).append(dict(row))
    return grouped
