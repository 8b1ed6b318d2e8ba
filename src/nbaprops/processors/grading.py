"""Grading: every active prediction of a game_date against what the player did."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from nbaprops.grading.rules import GameOutcome, PredictionToGrade, grade_prediction
from nbaprops.processors.base import Processor, ProcessorContext, Rows

_ACTIVE_PREDICTIONS = """
    SELECT * FROM nba_predictions.player_prop_predictions
    WHERE game_date = $game_date AND is_active ORDER BY prediction_id
"""
_OUTCOMES = """
    SELECT player_lookup, minutes, points, rebounds, assists, threes, pra
    FROM nba_analytics.player_game_summary WHERE game_date = $game_date
"""


class PredictionAccuracyProcessor(Processor):
    """Grades the active predictions of a date; grading the same date twice gives the same rows."""

    name: ClassVar[str] = "prediction_accuracy"
    phase: ClassVar[str] = "grading"
    output_table: ClassVar[str] = "nba_predictions.prediction_accuracy"
    inputs: ClassVar[tuple[str, ...]] = (
        "nba_predictions.player_prop_predictions", "nba_analytics.player_game_summary",
    )

    def expected_records(self, ctx: ProcessorContext, game_date: date) -> int | None:
        return int(ctx.warehouse.scalar(
            "SELECT count(*) FROM nba_predictions.player_prop_predictions WHERE game_date = $game_date "
            "AND is_active", {"game_date": game_date}) or 0)

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        params = {"game_date": game_date}
        outcomes = {row["player_lookup"]: row for row in ctx.warehouse.query(_OUTCOMES, params)}
        graded_at = ctx.clock.now().replace(tzinfo=None)
        rows = []
        for prediction in ctx.warehouse.query(_ACTIVE_PREDICTIONS, params):
            played = outcomes.get(prediction["player_lookup"])
            outcome = None
            if played is not None and played[prediction["market"]] is not None:
                outcome = GameOutcome(minutes=played["minutes"], actual_value=float(played[prediction["market"]]))
            rows.append(grade_prediction(
                PredictionToGrade.from_row(prediction), outcome, graded_at=graded_at).as_row())
        return rows
