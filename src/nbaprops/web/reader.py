"""Reading the warehouse for the dashboard without ever blocking the pipeline's writer.

DuckDB lets one process write a file, and a writer cannot open it while any other process has it
open, even read-only. So the dashboard never keeps the warehouse open: each reading opens it
read-only, reads everything one page needs, and closes it (tens of milliseconds; a writer that
arrives meanwhile waits that long, as it waits for `nbaprops status`). A reading is kept and
reused while the warehouse's files are unchanged (and for at most `cache_seconds`), so repeated
loads do not open the file at all. When the pipeline holds the warehouse, the page waits
`read_wait_seconds` at most, then shows its last reading marked stale rather than waiting for
the run to end.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from nbaprops.errors import WarehouseBusyError, WarehouseError
from nbaprops.warehouse import Warehouse

T = TypeVar("T")
MAX_READINGS = 64

Signature = tuple[tuple[int, int] | None, ...]


@dataclass(frozen=True)
class Reading(Generic[T]):
    """What one page read, when (wall clock), and whether it is an older reading shown because
    the pipeline held the warehouse."""

    value: T
    read_utc: datetime
    stale: bool = False


@dataclass(frozen=True)
class _Kept:
    signature: Signature
    kept_monotonic: float
    reading: Reading[object]


def files_signature(paths: Sequence[Path]) -> Signature:
    """(mtime_ns, size) of each file, None when missing: changes whenever one is written."""
    signature: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            signature.append(None)
            continue
        signature.append((stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


class WarehouseReader:
    """Short read-only readings of one warehouse file, kept while its files are unchanged."""

    def __init__(
        self,
        path: Path | str,
        *,
        watched: Sequence[Path] = (),
        wait_seconds: float = 2.0,
        cache_seconds: float = 30.0,
        threads: int | None = 1,
    ) -> None:
        if wait_seconds < 0:
            raise ValueError(f"wait_seconds {wait_seconds!r} must not be negative.")
        if cache_seconds < 0:
            raise ValueError(f"cache_seconds {cache_seconds!r} must not be negative.")
        self.path = path
        self.wait_seconds = wait_seconds
        self.cache_seconds = cache_seconds
        self.threads = threads
        # The write-ahead log changes on every commit; the main file on checkpoints. A PostgreSQL
        # warehouse (a URL) has no files to watch: its readings are kept `cache_seconds` at most.
        files = (path, path.with_name(path.name + ".wal")) if isinstance(path, Path) else ()
        self._watched = (*files, *watched)
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()

    def read(self, key: Hashable, build: Callable[[Warehouse], T]) -> Reading[T]:
        """`build` over a read-only connection opened for it alone, or the kept reading of `key`
        while nothing changed; the last reading, stale, when the pipeline holds the warehouse."""
        if isinstance(self.path, Path) and not self.path.exists():
            raise WarehouseError(
                f"There is no warehouse at {self.path} yet; ingest data or run the demo first."
            )
        with self._lock:
            signature = files_signature(self._watched)
            kept = self._kept.get(key)
            if (
                kept is not None
                and kept.signature == signature
                and time.monotonic() - kept.kept_monotonic <= self.cache_seconds
            ):
                self._kept.move_to_end(key)
                return kept.reading  # type: ignore[return-value]
            try:
                with Warehouse.open(
                    self.path, read_only=True, wait_seconds=self.wait_seconds, migrate=False,
                    threads=self.threads,
                ) as warehouse:
                    value = build(warehouse)
            except WarehouseBusyError:
                if kept is None:
                    raise
                return Reading(kept.reading.value, kept.reading.read_utc, stale=True)  # type: ignore[arg-type]
            reading: Reading[T] = Reading(value, datetime.now(UTC))
            self._kept[key] = _Kept(signature, time.monotonic(), reading)  # type: ignore[arg-type]
            self._kept.move_to_end(key)
            while len(self._kept) > MAX_READINGS:
                self._kept.popitem(last=False)
            return reading
