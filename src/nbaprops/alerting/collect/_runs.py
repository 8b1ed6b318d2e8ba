"""Reads of processor_run_history (and the orchestrator's retries) that only the alert signals
need, as they stood at an instant.

Every read is "as of" `now_utc`: rows recorded later are left out and runs that finished later
count as still running. Each reader returns plain values; the rules over them are the pure
functions beside it (`first_phase4_start`, `predictions_due`, `down_sources`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nbaprops.state import (
    ERROR_STATUSES,
    PREDICTIONS_AS_OF,
    RUNS_AS_OF,
    ScheduledDay,
    error_text,
    required_utc,
    warehouse_instant,
)
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings

# What each phase's alerts are filed under (`Alert.component`).
PHASE_COMPONENTS = {
    "phase2": "sources",
    "phase3": "phase3",
    "phase4": "phase4",
    "phase5": "predictions",
    "grading": "grading",
}
SOURCE_ERROR_TEXT_LIMIT = 200


def phase4_started(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    settings: Settings,
    phase3_finished_utc: datetime | None,
) -> datetime | None:
    """When Phase 4 (the phase4_to_phase5 gate's processors) started for `game_date`: the first
    start once Phase 3 had finished, else the latest start (None: it never started)."""
    starts = read_starts(
        warehouse,
        game_date=game_date,
        processors=settings.orchestration.gates.phase4_to_phase5.processors,
        now_utc=now_utc,
    )
    return first_phase4_start(starts, phase3_finished_utc=phase3_finished_utc)


def read_starts(
    warehouse: Warehouse, *, game_date: date, processors: Iterable[str], now_utc: datetime
) -> list[datetime]:
    """When runs of `processors` for `game_date` started, by `now_utc`, oldest first."""
    rows = warehouse.query(
        f"SELECT started_at FROM ({RUNS_AS_OF}) "
        "WHERE game_date = $game_date AND list_contains($processors, processor) "
        "ORDER BY started_at",
        {"game_date": game_date, "now": warehouse_instant(now_utc), "processors": list(processors)},
    )
    return [required_utc(row["started_at"]) for row in rows]


def first_phase4_start(
    starts: Sequence[datetime], *, phase3_finished_utc: datetime | None
) -> datetime | None:
    """The first of `starts` once Phase 3 had finished, else the latest (None: none)."""
    if phase3_finished_utc is None:
        return starts[0] if starts else None
    after = [start for start in starts if start >= phase3_finished_utc]
    return after[0] if after else (starts[-1] if starts else None)


def predictions_count_when_due(
    warehouse: Warehouse, *, day: ScheduledDay, now_utc: datetime
) -> int | None:
    """Active predictions of `day` once they are due (see `predictions_due`); None before."""
    params = {"game_date": day.game_date, "now": warehouse_instant(now_utc)}
    phase5_finished = warehouse.scalar(
        f"SELECT count(*) FROM ({RUNS_AS_OF}) "
        "WHERE game_date = $game_date AND phase = 'phase5' AND status <> 'running'",
        params,
    )
    if not predictions_due(day, now_utc=now_utc, phase5_finished=bool(phase5_finished)):
        return None
    return int(warehouse.scalar(f"SELECT count(*) FROM ({PREDICTIONS_AS_OF})", params))


def predictions_due(day: ScheduledDay, *, now_utc: datetime, phase5_finished: bool) -> bool:
    """Predictions are due once Phase 5 has finished for the day or its last game has begun
    (predictions are made just before the last tip-off, as in the backtest)."""
    tipped_off = day.last_tipoff_utc is not None and now_utc >= day.last_tipoff_utc
    return phase5_finished or tipped_off


def sources_down(
    warehouse: Warehouse, *, dates: Sequence[date], now_utc: datetime
) -> tuple[tuple[str, str], ...]:
    """Phase 2 feeds whose latest run for one of `dates` failed: the source behind them is down."""
    return down_sources(read_latest_phase2_runs(warehouse, dates=dates, now_utc=now_utc))


def read_latest_phase2_runs(
    warehouse: Warehouse, *, dates: Sequence[date], now_utc: datetime
) -> list[dict[str, Any]]:
    """The latest finished Phase 2 run of each feed and date of `dates`."""
    return warehouse.query(
        f"""
        SELECT processor, game_date, status, error_class, error_message FROM ({RUNS_AS_OF})
        WHERE phase = 'phase2' AND list_contains($dates, game_date) AND status <> 'running'
        QUALIFY row_number() OVER (
            PARTITION BY processor, game_date ORDER BY started_at DESC, attempt DESC) = 1
        ORDER BY processor, game_date
        """,
        {"dates": list(dates), "now": warehouse_instant(now_utc)},
    )


def down_sources(latest_runs: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
    """(feed, why) for each feed whose latest run failed, the first failed date's reason."""
    down: dict[str, str] = {}
    for row in latest_runs:
        if row["status"] in ERROR_STATUSES and row["processor"] not in down:
            error = error_text(
                row["error_class"], row["error_message"], limit=SOURCE_ERROR_TEXT_LIMIT
            )
            down[row["processor"]] = f"its {row['game_date']} run {row['status']} ({error})"
    return tuple(down.items())


def retry_pending_components(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, events_table: bool
) -> frozenset[str]:
    """Components of processors the orchestrator scheduled a retry for that has not started yet
    (none when the orchestrator's events table, `events_table`, does not exist)."""
    if not events_table:
        return frozenset()
    rows = warehouse.query(
        f"""
        WITH retries AS (
            SELECT processor, max(decided_at) AS decided_at
            FROM nba_orchestration.orchestration_events
            WHERE game_date = $game_date AND kind = 'retry' AND processor IS NOT NULL
              AND decided_at <= $now
            GROUP BY processor
        ), runs AS ({RUNS_AS_OF})
        SELECT DISTINCT (
            SELECT any_value(phase) FROM runs WHERE runs.processor = r.processor
        ) AS phase
        FROM retries AS r
        WHERE NOT EXISTS (
            SELECT 1 FROM runs WHERE runs.processor = r.processor
              AND runs.started_at >= r.decided_at
        )
        """,
        {"game_date": game_date, "now": warehouse_instant(now_utc)},
    )
    return components_of(row["phase"] for row in rows)


def components_of(phases: Iterable[str | None]) -> frozenset[str]:
    """The alert components of `phases` (phases without one are left out)."""
    return frozenset(PHASE_COMPONENTS[phase] for phase in phases if phase in PHASE_COMPONENTS)


def budget_refusals(
    warehouse: Warehouse, *, now_utc: datetime, lookback_hours: float, events_table: bool
) -> tuple[tuple[str, date, str, datetime], ...]:
    """Attempts the retry budget refused within `lookback_hours` before `now_utc`, oldest first:
    (processor, game_date, reason, decided_utc)."""
    if not events_table:
        return ()
    now = warehouse_instant(now_utc)
    rows = warehouse.query(
        """
        SELECT processor, game_date, reason, decided_at FROM nba_orchestration.orchestration_events
        WHERE kind = 'budget' AND decision = 'refused' AND decided_at <= $now
          AND decided_at > $since
        ORDER BY decided_at, event_id
        """,
        {"now": now, "since": now - timedelta(hours=lookback_hours)},
    )
    return tuple(
        (row["processor"], row["game_date"], row["reason"], row["decided_at"].replace(tzinfo=UTC))
        for row in rows
    )


# Incidents whose component is the orchestrator's own (retry budget refusals), not a processor's phase.
_ORCHESTRATION_CLASSES = ("RetryBudgetExhausted", "RetryStormGuard")


def incident_diagnoses(causes: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The diagnoses of open incidents (`nbaprops.state.open_incident_causes`) by alert component:
    a processor's under its phase's component, a budget refusal's under `orchestration` too."""
    found: dict[str, list[str]] = {}
    for cause in causes:
        text = f"{cause['component']}: {cause['root_cause']} Fix: {cause['suggested_fix']}"
        components = {PHASE_COMPONENTS.get(cause["phase"] or "", cause["component"])}
        if cause["error_class"] in _ORCHESTRATION_CLASSES:
            components.add("orchestration")
        for component in components:
            if text not in found.setdefault(component, []):
                found[component].append(text)
    return {component: " ".join(texts) for component, texts in found.items()}
