"""The rows `nbaprops slo` and the dashboard judge reliability on: incidents, interventions and
phase completions from a game_date on, as plain dicts (times naive UTC turned aware)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from nbaprops.state._schedule import table_exists
from nbaprops.warehouse import Warehouse

INCIDENTS = "nba_orchestration.incidents"
INTERVENTIONS = "nba_orchestration.interventions"
PHASE_COMPLETIONS = "nba_orchestration.phase_completions"


def reliability_rows(warehouse: Warehouse, *, since: date) -> dict[str, list[dict[str, Any]]]:
    """`incidents`, `interventions` and `phases` of game_dates from `since` on (none of a table
    the warehouse lacks)."""
    reads = {
        "incidents": (
            INCIDENTS,
            "SELECT incident_id, component, error_class, game_date, status, opened_at, detected_at, resolved_at, "
            f"resolved_by, root_cause, suggested_fix, diagnosis_rule FROM {INCIDENTS} WHERE game_date >= ? "
            "ORDER BY opened_at",
        ),
        "interventions": (
            INTERVENTIONS,
            f"SELECT command, target, game_date, intervened_at FROM {INTERVENTIONS} "
            "WHERE coalesce(game_date, CAST(intervened_at AS DATE)) >= ? ORDER BY intervened_at",
        ),
        "phases": (
            PHASE_COMPLETIONS,
            f"SELECT workflow_id, game_date, mode, phase, status, started_at, completed_at FROM {PHASE_COMPLETIONS} "
            "WHERE game_date >= ? ORDER BY workflow_id, started_at",
        ),
    }
    return {
        name: [_aware(row) for row in warehouse.query(sql, [since])] if table_exists(warehouse, table) else []
        for name, (table, sql) in reads.items()
    }


def latest_reliability_date(warehouse: Warehouse) -> date | None:
    """The latest game_date with a phase completion or an incident (the end of a replayed period)."""
    dates = [
        warehouse.scalar(f"SELECT max(game_date) FROM {table}")
        for table in (PHASE_COMPLETIONS, INCIDENTS)
        if table_exists(warehouse, table)
    ]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _aware(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.replace(tzinfo=UTC) if isinstance(v, datetime) and v.tzinfo is None else v for k, v in row.items()}


def open_incident_causes(warehouse: Warehouse, *, now_utc: datetime) -> list[dict[str, Any]]:
    """The diagnosis of every incident open at `now_utc` (opened by then, not resolved by then):
    component, the phase it runs in (None for what is not a processor), error_class, root_cause,
    suggested_fix."""
    if not table_exists(warehouse, INCIDENTS):
        return []
    now = now_utc.astimezone(UTC).replace(tzinfo=None)
    return warehouse.query(
        f"""
        SELECT i.component, (SELECT any_value(h.phase) FROM nba_orchestration.processor_run_history AS h
                             WHERE h.processor = i.component) AS phase,
               i.error_class, i.root_cause, i.suggested_fix
        FROM {INCIDENTS} AS i
        WHERE i.detected_at <= ? AND (i.resolved_at IS NULL OR i.resolved_at > ?) AND i.root_cause IS NOT NULL
        ORDER BY i.opened_at, i.incident_id
        """,
        [now, now],
    )


def open_incidents(warehouse: Warehouse) -> list[dict[str, Any]]:
    """Every incident still open, oldest first: what failed, since when (the run's clock), how often,
    and its diagnosis when one was made."""
    if not table_exists(warehouse, INCIDENTS):
        return []
    return warehouse.query(
        f"SELECT incident_id, component, error_class, game_date, opened_at, last_failure_at, failures, "
        f"root_cause, suggested_fix FROM {INCIDENTS} WHERE status = 'open' ORDER BY opened_at, incident_id"
    )
