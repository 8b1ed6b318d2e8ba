"""A builder of graded game days for `investigate grading` tests, and checks that it is honest.

`GradingDays.day(...)` writes one game_date the way the pipeline would: active predictions (and a
superseded one per system), their `prediction_accuracy` rows made by the real grading rules, and
the processor runs for the date (Phase 3 upcoming context before the predictions, Phase 3 game
summaries and grading after the games).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from nbaprops.grading.rules import GameOutcome, PredictionToGrade, grade_prediction
from nbaprops.warehouse import Warehouse

SYSTEMS = ("gbm", "matchup", "moving_average", "similarity")
MARKETS = ("points", "rebounds", "assists", "threes")
BOOKMAKERS = ("draftkings", "fanduel", "betmgm")
D = date(2025, 1, 15)
LINE = 20.5
PREDICTED_AT = time(17, 0)

PREDICTIONS = "nba_predictions.player_prop_predictions"
ACCURACY = "nba_predictions.prediction_accuracy"
RUNS = "nba_orchestration.processor_run_history"


class GradingDays:
    """Writes realistic graded days into a warehouse through `replace_partition`."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse

    def day(
        self,
        game_date: date,
        picks: Mapping[str, tuple[int, int]],
        *,
        passes: int = 0,
        voids: int = 0,
        graded: int | None = None,
        phase3_lead_hours: float = 2.0,
        grading_error: str | None = None,
    ) -> None:
        """Write `game_date`: per system `picks[system] = (wins, losses)` OVER/UNDER picks, plus
        `passes` PASS and `voids` void predictions per system. Only the first `graded`
        predictions (all by default) get graded rows. Phase 3 upcoming context finishes
        `phase3_lead_hours` before the first prediction; `grading_error` makes grading fail."""
        predicted_at = datetime.combine(game_date, PREDICTED_AT)
        graded_at = predicted_at + timedelta(hours=16)
        predictions: list[dict[str, Any]] = []
        accuracy: list[dict[str, Any]] = []
        for system_id, (wins, losses) in picks.items():
            outcomes = ["win"] * wins + ["loss"] * losses + ["pass"] * passes + ["void"] * voids
            for index, outcome in enumerate(outcomes):
                row = _prediction(game_date, system_id, index, outcome, predicted_at)
                predictions.append(row)
                accuracy.append(_graded(row, outcome, graded_at))
            superseded = _prediction(game_date, system_id, len(outcomes), "pass", predicted_at)
            superseded |= {"prediction_id": f"{superseded['prediction_id']}-old",
                           "is_active": False, "created_at": predicted_at - timedelta(hours=20)}
            predictions.append(superseded)
        if graded is not None:
            accuracy = accuracy[:graded]
        partition = {"game_date": game_date}
        self.warehouse.replace_partition(PREDICTIONS, partition, predictions)
        self.warehouse.replace_partition(ACCURACY, partition, accuracy)
        self.warehouse.replace_partition(RUNS, partition, _runs(
            game_date, predicted_at, graded_at, phase3_lead_hours=phase3_lead_hours,
            grading_error=grading_error,
        ))

    def history(self, game_date: date, *, days: int = 14) -> None:
        """The `days` days before `game_date` at about 55%: 48 decided picks a day over four
        systems, 26 or 27 of them won, plus a PASS and a void per system."""
        for offset in range(1, days + 1):
            extra = offset % 2  # alternate 26 and 27 wins a day
            wins = (7, 7, 6 + extra, 6)
            picks = {s: (w, 12 - w) for s, w in zip(SYSTEMS, wins, strict=True)}
            self.day(game_date - timedelta(days=offset), picks, passes=1, voids=1)


def spread(total_wins: int, decided_per_system: int) -> dict[str, tuple[int, int]]:
    """`total_wins` spread as evenly as possible over the four systems, earlier ones first."""
    base, extra = divmod(total_wins, len(SYSTEMS))
    wins = [base + (1 if i < extra else 0) for i in range(len(SYSTEMS))]
    return {s: (w, decided_per_system - w) for s, w in zip(SYSTEMS, wins, strict=True)}


