"""The System page's resources and cost: `nbaprops usage --json` by day and by phase, over everything recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbaprops.ops.usage import Grouping, read_requests, read_runs, usage_report, warehouse_bytes
from nbaprops.ops.usage_config import UsageConfig
from nbaprops.warehouse import Warehouse


def usage_data(warehouse: Warehouse, *, raw_dir: Path | None, config: UsageConfig) -> dict[str, Any]:
    """Usage per day and per phase with its total, the storage cost a month and the prices, as
    `nbaprops usage --by day --json` and `--by phase --json` print them; no `raw_dir`: no requests."""
    runs = read_runs(warehouse)
    requests = read_requests(raw_dir, metered=config.metered) if raw_dir is not None else []
    size = warehouse_bytes(warehouse)
    by_day, by_phase = (
        usage_report(runs, requests, by=by, since=None, prices=config, warehouse_bytes=size).to_json()
        for by in (Grouping.DAY, Grouping.PHASE)
    )
    return {
        "currency": by_day["currency"],
        "prices": by_day["prices"],
        "total": by_day["total"],
        "cpu_hours": round(by_day["total"]["cpu_seconds"] / 3600, 6),
        "by_day": by_day["groups"],
        "by_phase": by_phase["groups"],
        "runs_rss_grew": by_day["runs_rss_grew"],
        "storage": by_day["storage"],
        "notes": by_day["notes"],
    }
