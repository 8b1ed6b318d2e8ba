"""Builds the `AlertSignals` the rules look at from the warehouse, as things stood at an instant.

Every read is "as of" `now_utc`: rows recorded later are left out and runs that finished later
count as still running, so checking a backfilled day (whose runs carry virtual times) reads the
way it did then, and checking now reads the warehouse as it is. Warehouse times are naive UTC.

The building blocks (`phase3_progress`, `grading_counts`, ...) are public for the health check.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from nbaprops.alerting.signals import AlertSignals, RunInProgress
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    # For types only: nbaprops.config imports the alerting package, so a runtime import cycles.
    from nbaprops.config import Settings

EASTERN = ZoneInfo("America/New_York")

# The Phase 3 processors that summarise finished games run, in the pipeline of game_date D, for
# the previous game day; the others prepare D itself (see nbaprops.pipeline.plan).
RESULTS_PROCESSORS = frozenset(
    {"player_game_summary", "team_offense_game_summary", "team_defense_game_summary"}
)
PREVIOUS_GAME_DAY_LOOKBACK_DAYS = 14
GRADING_HISTORY_DAYS = 14
ERROR_STATUSES = ("failed", "timed_out", "abandoned", "stuck")
# A partial run still replaced its partition, so its data counts as written.
WROTE_STATUSES = ("success", "partial")
# What each phase's alerts are filed under (`Alert.component`).
PHASE_COMPONENTS = {
    "phase2": "sources",
    "phase3": "phase3",
    "phase4": "phase4",
    "phase5": "predictions",
    "grading": "grading",
}

RUNS_AS_OF = """
    SELECT processor, phase, game_date, run_id, attempt, started_at,
           CASE WHEN finished_at > $now THEN NULL ELSE finished_at END AS finished_at,
           CASE WHEN status = 'running' OR finished_at > $now THEN 'running' ELSE status END
               AS status,
           records, expected, error_class, error_message
    FROM nba_orchestration.processor_run_history
    WHERE started_at <= $now
"""
"""processor_run_history as it stood at `$now` (a subquery)."""

PREDICTIONS_AS_OF = """
    SELECT * FROM nba_predictions.player_prop_predictions
    WHERE game_date = $game_date AND created_at <= $now
    QUALIFY row_number() OVER (
        PARTITION BY player_lookup, market, system_id
        ORDER BY created_at DESC, length(run_id) DESC NULLS LAST, run_id DESC NULLS LAST
    ) = 1
"""
"""The active predictions of `$game_date` at `$now`: the newest of each player, market, system."""


@dataclass(frozen=True)
class ScheduledDay:
    """The games of one game_date that are not postponed."""

    game_date: date
    games: int
    first_tipoff_utc: datetime | None
    last_tipoff_utc: datetime | None


@dataclass(frozen=True)
class ProcessorProgress:
    """Where one processor stands for the date it works on in the pipeline of a game_date."""

    processor: str
    target_date: date
    attempts: int
    """Runs recorded for `target_date`; 0 when it never ran."""
    status: str | None
    """The latest run's status (running, success, partial, failed, timed_out, ...)."""
    records: int | None
    expected: int | None
    first_started_utc: datetime | None
    finished_utc: datetime | None
    """When the latest run finished."""
    complete_utc: datetime | None
    """When the first run that wrote a complete partition finished; None: not complete."""
    error: str | None
    """The latest run's error class and message."""

    @property
    def complete(self) -> bool:
        return self.complete_utc is not None


@dataclass(frozen=True)
class GradingCounts:
    """Graded predictions of the latest graded game_date, and of the days before it."""

    game_date: date
    graded: int
    correct: int
    total: int
    """Graded recommendations that won or lost (pushes, voids, PASS and NO_LINE excluded)."""
    mean_absolute_error: float | None
    last_graded_utc: datetime
    history_correct: int
    history_total: int
    history_days: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    @property
    def history_accuracy(self) -> float | None:
        return self.history_correct / self.history_total if self.history_total else None


