"""Reads the facts `diagnose_grading` works from out of the warehouse."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nbaprops.errors import WarehouseError
from nbaprops.ops.investigate_facts import (
    GradedCell,
    GradingFacts,
    GradingPeriod,
    ProcessorRunStatus,
    SystemCoverage,
    Tally,
)
from nbaprops.suggestions import migrate_warehouse
from nbaprops.warehouse import Warehouse

_CELLS = """
    SELECT CASE WHEN game_date = $game_date THEN 'day' ELSE 'history' END AS period,
           system_id, recommendation, market, bookmaker, line_source,
           count(*) AS graded,
           count(*) FILTER (WHERE prediction_correct) AS wins,
           count(*) FILTER (WHERE NOT prediction_correct) AS losses,
           count(*) FILTER (WHERE is_push AND NOT is_void AND recommendation IN ('OVER', 'UNDER'))
               AS pushes,
           count(*) FILTER (WHERE is_void) AS voids,
           coalesce(sum(absolute_error), 0) AS error_sum,
           count(absolute_error) AS error_count
    FROM nba_predictions.prediction_accuracy
    WHERE game_date BETWEEN $history_start AND $game_date
    GROUP BY ALL
"""

_COVERAGE = """
    SELECT p.system_id, count(*) AS predicted, count(a.prediction_id) AS graded
    FROM nba_predictions.player_prop_predictions AS p
    LEFT JOIN (
        SELECT DISTINCT prediction_id FROM nba_predictions.prediction_accuracy
        WHERE game_date = $game_date
    ) AS a ON a.prediction_id = p.prediction_id
    WHERE p.game_date = $game_date AND p.is_active
    GROUP BY p.system_id
"""

_FIRST_PREDICTION = """
    SELECT min(created_at) FROM nba_predictions.player_prop_predictions
    WHERE game_date = $game_date AND is_active
"""

# A partial run still wrote the partition the predictions read, so it counts as fresh data.
_LAST_PHASE3 = """
    SELECT processor, finished_at FROM nba_orchestration.processor_run_history
    WHERE game_date = $game_date AND phase = 'phase3' AND status IN ('success', 'partial')
      AND finished_at <= $first_prediction_at
    ORDER BY finished_at DESC, processor
    LIMIT 1
"""

_LATEST_RUNS = """
    SELECT processor, phase, status, attempt, started_at, finished_at, error_class, error_message
    FROM nba_orchestration.processor_run_history
    WHERE game_date = $game_date AND phase IN ('phase3', 'phase5', 'grading')
    QUALIFY row_number() OVER (PARTITION BY processor ORDER BY started_at DESC, attempt DESC) = 1
    ORDER BY started_at, processor
"""

_SCHEDULED_GAMES = """
    SELECT count(DISTINCT game_id) FROM nba_raw.schedule
    WHERE game_date = $game_date AND status <> 'postponed'
"""


def load_grading_facts(
    warehouse: Warehouse, game_date: date, *, history_days: int = 14
) -> GradingFacts:
    """Read graded rows of `game_date` and the `history_days` days before it, the day's
    coverage, the Phase 3 run its predictions could use, and the day's latest runs."""
    if history_days < 1:
        raise ValueError(f"history_days {history_days!r} must be at least 1.")
    history_start = game_date - timedelta(days=history_days)
    params: dict[str, Any] = {"game_date": game_date, "history_start": history_start}
    try:
        return _read(warehouse, game_date, history_start, params)
    except warehouse.errors as e:
        first_line = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise WarehouseError(
            f"Reading the grading facts for {game_date} from {warehouse.path} failed "
            f"({first_line}); "
            f"run {migrate_warehouse()} if a table is missing."
        ) from e


def _read(
    warehouse: Warehouse, game_date: date, history_start: date, params: dict[str, Any]
) -> GradingFacts:
    cells = tuple(
        GradedCell(
            period=GradingPeriod(row["period"]), system_id=row["system_id"],
            recommendation=row["recommendation"], market=row["market"],
            bookmaker=row["bookmaker"], line_source=row["line_source"],
            tally=Tally(
                graded=row["graded"], wins=row["wins"], losses=row["losses"],
                pushes=row["pushes"], voids=row["voids"], error_sum=float(row["error_sum"]),
                error_count=row["error_count"],
            ),
        )
        for row in warehouse.query(_CELLS, params)
    )
    coverage = tuple(SystemCoverage(**row) for row in warehouse.query(_COVERAGE, params))
    first_prediction_at = warehouse.scalar(_FIRST_PREDICTION, params)
    phase3 = []
    if first_prediction_at is not None:
        phase3 = warehouse.query(
            _LAST_PHASE3, {**params, "first_prediction_at": first_prediction_at}
        )
    runs = tuple(ProcessorRunStatus(**row) for row in warehouse.query(_LATEST_RUNS, params))
    return GradingFacts(
        game_date=game_date,
        history_start=history_start,
        cells=cells,
        coverage=coverage,
        first_prediction_at=first_prediction_at,
        phase3_finished_at=phase3[0]["finished_at"] if phase3 else None,
        phase3_processor=phase3[0]["processor"] if phase3 else None,
        latest_runs=runs,
        scheduled_games=int(warehouse.scalar(_SCHEDULED_GAMES, params) or 0),
    )
