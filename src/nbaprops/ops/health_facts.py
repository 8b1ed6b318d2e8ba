"""Reads what `nbaprops health` reports from the warehouse, as of an instant (see collect)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import duckdb

from nbaprops.alerting.collect import (
    ERROR_STATUSES,
    PREDICTIONS_AS_OF,
    RUNS_AS_OF,
    WROTE_STATUSES,
    GradingCounts,
    ProcessorProgress,
    ScheduledDay,
    day_is_over,
    grading_counts,
    phase3_progress,
    previous_game_day,
    required_utc,
    runs_in_progress,
    scheduled_day,
    table_exists,
    ungraded_game_dates,
    utc,
    warehouse_instant,
)
from nbaprops.alerting.signals import RunInProgress
from nbaprops.errors import WarehouseError
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.config import Settings


@dataclass(frozen=True)
class SystemPredictions:
    system_id: str
    predictions: int
    players: int
    last_created_utc: datetime | None


@dataclass(frozen=True)
class PredictionFacts:
    """The active predictions of the game_date."""

    predictions: int
    players: int
    last_created_utc: datetime | None
    systems: tuple[SystemPredictions, ...]
    phase5_status: str | None
    """The latest Phase 5 run's status for the game_date; None: it never ran."""


@dataclass(frozen=True)
class RunError:
    """A run that failed, timed out or was abandoned."""

    processor: str
    phase: str
    game_date: date
    attempt: int
    status: str
    failed_utc: datetime
    error_class: str | None
    error_message: str | None
    recovered: bool
    """A later run of the same processor and date wrote its partition."""


@dataclass(frozen=True)
class SourceFreshness:
    """How recent one raw table is for the date it should cover."""

    source: str
    table: str
    covers_date: date | None
    """The date the table must have for the game_date's pipeline (None: no such date)."""
    rows: int
    latest_game_date: date | None
    newest_utc: datetime | None
    """Newest snapshot / report time of `covers_date`'s rows, for tables that record one."""


@dataclass(frozen=True)
class GateDecisionRecord:
    """The orchestrator's latest decision at one gate for the game_date."""

    gate: str
    decision: str
    reason: str
    decided_utc: datetime


@dataclass(frozen=True)
class HealthFacts:
    """Everything the health check judges, for one game_date at one instant."""

    game_date: date
    now_utc: datetime
    has_data: bool
    day: ScheduledDay
    previous_game_day: date | None
    previous_day_over: bool
    """Whether the games of the previous game day have ended."""
    predictions: PredictionFacts
    phase3: tuple[ProcessorProgress, ...]
    phase3_last_success_utc: dict[str, datetime | None]
    """Each Phase 3 processor's last write, whatever its date."""
    grading: GradingCounts | None
    ungraded_game_dates: tuple[date, ...]
    errors: tuple[RunError, ...]
    """Failed runs within the errors window, newest first."""
    freshness: tuple[SourceFreshness, ...]
    in_progress: tuple[RunInProgress, ...]
    gates: tuple[GateDecisionRecord, ...] | None
    """None when the orchestration tables do not exist."""
    give_ups: tuple[str, ...]
    """Reasons of the orchestrator's give-ups on the game_date."""


