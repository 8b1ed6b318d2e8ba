"""Measuring what one processor run costs the machine: wall time, CPU, peak memory, rows read.

CPU is the whole process's (`time.process_time`: user + system of every thread, DuckDB's workers
among them), so work another thread does at the same time counts too; processor runs hold the
warehouse one at a time. Peak RSS is the process's high-water mark (`getrusage` `ru_maxrss`), not
the run's own: it is recorded as it stands when the run ends, with whether the run raised it.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass

from nbaprops.warehouse import Warehouse


@dataclass(frozen=True)
class ResourceUse:
    """What one run used."""

    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    rss_grew: bool
    rows_read: int


def peak_rss_bytes() -> int:
    """The process's resident-memory high-water mark (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


class ResourceMeter:
    """Started when a run starts; `reading()` when it ends gives what it used since."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse
        self._wall = time.monotonic()
        self._cpu = time.process_time()
        self._peak = peak_rss_bytes()
        self._rows = warehouse.rows_returned

    def rows_read(self) -> int:
        """Rows the warehouse's reads returned since the start."""
        return self._warehouse.rows_returned - self._rows

    def reading(self, *, rows_read: int | None = None) -> ResourceUse:
        """What was used since the start; `rows_read` when the caller counted them over a narrower span."""
        peak = peak_rss_bytes()
        return ResourceUse(
            wall_seconds=time.monotonic() - self._wall,
            cpu_seconds=time.process_time() - self._cpu,
            peak_rss_bytes=peak,
            rss_grew=peak > self._peak,
            rows_read=self.rows_read() if rows_read is None else rows_read,
        )