def _prediction(
    game_date: date, system_id: str, index: int, outcome: str, predicted_at: datetime
) -> dict[str, Any]:
    side = "OVER" if index % 2 == 0 else "UNDER"
    recommendation = "PASS" if outcome == "pass" else side
    return {
        "prediction_id": f"{game_date}-{system_id}-{index:03d}",
        "game_date": game_date,
        "game_id": f"{game_date:%Y%m%d}-{index % 5}",
        "player_lookup": f"player{index:03d}",
        "market": MARKETS[index % len(MARKETS)],
        "system_id": system_id,
        "predicted_value": LINE + (2.0 if side == "OVER" else -2.0),
        "predicted_std": 5.0,
        "distribution": "normal",
        "line_value": LINE,
        "bookmaker": BOOKMAKERS[index % len(BOOKMAKERS)],
        "over_price": -110,
        "under_price": -110,
        "line_source": "consensus" if index % 5 == 4 else "preferred",
        "p_over": 0.6 if side == "OVER" else 0.4,
        "p_fair_over": 0.5,
        "edge": 0.1,
        "expected_value": 0.05,
        "confidence": 0.6,
        "recommendation": recommendation,
        "is_active": True,
        "run_id": f"run-{game_date}",
        "created_at": predicted_at + timedelta(seconds=index),
    }


def _graded(prediction: dict[str, Any], outcome: str, graded_at: datetime) -> dict[str, Any]:
    over = prediction["predicted_value"] > LINE
    went_over = (outcome == "win") == over
    game = None if outcome == "void" else GameOutcome(
        minutes=30.0, actual_value=LINE + (3.5 if went_over else -3.5))
    graded = grade_prediction(PredictionToGrade.from_row(prediction), game, graded_at=graded_at)
    return graded.as_row()


def _runs(
    game_date: date,
    predicted_at: datetime,
    graded_at: datetime,
    *,
    phase3_lead_hours: float,
    grading_error: str | None,
) -> list[dict[str, Any]]:
    context_done = predicted_at - timedelta(hours=phase3_lead_hours)
    runs = [
        ("upcoming_player_game_context", "phase3", context_done, "success", None),
        ("upcoming_team_game_context", "phase3", context_done - timedelta(minutes=5), "success",
         None),
        ("player_prop_predictions", "phase5", predicted_at + timedelta(minutes=2), "success", None),
        ("player_game_summary", "phase3", graded_at - timedelta(minutes=10), "success", None),
        ("prediction_accuracy", "grading", graded_at,
         "failed" if grading_error else "success", grading_error),
    ]
    return [
        {
            "processor": processor, "phase": phase, "game_date": game_date,
            "run_id": f"run-{game_date}", "attempt": 1, "status": status, "records": None,
            "expected": None, "started_at": finished - timedelta(minutes=1),
            "finished_at": finished, "error_class": "ProcessorError" if error else None,
            "error_message": error,
        }
        for processor, phase, finished, status, error in runs
    ]


def test_a_day_holds_what_was_asked_for(warehouse: Warehouse) -> None:
    GradingDays(warehouse).day(D, {"gbm": (3, 9), "matchup": (2, 10)}, passes=1, voids=1)
    counts = warehouse.query(
        "SELECT system_id, count(*) FILTER (WHERE prediction_correct) AS wins, "
        "count(*) FILTER (WHERE NOT prediction_correct) AS losses, "
        "count(*) FILTER (WHERE is_void) AS voids, count(*) AS graded "
        f"FROM {ACCURACY} WHERE game_date = $d GROUP BY ALL ORDER BY ALL", {"d": D})
    assert counts == [
        {"system_id": "gbm", "wins": 3, "losses": 9, "voids": 1, "graded": 14},
        {"system_id": "matchup", "wins": 2, "losses": 10, "voids": 1, "graded": 14},
    ]
    active = warehouse.scalar(f"SELECT count(*) FROM {PREDICTIONS} WHERE is_active")
    assert active == 28
    assert warehouse.scalar(f"SELECT count(*) FROM {PREDICTIONS} WHERE NOT is_active") == 2


def test_history_is_near_55_percent(warehouse: Warehouse) -> None:
    GradingDays(warehouse).history(D)
    wins, decided = warehouse.query(
        f"SELECT count(*) FILTER (WHERE prediction_correct) AS w, count(prediction_correct) AS n "
        f"FROM {ACCURACY} WHERE game_date < $d", {"d": D})[0].values()
    assert decided == 14 * 48
    assert 0.54 < wins / decided < 0.56


def test_spread_keeps_the_total() -> None:
    picks = spread(9, 12)
    assert sum(w for w, _ in picks.values()) == 9
    assert all(w + losses == 12 for w, losses in picks.values())
    assert [w for w, _ in picks.values()] == [3, 2, 2, 2]
