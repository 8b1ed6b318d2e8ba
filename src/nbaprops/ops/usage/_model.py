"""What runs and requests used, grouped by day, phase, processor or source, and priced: pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, assert_never

from nbaprops.ops.usage_config import UsageConfig

# Where HTTP requests land when grouped by phase or processor: no processor run owns them (Phase 2
# scrapers, the worker's window polls and `sources check` all send them).
SOURCE_REQUESTS = "sources"
SECONDS_PER_HOUR = 3600.0
BYTES_PER_GB = 1e9
DAYS_PER_MONTH = 365.25 / 12


class Grouping(StrEnum):
    """What `nbaprops usage --by` groups by."""

    DAY = "day"
    PHASE = "phase"
    PROCESSOR = "processor"
    SOURCE = "source"


@dataclass(frozen=True)
class RunUsage:
    """One processor run: `day` on the run's clock, the measures real."""

    processor: str
    phase: str
    source: str
    day: date
    status: str
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    rss_grew: bool
    rows_read: int
    rows_written: int


@dataclass(frozen=True)
class RequestUsage:
    """One HTTP response a live source received (failed statuses too)."""

    source: str
    endpoint: str
    day: date
    status_code: int
    bytes: int
    credits: float


@dataclass(frozen=True)
class UsageGroup:
    """The runs and requests of one key. `peak_rss_bytes` is the highest process peak seen, not a sum."""

    key: str
    runs: int = 0
    failed_runs: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_bytes: int = 0
    rows_read: int = 0
    rows_written: int = 0
    requests: int = 0
    bytes: int = 0
    credits: float = 0.0
    cpu_cost: float = 0.0
    credit_cost: float = 0.0

    @property
    def cost(self) -> float:
        return self.cpu_cost + self.credit_cost

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "runs": self.runs, "failed_runs": self.failed_runs,
            "wall_seconds": round(self.wall_seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
            "peak_rss_bytes": self.peak_rss_bytes, "rows_read": self.rows_read, "rows_written": self.rows_written,
            "requests": self.requests, "bytes": self.bytes, "credits": self.credits,
            "cpu_cost": round(self.cpu_cost, 6), "credit_cost": round(self.credit_cost, 6), "cost": round(self.cost, 6),
        }


def run_key(run: RunUsage, by: Grouping) -> str:
    """The group of a processor run: its day, phase, processor, or the source it read through."""
    match by:
        case Grouping.DAY:
            return run.day.isoformat()
        case Grouping.PHASE:
            return run.phase
        case Grouping.PROCESSOR:
            return run.processor
        case Grouping.SOURCE:
            return run.source
        case _:
            assert_never(by)


def request_key(request: RequestUsage, by: Grouping) -> str:
    """The group of a request: its day or source; by phase or processor, SOURCE_REQUESTS."""
    match by:
        case Grouping.DAY:
            return request.day.isoformat()
        case Grouping.PHASE | Grouping.PROCESSOR:
            return SOURCE_REQUESTS
        case Grouping.SOURCE:
            return request.source
        case _:
            assert_never(by)


def cpu_cost(cpu_seconds: float, prices: UsageConfig) -> float:
    return cpu_seconds / SECONDS_PER_HOUR * prices.cpu_hour_price


def credit_cost(source: str, credits: float, prices: UsageConfig) -> float:
    """What `credits` of `source` cost; a source not in `[usage.metered]` bills none."""
    metered = prices.metered.get(source)
    return 0.0 if metered is None else credits * metered.credit_price


def storage_cost_per_month(size_bytes: int, prices: UsageConfig) -> float:
    return size_bytes / BYTES_PER_GB * prices.warehouse_gb_month_price


def usage_groups(
    runs: Iterable[RunUsage], requests: Iterable[RequestUsage], *, by: Grouping, prices: UsageConfig
) -> list[UsageGroup]:
    """The runs and requests summed per key of `by`, priced, in key order."""
    groups: dict[str, UsageGroup] = {}
    for run in runs:
        key = run_key(run, by)
        groups[key] = combine(groups.get(key, UsageGroup(key)), UsageGroup(
            key, runs=1, failed_runs=int(run.status == "failed"), wall_seconds=run.wall_seconds,
            cpu_seconds=run.cpu_seconds, peak_rss_bytes=run.peak_rss_bytes, rows_read=run.rows_read,
            rows_written=run.rows_written, cpu_cost=cpu_cost(run.cpu_seconds, prices),
        ))
    for request in requests:
        key = request_key(request, by)
        groups[key] = combine(groups.get(key, UsageGroup(key)), UsageGroup(
            key, requests=1, bytes=request.bytes, credits=request.credits,
            credit_cost=credit_cost(request.source, request.credits, prices),
        ))
    return [groups[key] for key in sorted(groups)]


def combine(a: UsageGroup, b: UsageGroup, *, key: str | None = None) -> UsageGroup:
    """Two groups as one (under `key`, else `a`'s): sums, and the higher memory peak."""
    return UsageGroup(
        key=a.key if key is None else key, runs=a.runs + b.runs, failed_runs=a.failed_runs + b.failed_runs,
        wall_seconds=a.wall_seconds + b.wall_seconds, cpu_seconds=a.cpu_seconds + b.cpu_seconds,
        peak_rss_bytes=max(a.peak_rss_bytes, b.peak_rss_bytes), rows_read=a.rows_read + b.rows_read,
        rows_written=a.rows_written + b.rows_written, requests=a.requests + b.requests, bytes=a.bytes + b.bytes,
        credits=a.credits + b.credits, cpu_cost=a.cpu_cost + b.cpu_cost, credit_cost=a.credit_cost + b.credit_cost,
    )


def total(groups: Sequence[UsageGroup]) -> UsageGroup:
    """Every group together, under the key "total"."""
    result = UsageGroup("total")
    for group in groups:
        result = combine(result, group, key="total")
    return result
