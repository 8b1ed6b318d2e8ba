"""The System page: end-to-end and per-phase latency, retries, breaker states, incidents with
their time to recover, alerts and silences, and source freshness.

Freshness and the firing alerts come from the health check itself (`nbaprops.ops.check_health`,
on the clock `nbaprops health` would judge by), alerts and silences from the alert store,
breakers as `status --json` reports them, incidents and their SLOs as `nbaprops slo --json`
computes them (`reliability.slo_reading`), the worker's window polls from `source_polls`: the
page restates what the CLI says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nbaprops.alerting.store import AlertStore
from nbaprops.config import Settings
from nbaprops.ops import check_health, home_clock
from nbaprops.orchestration.poll_store import latest_polls
from nbaprops.reliability.slo_reading import SloReading, read_slo
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import iso, plain, rounded
from nbaprops.web.pages.system_usage import usage_data

PHASE_ORDER = ("phase2", "phase3", "phase4", "phase5", "grading")
DECISION_KINDS = ("failure", "give_up", "retry", "timeout")
_END_TO_END = """
    SELECT workflow_id, game_date, min(started_utc) AS started_utc, max(completed_utc) AS completed_utc,
           date_diff('millisecond', min(started_utc), max(completed_utc)) / 1000.0 AS seconds
    FROM nba_orchestration.phase_completions
    GROUP BY workflow_id, game_date ORDER BY game_date, started_utc
"""
_PER_PHASE = """
    WITH spans AS (
        SELECT phase, date_diff('millisecond', started_utc, completed_utc) / 1000.0 AS seconds
        FROM nba_orchestration.phase_completions
    )
    SELECT phase, count(*) AS runs, median(seconds) AS median_seconds,
           quantile_cont(seconds, 0.95) AS p95_seconds, max(seconds) AS max_seconds
    FROM spans GROUP BY phase
"""
_DECISION_KINDS = """
    SELECT kind, count(*) AS count FROM nba_orchestration.orchestration_events
    WHERE kind IN ('retry', 'give_up', 'timeout', 'failure') GROUP BY kind ORDER BY kind
"""
_RETRIES_BY_PROCESSOR = """
    SELECT processor, count(*) FILTER (WHERE kind = 'retry') AS retries,
           count(*) FILTER (WHERE kind = 'give_up') AS give_ups,
           count(*) FILTER (WHERE kind = 'timeout') AS timeouts
    FROM nba_orchestration.orchestration_events
    WHERE kind IN ('retry', 'give_up', 'timeout') AND processor IS NOT NULL
    GROUP BY processor ORDER BY retries DESC, give_ups DESC, processor LIMIT 12
"""
_REPEATED_RUNS = "SELECT count(*) FROM nba_orchestration.processor_run_history WHERE attempt > 1"
INCIDENT_ROWS = 20


def system_data(
    warehouse: Warehouse,
    *,
    settings: Settings,
    breakers: Sequence[Mapping[str, Any]],
    wall_now: datetime,
    slo_since: date | None = None,
    raw_dir: Path | None = None,
) -> dict[str, Any]:
    """Every number the System page draws; `breakers` as `orchestration.breakers.breaker_report` gives
    them (source, state, failure_count, opened_at); incidents over the window `nbaprops slo` judges
    (from `slo_since` when given); resources and cost as `nbaprops usage` reports them (source
    requests from the request ledger of `raw_dir`)."""
    clock = home_clock(warehouse, wall_now=wall_now)
    report = check_health(warehouse, now_utc=clock.now_utc, settings=settings,
                          breakers_open=sorted(b["source"] for b in breakers if b["state"] == "open"))
    slo = read_slo(warehouse, since=slo_since, config=settings.slo, today=wall_now.date())
    end_to_end = [
        {"workflow_id": row["workflow_id"], "game_date": iso(row["game_date"]), "seconds": rounded(row["seconds"], 3)}
        for row in warehouse.query(_END_TO_END)
    ]
    seconds = sorted(row["seconds"] for row in end_to_end)
    store = AlertStore(warehouse)
    health = report.to_json()
    return {
        "latency": {
            "end_to_end": end_to_end,
            "end_to_end_median_seconds": rounded(_median(seconds), 3),
            "end_to_end_max_seconds": rounded(max(seconds, default=None), 3),
            "phases": sorted(
                ({key: rounded(value, 3) if key.endswith("seconds") else value for key, value in row.items()}
                 for row in warehouse.query(_PER_PHASE)),
                key=lambda row: (_phase_rank(row["phase"]), row["phase"]),
            ),
        },
        "retries": {
            "by_kind": {kind: 0 for kind in DECISION_KINDS}
            | {row["kind"]: row["count"] for row in warehouse.query(_DECISION_KINDS)},
            "repeated_runs": warehouse.scalar(_REPEATED_RUNS),
            "by_processor": warehouse.query(_RETRIES_BY_PROCESSOR),
        },
        "breakers": [dict(breaker) for breaker in breakers],
        "incidents": incidents_data(slo),
        "alerts": [state.to_json() for state in store.list_states(include_resolved=False)],
        "silences": [
            {"silence_id": s.silence_id, "matchers": list(s.matchers), "created_by": s.created_by,
             "comment": s.comment, "starts_utc": iso(s.starts_utc), "ends_utc": iso(s.ends_utc)}
            for s in store.silences(now=wall_now)
        ],
        "health": {
            "game_date": health["game_date"],
            "status": health["status"],
            "headline": health["headline"],
            "now_utc": health["now_utc"],
            "clock": clock.to_json(),
            "sections": [{"name": name, "title": s["title"], "status": s["status"], "reason": s["reason"]}
                         for name, s in health["sections"].items()],
            "firing": health["alerts"],
        },
        "freshness": health["sections"].get("freshness", {"rows": [], "reason": "no data yet"}),
        "polls": polls_data(warehouse),
        "usage": usage_data(warehouse, raw_dir=raw_dir, config=settings.usage),
    }


def incidents_data(slo: SloReading) -> dict[str, Any]:
    """The incidents of the SLO window, newest first, with the report `nbaprops slo --json` prints of
    it (recovery rate, time to recovery p50/p95 among its metrics)."""
    rows = slo.rows["incidents"]
    report = slo.report.to_json()
    metrics = {metric["name"]: metric for metric in report["metrics"]}
    newest = sorted(rows, key=lambda row: (row["opened_at"], row["incident_id"]), reverse=True)
    return {
        "since": report["since"],
        "until": report["until"],
        "count": report["incidents"]["total"],
        "open": report["incidents"]["open"],
        "recovery_rate": metrics["recovery_rate"]["value"],
        "time_to_recovery_p50_minutes": metrics["time_to_recovery_p50"]["value"],
        "time_to_recovery_p95_minutes": metrics["time_to_recovery_p95"]["value"],
        "slo": report,
        "rows": [
            {**plain(row), "minutes_to_recover": None if row["resolved_at"] is None else rounded(
                (row["resolved_at"] - row["opened_at"]).total_seconds() / 60, 2)}
            for row in newest[:INCIDENT_ROWS]
        ],
    }


def polls_data(warehouse: Warehouse) -> list[dict[str, Any]]:
    """The worker's last window poll of each source and kind: when, for which date, what it saw."""
    return [{**poll.to_json(), "failed": poll.failed} for poll in latest_polls(warehouse)]


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _phase_rank(phase: str) -> int:
    return PHASE_ORDER.index(phase) if phase in PHASE_ORDER else len(PHASE_ORDER)
