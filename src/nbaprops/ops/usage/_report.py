"""The report `nbaprops usage` prints and the dashboard's System page draws from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nbaprops.ops.usage._model import (
    Grouping,
    RequestUsage,
    RunUsage,
    UsageGroup,
    storage_cost_per_month,
    total,
    usage_groups,
)
from nbaprops.ops.usage_config import UsageConfig

NOTES = (
    "Days are on the run's clock (a backfill's virtual days); times, CPU and memory are real.",
    "CPU seconds are the process's (every thread, DuckDB's too) while the run held the warehouse.",
    "Peak RSS is the process's high-water mark when a run ended, the highest of the group; "
    "'grew' counts the runs that raised it.",
    "Rows read are rows the processor's warehouse queries returned (not rows DuckDB scanned); Phase 2 "
    "reads its source, not the warehouse, so its rows read are 0 and what it fetched shows as written.",
    "Requests are the HTTP responses live sources received (raw/requests.jsonl); replay and sim read files and the "
    "warehouse, send none, and show 0 bytes and 0 credits.",
)


@dataclass(frozen=True)
class UsageReport:
    """Usage grouped one way, with its total, the warehouse's storage cost and the prices used."""

    by: Grouping
    since: date | None
    currency: str
    prices: UsageConfig
    groups: tuple[UsageGroup, ...]
    total: UsageGroup
    runs_rss_grew: int
    warehouse_bytes: int
    notes: tuple[str, ...] = field(default=NOTES)

    @property
    def storage_cost_per_month(self) -> float:
        return storage_cost_per_month(self.warehouse_bytes, self.prices)

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by.value,
            "since": self.since,
            "currency": self.currency,
            "prices": {
                "cpu_hour": self.prices.cpu_hour_price,
                "warehouse_gb_month": self.prices.warehouse_gb_month_price,
                "credits": {name: m.credit_price for name, m in sorted(self.prices.metered.items())},
            },
            "groups": [group.to_json() for group in self.groups],
            "total": self.total.to_json(),
            "runs_rss_grew": self.runs_rss_grew,
            "storage": {
                "warehouse_bytes": self.warehouse_bytes,
                "cost_per_month": round(self.storage_cost_per_month, 6),
            },
            "notes": list(self.notes),
        }


def usage_report(
    runs: Sequence[RunUsage],
    requests: Sequence[RequestUsage],
    *,
    by: Grouping,
    since: date | None,
    prices: UsageConfig,
    warehouse_bytes: int,
) -> UsageReport:
    """The runs and requests from `since` on, grouped by `by` and priced."""
    runs = [run for run in runs if since is None or run.day >= since]
    requests = [request for request in requests if since is None or request.day >= since]
    groups = tuple(usage_groups(runs, requests, by=by, prices=prices))
    return UsageReport(
        by=by, since=since, currency=prices.currency, prices=prices, groups=groups, total=total(groups),
        runs_rss_grew=sum(run.rss_grew for run in runs), warehouse_bytes=warehouse_bytes,
    )