def collect_signals(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> AlertSignals:
    """Every signal the warehouse can tell about `game_date` at `now_utc`; None where unknown."""
    _naive(now_utc)  # refuses a naive now_utc before any read
    day = scheduled_day(warehouse, game_date)
    progress = phase3_progress(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    grading = grading_counts(warehouse, game_date=game_date, now_utc=now_utc)
    complete = [p for p in progress if p.complete]
    starts = [p.first_started_utc for p in progress if p.first_started_utc is not None]
    previous = previous_game_day(warehouse, game_date=game_date, now_utc=now_utc)
    phase3_finished = (
        max(p.complete_utc for p in complete if p.complete_utc is not None)
        if progress and len(complete) == len(progress)
        else None
    )
    return AlertSignals(
        now_utc=now_utc,
        game_date=game_date,
        games_scheduled=day.games,
        phase3_processors_expected=tuple(p.processor for p in progress),
        phase3_processors_complete=tuple(p.processor for p in complete),
        phase3_started_utc=min(starts, default=None),
        phase3_last_success_utc=_last_success(warehouse, phase="phase3", now_utc=now_utc),
        phase2_last_success_utc=_last_success(warehouse, phase="phase2", now_utc=now_utc),
        phase3_finished_utc=phase3_finished,
        phase4_started_utc=phase4_started(
            warehouse,
            game_date=game_date,
            now_utc=now_utc,
            settings=settings,
            phase3_finished_utc=phase3_finished,
        ),
        grading_game_date=grading.game_date if grading else None,
        grading_correct=grading.correct if grading else None,
        grading_total=grading.total if grading else None,
        grading_history_correct=grading.history_correct if grading else None,
        grading_history_total=grading.history_total if grading else None,
        ungraded_game_dates=ungraded_game_dates(
            warehouse, game_date=game_date, now_utc=now_utc, settings=settings
        ),
        predictions_count=_predictions_count_when_due(
            warehouse, day=day, now_utc=now_utc
        ),
        worker_error_times_utc=_error_times(
            warehouse, now_utc=now_utc, window_hours=settings.health.errors_window_hours
        ),
        sources_down=_sources_down(
            warehouse, dates=[d for d in (game_date, previous) if d], now_utc=now_utc
        ),
        runs_in_progress=runs_in_progress(warehouse, now_utc=now_utc),
        retry_pending_components=_retry_pending_components(
            warehouse, game_date=game_date, now_utc=now_utc
        ),
    )


# -- building blocks ---------------------------------------------------------------------------


def eastern_date(instant: datetime) -> date:
    """The US Eastern calendar date of `instant`: the NBA's game_date."""
    return instant.astimezone(EASTERN).date()


def scheduled_day(warehouse: Warehouse, game_date: date) -> ScheduledDay:
    """The games scheduled on `game_date`, postponed ones left out."""
    row = warehouse.query(
        "SELECT count(DISTINCT game_id) AS games, min(tipoff_utc) AS first_tipoff, "
        "max(tipoff_utc) AS last_tipoff FROM nba_raw.schedule "
        "WHERE game_date = $game_date AND status <> 'postponed'",
        {"game_date": game_date},
    )[0]
    return ScheduledDay(
        game_date=game_date,
        games=int(row["games"]),
        first_tipoff_utc=_utc(row["first_tipoff"]),
        last_tipoff_utc=_utc(row["last_tipoff"]),
    )


def day_is_over(day: ScheduledDay, *, now_utc: datetime, game_duration_hours: float) -> bool:
    """Whether every game of `day` has ended: `game_duration_hours` after its last tip-off, or,
    for a day without a schedule, once the US Eastern day after it has begun."""
    if day.last_tipoff_utc is None:
        return day.game_date < eastern_date(now_utc)
    return day.last_tipoff_utc + timedelta(hours=game_duration_hours) <= now_utc


def previous_game_day(warehouse: Warehouse, *, game_date: date, now_utc: datetime) -> date | None:
    """The last game day before `game_date` (two weeks back at most), from the schedule and runs."""
    found = warehouse.scalar(
        f"""
        SELECT max(game_date) FROM (
            SELECT game_date FROM nba_raw.schedule WHERE status <> 'postponed'
            UNION ALL SELECT game_date FROM ({RUNS_AS_OF})
        ) WHERE game_date < $game_date AND game_date >= $first
        """,
        {
            "game_date": game_date,
            "first": game_date - timedelta(days=PREVIOUS_GAME_DAY_LOOKBACK_DAYS),
            "now": _naive(now_utc),
        },
    )
    return found


def phase3_targets(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> dict[str, date]:
    """Each Phase 3 processor of the pipeline of `game_date`, and the date it works on.

    The processors are those of the phase3_to_phase4 gate. Results processors work on the
    previous game day and are left out when there is none (the first day of a season).
    """
    processors = settings.orchestration.gates.phase3_to_phase4.processors
    previous = previous_game_day(warehouse, game_date=game_date, now_utc=now_utc)
    targets: dict[str, date] = {}
    for processor in processors:
        if processor not in RESULTS_PROCESSORS:
            targets[processor] = game_date
        elif previous is not None:
            targets[processor] = previous
    return targets


def phase3_progress(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> tuple[ProcessorProgress, ...]:
    """Where each Phase 3 processor of the pipeline of `game_date` stands at `now_utc`."""
    targets = phase3_targets(warehouse, game_date=game_date, now_utc=now_utc, settings=settings)
    rows = warehouse.query(
        f"""
        SELECT * FROM ({RUNS_AS_OF})
        WHERE list_contains($processors, processor) AND list_contains($dates, game_date)
        ORDER BY started_at, attempt
        """,
        {
            "processors": list(targets),
            "dates": sorted(set(targets.values())),
            "now": _naive(now_utc),
        },
    )
    threshold = settings.orchestration.completeness_retry.threshold
    return tuple(
        _progress(
            processor,
            target,
            [r for r in rows if r["processor"] == processor and r["game_date"] == target],
            threshold=threshold,
        )
        for processor, target in targets.items()
    )


def grading_counts(
    warehouse: Warehouse,
    *,
    game_date: date,
    now_utc: datetime,
    history_days: int = GRADING_HISTORY_DAYS,
) -> GradingCounts | None:
    """Counts of the latest game_date graded by `now_utc`, on or before `game_date` (None: none)."""
    params: dict[str, Any] = {"game_date": game_date, "now": _naive(now_utc)}
    graded_date = warehouse.scalar(
        "SELECT max(game_date) FROM nba_predictions.prediction_accuracy "
        "WHERE game_date <= $game_date AND graded_at <= $now",
        params,
    )
    if graded_date is None:
        return None
    rows = warehouse.query(
        """
        SELECT game_date = $graded_date AS on_day,
               count(*) AS graded,
               count(*) FILTER (WHERE prediction_correct) AS correct,
               count(prediction_correct) AS total,
               avg(absolute_error) AS mae,
               max(graded_at) AS last_graded
        FROM nba_predictions.prediction_accuracy
        WHERE game_date BETWEEN $history_start AND $graded_date AND graded_at <= $now
        GROUP BY ALL
        """,
        {
            **params,
            "graded_date": graded_date,
            "history_start": graded_date - timedelta(days=history_days),
        },
    )
    day = next(row for row in rows if row["on_day"])
    history = next((row for row in rows if not row["on_day"]), None)
    return GradingCounts(
        game_date=graded_date,
        graded=int(day["graded"]),
        correct=int(day["correct"]),
        total=int(day["total"]),
        mean_absolute_error=None if day["mae"] is None else float(day["mae"]),
        last_graded_utc=_required_utc(day["last_graded"]),
        history_correct=int(history["correct"]) if history else 0,
        history_total=int(history["total"]) if history else 0,
        history_days=history_days,
    )


def ungraded_game_dates(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime, settings: Settings
) -> tuple[date, ...]:
    """Dates with predictions whose games are over at `now_utc` but that have no grades.

    Looks `health.grading_lookback_days` back from the earlier of `game_date` and today. A day
    is over `replay.game_duration_hours` after its last tip-off; a day without a schedule, once
    the US Eastern day after it has begun.
    """
    today = eastern_date(now_utc)
    first = min(game_date, today) - timedelta(days=settings.health.grading_lookback_days)
    rows = warehouse.query(
        """
        WITH predicted AS (
            SELECT DISTINCT game_date FROM nba_predictions.player_prop_predictions
            WHERE game_date BETWEEN $first AND $today AND created_at <= $now
        ), graded AS (
            SELECT DISTINCT game_date FROM nba_predictions.prediction_accuracy
            WHERE game_date BETWEEN $first AND $today AND graded_at <= $now
        ), tipoffs AS (
            SELECT game_date, max(tipoff_utc) AS last_tipoff FROM nba_raw.schedule
            WHERE game_date BETWEEN $first AND $today AND status <> 'postponed'
            GROUP BY game_date
        )
        SELECT p.game_date, t.last_tipoff FROM predicted AS p
        LEFT JOIN tipoffs AS t USING (game_date)
        WHERE p.game_date NOT IN (SELECT game_date FROM graded)
        ORDER BY p.game_date
        """,
        {"first": first, "today": today, "now": _naive(now_utc)},
    )
    return tuple(
        row["game_date"]
        for row in rows
        if day_is_over(
            ScheduledDay(row["game_date"], 0, None, _utc(row["last_tipoff"])),
            now_utc=now_utc,
            game_duration_hours=settings.replay.game_duration_hours,
        )
    )


def runs_in_progress(warehouse: Warehouse, *, now_utc: datetime) -> tuple[RunInProgress, ...]:
    """Processor runs started and not finished at `now_utc`, oldest first."""
    rows = warehouse.query(
        f"SELECT * FROM ({RUNS_AS_OF}) WHERE status = 'running' ORDER BY started_at, processor",
        {"now": _naive(now_utc)},
    )
    return tuple(
        RunInProgress(
            processor=row["processor"],
            phase=row["phase"],
            game_date=row["game_date"],
            run_id=row["run_id"],
            started_utc=_required_utc(row["started_at"]),
        )
        for row in rows
    )


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
    rows = warehouse.query(
        f"SELECT started_at FROM ({RUNS_AS_OF}) "
        "WHERE game_date = $game_date AND list_contains($processors, processor) "
        "ORDER BY started_at",
        {
            "game_date": game_date,
            "now": _naive(now_utc),
            "processors": list(settings.orchestration.gates.phase4_to_phase5.processors),
        },
    )
    starts = [_required_utc(row["started_at"]) for row in rows]
    if phase3_finished_utc is None:
        return starts[0] if starts else None
    after = [start for start in starts if start >= phase3_finished_utc]
    return after[0] if after else (starts[-1] if starts else None)


def table_exists(warehouse: Warehouse, table: str) -> bool:
    """Whether `schema.table` exists (tables of later migrations may be absent)."""
    schema, name = table.split(".")
    return bool(
        warehouse.scalar(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = $schema AND table_name = $name",
            {"schema": schema, "name": name},
        )
    )


# -- the rest of the signals -------------------------------------------------------------------


def _progress(
    processor: str, target: date, runs: Sequence[Mapping[str, Any]], *, threshold: float
) -> ProcessorProgress:
    latest = runs[-1] if runs else None
    complete = [
        run["finished_at"]
        for run in runs
        if _is_complete(run, threshold=threshold) and run["finished_at"] is not None
    ]
    error = None
    if latest is not None and latest["error_message"]:
        error = f"{latest['error_class'] or 'Error'}: {latest['error_message']}"
    return ProcessorProgress(
        processor=processor,
        target_date=target,
        attempts=len(runs),
        status=latest["status"] if latest else None,
        records=latest["records"] if latest else None,
        expected=latest["expected"] if latest else None,
        first_started_utc=_utc(runs[0]["started_at"]) if runs else None,
        finished_utc=_utc(latest["finished_at"]) if latest else None,
        complete_utc=_utc(min(complete)) if complete else None,
        error=error,
    )


def _is_complete(run: Mapping[str, Any], *, threshold: float) -> bool:
    """A success, or a partial run at or above the completeness threshold."""
    if run["status"] == "success":
        return True
    if run["status"] != "partial" or run["expected"] is None or run["records"] is None:
        return False
    return run["expected"] == 0 or run["records"] / run["expected"] >= threshold


def _last_success(warehouse: Warehouse, *, phase: str, now_utc: datetime) -> datetime | None:
    return _utc(
        warehouse.scalar(
            f"SELECT max(finished_at) FROM ({RUNS_AS_OF}) "
            "WHERE phase = $phase AND list_contains($wrote, status)",
            {"now": _naive(now_utc), "wrote": list(WROTE_STATUSES), "phase": phase},
        )
    )


def _predictions_count_when_due(
    warehouse: Warehouse, *, day: ScheduledDay, now_utc: datetime
) -> int | None:
    """Active predictions once Phase 5 has finished for the day or its last game has begun
    (predictions are made just before the last tip-off, as in the backtest)."""
    params = {"game_date": day.game_date, "now": _naive(now_utc)}
    phase5_finished = warehouse.scalar(
        f"SELECT count(*) FROM ({RUNS_AS_OF}) "
        "WHERE game_date = $game_date AND phase = 'phase5' AND status <> 'running'",
        params,
    )
    tipped_off = day.last_tipoff_utc is not None and now_utc >= day.last_tipoff_utc
    if not phase5_finished and not tipped_off:
        return None
    return int(warehouse.scalar(f"SELECT count(*) FROM ({PREDICTIONS_AS_OF})", params))


def _error_times(
    warehouse: Warehouse, *, now_utc: datetime, window_hours: float
) -> tuple[datetime, ...]:
    rows = warehouse.query(
        f"""
        SELECT coalesce(finished_at, started_at) AS failed_at FROM ({RUNS_AS_OF})
        WHERE list_contains($errors, status) AND coalesce(finished_at, started_at) > $since
        ORDER BY failed_at
        """,
        {
            "now": _naive(now_utc),
            "errors": list(ERROR_STATUSES),
            "since": _naive(now_utc - timedelta(hours=window_hours)),
        },
    )
    return tuple(_required_utc(row["failed_at"]) for row in rows)


def _sources_down(
    warehouse: Warehouse, *, dates: Sequence[date], now_utc: datetime
) -> tuple[tuple[str, str], ...]:
    """Phase 2 feeds whose latest run for one of `dates` failed: the source behind them is down."""
    rows = warehouse.query(
        f"""
        SELECT processor, game_date, status, error_class, error_message FROM ({RUNS_AS_OF})
        WHERE phase = 'phase2' AND list_contains($dates, game_date) AND status <> 'running'
        QUALIFY row_number() OVER (
            PARTITION BY processor, game_date ORDER BY started_at DESC, attempt DESC) = 1
        ORDER BY processor, game_date
        """,
        {"dates": list(dates), "now": _naive(now_utc)},
    )
    down: dict[str, str] = {}
    for row in rows:
        if row["status"] in ERROR_STATUSES and row["processor"] not in down:
            message = (row["error_message"] or "no message").splitlines()[0][:200]
            down[row["processor"]] = (
                f"its {row['game_date']} run {row['status']} "
                f"({row['error_class'] or 'error'}: {message})"
            )
    return tuple(down.items())


def _retry_pending_components(
    warehouse: Warehouse, *, game_date: date, now_utc: datetime
) -> frozenset[str]:
    """Components of processors the orchestrator scheduled a retry for that has not started yet."""
    if not table_exists(warehouse, "nba_orchestration.orchestration_events"):
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
        {"game_date": game_date, "now": _naive(now_utc)},
    )
    return frozenset(
        PHASE_COMPONENTS[row["phase"]] for row in rows if row["phase"] in PHASE_COMPONENTS
    )


def _naive(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError(f"now_utc must be timezone-aware; got {instant!r}")
    return instant.astimezone(UTC).replace(tzinfo=None)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


def _required_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)
