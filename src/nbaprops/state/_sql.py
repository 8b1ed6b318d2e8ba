"""The SQL every reader of the pipeline's state shares: the warehouse as it stood at an instant.

Warehouse times are naive UTC; every query takes `$now` as one (see `warehouse_instant`).
"""

from __future__ import annotations

ERROR_STATUSES = ("failed", "timed_out", "abandoned", "stuck")
# A partial run still replaced its partition, so its data counts as written.
WROTE_STATUSES = ("success", "partial")

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
