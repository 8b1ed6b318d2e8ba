"""The System page: end-to-end and per-phase latency, retries, breaker states, incidents with
their mean time to recover, alerts and silences, and source freshness.

Freshness and the firing alerts come from the health check itself (`nbaprops.ops.check_health`,
on the clock `nbaprops health` would judge by), alerts and silences from the alert store,
breakers from the orchestration database: the page restates what the CLI says.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nbaprops.alerting.store import AlertStore
from nbaprops.config import Settings
from nbaprops.ops import check_health, home_clock
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages._format import iso, plain, ratio, rounded

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
_INCIDENT_TABLES = """
    SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
    WHERE table_name LIKE '%incident%' ORDER BY name
"""
_OPENED = ("opened_utc", "opened_at", "started_utc", "started_at", "detected_utc", "detected_at")
_RESOLVED = ("resolved_utc", "resolved_at", "closed_utc", "closed_at", "recovered_utc", "recovered_at")
INCIDENT_ROWS = 20


def system_data(
    warehouse: Warehouse,
    *,
    settings: Settings,
    breakers: Mapping[str, str],
    wall_now: datetime,
    orchestration_db: Path | None = None,
) -> dict[str, Any]:
    """Every number the System page draws; `breakers` maps each source to its breaker's state."""
    clock = home_clock(warehouse, wall_now=wall_now)
    report = check_health(warehouse, now_utc=clock.now_utc, settings=settings,
                          breakers_open=sorted(s for s, state in breakers.items() if state == "open"))
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
        "breakers": [{"source": source, "state": state} for source, state in sorted(breakers.items())],
        "incidents": incidents(warehouse, orchestration_db),
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
    }


def incidents(warehouse: Warehouse, orchestration_db: Path | None = None) -> dict[str, Any]:
    """The incident store's latest rows and mean time to recover, or why there is none: a table
    named like `incident` in the warehouse, else in the orchestration database (SQLite)."""
    tables = [row["name"] for row in warehouse.query(_INCIDENT_TABLES)]
    if tables:
        rows = warehouse.query(f"SELECT * FROM {tables[0]}")  # noqa: S608 - a name read from information_schema
        return {"table": tables[0], **summarise_incidents(rows)}
    found = sqlite_incidents(orchestration_db) if orchestration_db is not None else None
    if found is not None:
        return {"table": found[0], **summarise_incidents(found[1])}
    return {"table": None, "rows": [], "count": 0, "resolved": 0, "mttr_seconds": None,
            "reason": "no incident store yet"}


def sqlite_incidents(path: Path) -> tuple[str, list[dict[str, Any]]] | None:
    """The rows of the first table named like `incident` in the SQLite file at `path`, read
    read-only (a reader never blocks SQLite's writer); None without such a file or table."""
    if not path.exists():
        return None
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)) as connection:
        connection.row_factory = sqlite3.Row
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%incident%' ORDER BY name")]
        if not names:
            return None
        rows = connection.execute(f'SELECT * FROM "{names[0]}"').fetchall()  # noqa: S608 - a name from sqlite_master
        return names[0], [dict(row) for row in rows]


def summarise_incidents(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts and MTTR of incident rows, from whichever opened/resolved instants they carry."""
    columns = set(rows[0]) if rows else set()
    opened = next((c for c in _OPENED if c in columns), None)
    resolved = next((c for c in _RESOLVED if c in columns), None)
    spans = [
        (_instant(row[resolved]) - _instant(row[opened])).total_seconds()
        for row in rows
        if opened and resolved and row.get(opened) is not None and row.get(resolved) is not None
    ]
    ordered = sorted(rows, key=lambda row: str(row.get(opened) or ""), reverse=True) if opened else list(rows)
    return {
        "rows": [plain(dict(row)) for row in ordered[:INCIDENT_ROWS]],
        "count": len(rows),
        "resolved": len(spans),
        "mttr_seconds": ratio(sum(spans), len(spans), 1),
        "reason": None if rows else "no incidents recorded",
    }


def _instant(value: datetime | str) -> datetime:
    """An instant as stored: a timestamp, or ISO text (SQLite); naive ones count as UTC."""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _phase_rank(phase: str) -> int:
    return PHASE_ORDER.index(phase) if phase in PHASE_ORDER else len(PHASE_ORDER)
