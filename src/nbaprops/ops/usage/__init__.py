"""Resource and cost accounting: what processor runs and source requests used, and what it cost."""

from nbaprops.ops.usage._model import (
    SOURCE_REQUESTS,
    Grouping,
    RequestUsage,
    RunUsage,
    UsageGroup,
    combine,
    total,
    usage_groups,
)
from nbaprops.ops.usage._read import credits_used, read_requests, read_runs, read_usage, warehouse_bytes
from nbaprops.ops.usage._report import UsageReport, usage_report

__all__ = [
    "SOURCE_REQUESTS",
    "Grouping",
    "RequestUsage",
    "RunUsage",
    "UsageGroup",
    "UsageReport",
    "combine",
    "credits_used",
    "read_requests",
    "read_runs",
    "read_usage",
    "total",
    "usage_groups",
    "usage_report",
    "warehouse_bytes",
]
