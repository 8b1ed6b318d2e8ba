"""What `nbaprops health` reads beyond the pipeline's state (`nbaprops.state`), as of an instant:
predictions, data freshness, the orchestrator's gates and give-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from nbaprops.errors import WarehouseError
from nbaprops.state import (
    PREDICTIONS_AS_OF,
    RUNS_AS_OF,
    GradingCounts,
    PipelineState,
    ProcessorProgress,
    RunError,
    RunInProgress,
    ScheduledDay,
    day_is_over,
    read_pipeline_state,
    required_utc,
    utc,
    warehouse_instant,
)
from nbaprops.suggestions import migrate_warehouse
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
    """Everything the health check judges, for one game_date at one instant: the pipeline's
    state (the read model) and what only the health check reads."""

    state: PipelineState
    has_data: bool
    previous_day_over: bool
    """Whether the games of the previous game day have ended."""
    predictions: PredictionFacts
    phase3_last_success_utc: dict[str, datetime | None]
    """Each Phase 3 processor's last write, whatever its date."""
    freshness: tuple[SourceFreshness, ...]
    gates: tuple[GateDecisionRecord, ...] | None
    """None when the orchestration tables do not exist."""
    give_ups: tuple[str, ...]
    """Reasons of the orchestrator's give-ups on the game_date."""

    @property
    def game_date(self) -> date:
        return self.state.game_date

    @property
    def now_utc(self) -> datetime:
        return self.state.now_utc

    @property
    def day(self) -> ScheduledDay:
        return self.state.day

    @property
    def previous_game_day(self) -> date | None:
        return self.state.previous_game_day

    @property
    def phase3(self) -> tuple[ProcessorProgress, ...]:
        return self.state.phase3

    @property
    def grading(self) -> GradingCounts | None:
        return self.state.grading

    @property
    def ungraded_game_dates(self) -> tuple[date, ...]:
        return self.state.ungraded_game_dates

    @property
    def errors(self) -> tuple[RunError, ...]:
        """Failed runs within the errors window, newest first."""
        return self.state.errors

    @property
    def in_progress(self) -> tuple[RunInProgress, ...]:
        return self.state.runs_in_progress


def previous_day_over(state: PipelineState, *, game_duration_hours: float) -> bool:
    """Whether the games of the previous game day of `state` have ended at its instant."""
    return state.previous_day is not None and day_is_over(
        state.previous_day, now_utc=state.now_utc, game_duration_hours=game_duration_hours
    )


def load_health_facts(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    settings: Settings,
    state: PipelineState | None = None,
) -> HealthFacts:
    """Read the facts of `game_date` as they stood at `now_utc`; `state`: the pipeline's state
    of `game_date` at `now_utc` when already read, else it is read here."""
    try:
        if state is None:
            state = read_pipeline_state(
                warehouse, game_date=game_date, now_utc=now_utc, settings=settings
            )
        return _read(warehouse, state=state, settings=settings)
    except warehouse.errors as e:
        first_line = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise WarehouseError(
            f"Reading the health of {game_date} from {warehouse.path} failed ({first_line}); "
            f"run {migrate_warehouse()} if a table is missing."
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


def _read(warehouse: Warehouse, *, state: PipelineState, settings: Settings) -> HealthFacts:
    now = warehouse_instant(state.now_utc)
    params: dict[str, Any] = {"game_date": state.game_date, "now": now}
    return HealthFacts(
        state=state,
        has_data=_has_data(warehouse),
        previous_day_over=previous_day_over(
            state, game_duration_hours=settings.replay.game_duration_hours
        ),
        predictions=_predictions(warehouse, params),
        phase3_last_success_utc={p.processor: state.last_write_of(p.processor) for p in state.phase3},
        freshness=_freshness(
            warehouse, game_date=state.game_date, previous=state.previous_game_day, now=now
        ),
        gates=_gates(warehouse, params) if state.has_orchestration_events else None,
        give_ups=_give_ups(warehouse, params) if state.has_orchestration_events else (),
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
    rows = warehouse.query(
        f"""
        SELECT system_id, grouping(system_id) = 1 AS total, count(*) AS predictions,
               count(DISTINCT player_lookup) AS players, max(created_at) AS last_created
        FROM ({PREDICTIONS_AS_OF}) WHERE system_role IS DISTINCT FROM 'shadow'  -- a shadow's rows never count
        GROUP BY GROUPING SETS ((system_id), ())
        ORDER BY total, system_id
        """,
        params,
    )
    systems = tuple(
        SystemPredictions(
            system_id=row["system_id"],
            predictions=int(row["predictions"]),
            players=int(row["players"]),
            last_created_utc=utc(row["last_created"]),
        )
        for row in rows
        if not row["total"]
    )
    totals = next(row for row in rows if row["total"])
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
    """Every raw table's rows for the date it covers, its latest date and newest time: one query."""
    selects = []
    for source, table, covers, time_column in _SOURCES:
        day = "$game_date" if covers == "game_date" else "$previous"
        newest = (
            f"max({time_column}) FILTER (WHERE game_date = {day} AND {time_column} <= $now)"
            if time_column
            else "NULL::TIMESTAMP"
        )
        selects.append(
            f"SELECT '{source}' AS source, count(*) FILTER (WHERE game_date = {day}) AS rows, "
            f"max(game_date) AS latest, {newest} AS newest FROM {table}"
        )
    rows = warehouse.query(
        "\nUNION ALL\n".join(selects),
        {"game_date": game_date, "previous": previous, "now": now},
    )
    by_source = {row["source"]: row for row in rows}
    return tuple(
        SourceFreshness(
            source=source,
            table=table,
            covers_date=game_date if covers == "game_date" else previous,
            rows=int(by_source[source]["rows"]),
            latest_game_date=by_source[source]["latest"],
            newest_utc=utc(by_source[source]["newest"]),
        )
        for source, table, covers, _time_column in _SOURCES
    )


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

