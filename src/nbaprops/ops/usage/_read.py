"""Reading usage: processor runs from the warehouse, requests from the raw store's request ledger."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from nbaprops.ops.usage._model import Grouping, RequestUsage, RunUsage
from nbaprops.ops.usage._report import UsageReport, usage_report
from nbaprops.ops.usage_config import MeteredSource, UsageConfig
from nbaprops.sources.raw_store import REQUEST_LEDGER
from nbaprops.warehouse import Warehouse

RUN_USAGE = "nba_orchestration.processor_run_usage"
_RUNS = f"""
    SELECT processor, phase, source, CAST(started_at AS DATE) AS day, status, wall_seconds, cpu_seconds,
           peak_rss_bytes, rss_grew, rows_read, coalesce(rows_written, 0) AS rows_written
    FROM {RUN_USAGE} WHERE $since IS NULL OR CAST(started_at AS DATE) >= $since
    ORDER BY started_at, processor
"""
_HAS_RUN_USAGE = (
    "SELECT count(*) FROM information_schema.tables "
    "WHERE table_schema = 'nba_orchestration' AND table_name = 'processor_run_usage'"
)


def read_runs(warehouse: Warehouse, *, since: date | None = None) -> list[RunUsage]:
    """Every recorded processor run from `since` on (none in a warehouse older than migration 0017)."""
    if not warehouse.scalar(_HAS_RUN_USAGE):
        return []
    return [RunUsage(**row) for row in warehouse.query(_RUNS, {"since": since})]


def read_requests(
    raw_dir: Path, *, since: date | None = None, metered: Mapping[str, MeteredSource] | None = None
) -> list[RequestUsage]:
    """Every response in the request ledger of `raw_dir` fetched from `since` on; a metered source's
    credits from its header. A line cut off mid-write (a killed process) is skipped."""
    ledger = raw_dir / REQUEST_LEDGER
    if not ledger.exists():
        return []
    requests = []
    for text in ledger.read_text(encoding="utf-8").splitlines():
        try:
            meta = json.loads(text)
        except json.JSONDecodeError:
            continue
        day = datetime.fromisoformat(meta["fetched_utc"]).date()
        if since is not None and day < since:
            continue
        source = str(meta["source"])
        requests.append(RequestUsage(
            source=source, endpoint=str(meta["endpoint"]), day=day, status_code=int(meta["status_code"]),
            bytes=int(meta["bytes"]), credits=credits_used(meta.get("headers", {}), (metered or {}).get(source)),
        ))
    return requests


def credits_used(headers: Mapping[str, str], metered: MeteredSource | None) -> float:
    """The credits a response's header reports (an unmetered source, or no readable header: 0)."""
    if metered is None:
        return 0.0
    value = headers.get(metered.credits_header.lower())
    try:
        return max(0.0, float(value)) if value is not None else 0.0
    except ValueError:
        return 0.0


def warehouse_bytes(warehouse: Warehouse) -> int:
    """The warehouse's size on disk: the DuckDB file and its write-ahead log, or the PostgreSQL database's."""
    path = warehouse.path
    if not isinstance(path, Path):
        return int(warehouse.scalar("SELECT pg_database_size(current_database())") or 0)
    return sum(part.stat().st_size for part in (path, path.with_name(path.name + ".wal")) if part.exists())


def read_usage(
    warehouse: Warehouse, raw_dir: Path, *, by: Grouping, since: date | None, config: UsageConfig
) -> UsageReport:
    """The usage report of a home: its warehouse's runs, its raw store's requests, its warehouse's size."""
    return usage_report(
        read_runs(warehouse, since=since), read_requests(raw_dir, since=since, metered=config.metered),
        by=by, since=since, prices=config, warehouse_bytes=warehouse_bytes(warehouse),
    )