def load_health_facts(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> HealthFacts:
    """Read the facts of `game_date` as they stood at `now_utc`."""
    try:
        return _read(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    except duckdb.Error as e:
        first_line = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise WarehouseError(
            f"Reading the health of {game_date} from {warehouse.path} failed ({first_line}); "
            "run `nbaprops db migrate` if a table is missing."
        ) from e


def latest_data_date(warehouse: Warehouse, *, on_or_before: date) -> date | None:
    """The latest game_date with predictions or processor runs, on or before `on_or_before`
    when there is one, else the latest of all."""
    row = warehouse.query(
        """
        WITH dates AS (
            SELECT DISTINCT game_date FROM nba_predictions.player_prop_predictions
            UNION SELECT DISTINCT game_date FROM nba_orchestration.processor_run_history
        )
        SELECT max(game_date) FILTER (WHERE game_date <= $day) AS before, max(game_date) AS latest
        FROM dates
        """,
        {"day": on_or_before},
    )[0]
    return row["before"] or row["latest"]


def has_activity(warehouse: Warehouse, game_date: date) -> bool:
    """Whether `game_date` has a schedule, processor runs or predictions."""
    return bool(
        warehouse.scalar(
            """
            SELECT (SELECT count(*) FROM nba_raw.schedule WHERE game_date = $day)
                 + (SELECT count(*) FROM nba_orchestration.processor_run_history
                    WHERE game_date = $day)
                 + (SELECT count(*) FROM nba_predictions.player_prop_predictions
                    WHERE game_date = $day)
            """,
            {"day": game_date},
        )
    )


def _read(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> HealthFacts:
    now = warehouse_instant(now_utc)
    params: dict[str, Any] = {"game_date": game_date, "now": now}
    previous = previous_game_day(warehouse, game_date=game_date, now_utc=now_utc)
    phase3 = phase3_progress(
        warehouse, game_date=game_date, now_utc=now_utc, settings=settings, previous=previous
    )
    gates_table = table_exists(warehouse, "nba_orchestration.orchestration_events")
    return HealthFacts(
        game_date=game_date,
        now_utc=now_utc,
        has_data=_has_data(warehouse),
        day=scheduled_day(warehouse, game_date),
        previous_game_day=previous,
        previous_day_over=previous is not None
        and day_is_over(
            scheduled_day(warehouse, previous),
            now_utc=now_utc,
            game_duration_hours=settings.replay.game_duration_hours,
        ),
        predictions=_predictions(warehouse, params),
        phase3=phase3,
        phase3_last_success_utc=_last_writes(warehouse, [p.processor for p in phase3], now),
        grading=grading_counts(warehouse, game_date=game_date, now_utc=now_utc),
        ungraded_game_dates=ungraded_game_dates(
            warehouse, game_date=game_date, now_utc=now_utc, settings=settings
        ),
        errors=_errors(
            warehouse, now=now, since=now - timedelta(hours=settings.health.errors_window_hours)
        ),
        freshness=_freshness(warehouse, game_date=game_date, previous=previous, now=now),
        in_progress=runs_in_progress(warehouse, now_utc=now_utc),
        gates=_gates(warehouse, params) if gates_table else None,
        give_ups=_give_ups(warehouse, params) if gates_table else (),
    )


def _has_data(warehouse: Warehouse) -> bool:
    return bool(
        warehouse.scalar(
            "SELECT EXISTS (SELECT 1 FROM nba_raw.schedule) "
            "OR EXISTS (SELECT 1 FROM nba_orchestration.processor_run_history) "
            "OR EXISTS (SELECT 1 FROM nba_predictions.player_prop_predictions)"
        )
    )


def _predictions(warehouse: Warehouse, params: dict[str, Any]) -> PredictionFacts:
    systems = tuple(
        SystemPredictions(
            system_id=row["system_id"],
            predictions=int(row["predictions"]),
            players=int(row["players"]),
            last_created_utc=utc(row["last_created"]),
        )
        for row in warehouse.query(
            f"""
            SELECT system_id, count(*) AS predictions, count(DISTINCT player_lookup) AS players,
                   max(created_at) AS last_created
            FROM ({PREDICTIONS_AS_OF}) GROUP BY system_id ORDER BY system_id
            """,
            params,
        )
    )
    totals = warehouse.query(
        f"SELECT count(*) AS predictions, count(DISTINCT player_lookup) AS players, "
        f"max(created_at) AS last_created FROM ({PREDICTIONS_AS_OF})",
        params,
    )[0]
    phase5 = warehouse.scalar(
        f"SELECT status FROM ({RUNS_AS_OF}) WHERE game_date = $game_date AND phase = 'phase5' "
        "ORDER BY started_at DESC, attempt DESC LIMIT 1",
        params,
    )
    return PredictionFacts(
        predictions=int(totals["predictions"]),
        players=int(totals["players"]),
        last_created_utc=utc(totals["last_created"]),
        systems=systems,
        phase5_status=phase5,
    )


def _last_writes(
    warehouse: Warehouse, processors: list[str], now: datetime
) -> dict[str, datetime | None]:
    rows = warehouse.query(
        f"""
        SELECT processor, max(finished_at) AS last_write FROM ({RUNS_AS_OF})
        WHERE list_contains($processors, processor) AND list_contains($wrote, status)
        GROUP BY processor
        """,
        {"processors": processors, "wrote": list(WROTE_STATUSES), "now": now},
    )
    found = {row["processor"]: utc(row["last_write"]) for row in rows}
    return {processor: found.get(processor) for processor in processors}


def _errors(warehouse: Warehouse, *, now: datetime, since: datetime) -> tuple[RunError, ...]:
    rows = warehouse.query(
        f"""
        WITH runs AS ({RUNS_AS_OF})
        SELECT e.processor, e.phase, e.game_date, e.attempt, e.status, e.error_class,
               e.error_message, coalesce(e.finished_at, e.started_at) AS failed_at,
               EXISTS (
                   SELECT 1 FROM runs AS s
                   WHERE s.processor = e.processor AND s.game_date = e.game_date
                     AND s.started_at > e.started_at AND list_contains($wrote, s.status)
               ) AS recovered
        FROM runs AS e
        WHERE list_contains($errors, e.status) AND coalesce(e.finished_at, e.started_at) > $since
        ORDER BY failed_at DESC, e.processor
        """,
        {
            "now": now,
            "since": since,
            "errors": list(ERROR_STATUSES),
            "wrote": list(WROTE_STATUSES),
        },
    )
    return tuple(
        RunError(
            processor=row["processor"],
            phase=row["phase"],
            game_date=row["game_date"],
            attempt=int(row["attempt"]),
            status=row["status"],
            failed_utc=required_utc(row["failed_at"]),
            error_class=row["error_class"],
            error_message=row["error_message"],
            recovered=bool(row["recovered"]),
        )
        for row in rows
    )


# (source, table, which date it covers, column of the row's time or None)
_SOURCES: tuple[tuple[str, str, str, str | None], ...] = (
    ("schedule", "nba_raw.schedule", "game_date", None),
    ("box_scores", "nba_raw.player_boxscores", "previous", None),
    ("prop_lines", "nba_raw.player_prop_lines", "game_date", "snapshot_utc"),
    ("injuries", "nba_raw.injury_report", "game_date", "reported_utc"),
)


def _freshness(
    warehouse: Warehouse, *, game_date: date, previous: date | None, now: datetime
) -> tuple[SourceFreshness, ...]:
    found = []
    for source, table, covers, time_column in _SOURCES:
        day = game_date if covers == "game_date" else previous
        newest = (
            f"max({time_column}) FILTER (WHERE game_date = $day AND {time_column} <= $now)"
            if time_column
            else "NULL"
        )
        row = warehouse.query(
            f"""
            SELECT count(*) FILTER (WHERE game_date = $day) AS rows,
                   max(game_date) AS latest,
                   {newest} AS newest
            FROM {table}
            """,
            {"day": day, "now": now},
        )[0]
        found.append(
            SourceFreshness(
                source=source,
                table=table,
                covers_date=day,
                rows=int(row["rows"]),
                latest_game_date=row["latest"],
                newest_utc=utc(row["newest"]),
            )
        )
    return tuple(found)


def _gates(warehouse: Warehouse, params: dict[str, Any]) -> tuple[GateDecisionRecord, ...]:
    rows = warehouse.query(
        """
        SELECT gate, decision, reason, decided_at FROM nba_orchestration.orchestration_events
        WHERE game_date = $game_date AND kind = 'gate' AND gate IS NOT NULL AND decided_at <= $now
        QUALIFY row_number() OVER (PARTITION BY gate ORDER BY decided_at DESC, event_id DESC) = 1
        ORDER BY decided_at
        """,
        params,
    )
    return tuple(
        GateDecisionRecord(
            gate=row["gate"],
            decision=row["decision"],
            reason=row["reason"],
            decided_utc=required_utc(row["decided_at"]),
        )
        for row in rows
    )


def _give_ups(warehouse: Warehouse, params: dict[str, Any]) -> tuple[str, ...]:
    rows = warehouse.query(
        """
        SELECT reason FROM nba_orchestration.orchestration_events
        WHERE game_date = $game_date AND kind = 'give_up' AND decided_at <= $now
        ORDER BY decided_at
        """,
        params,
    )
    return tuple(row["reason"] for row in rows)

