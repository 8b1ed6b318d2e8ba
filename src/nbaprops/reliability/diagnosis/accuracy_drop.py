"""A sudden accuracy drop, judged by `investigate grading` (ops/investigate.py)."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import investigate_grading

# The verdicts of ops.investigate.GradingVerdict that name a cause, and the cause in words.
_CAUSES = {
    "REGRADE": "the day is only partly graded, so its accuracy means nothing yet",
    "SCHEDULING": "the predictions were made from stale Phase 3 data",
    "MODEL_DRIFT": "every prediction system is down together: the models drifted",
    "SYSTEM_REGRESSION": "some prediction systems regressed on their own",
}


def accuracy_drop(symptoms: Symptoms) -> Diagnosis | None:
    """Folds in the grading investigation: its verdict is the root cause, its action the fix."""
    verdict = symptoms.grading_verdict
    if verdict not in _CAUSES:
        return None
    day = symptoms.game_date
    action = symptoms.grading_action or "Act on the investigation's verdict."
    more = f" Details: {investigate_grading(day)}." if day is not None else ""
    return Diagnosis(
        rule="accuracy_drop",
        root_cause=f"Accuracy dropped on {day}: {_CAUSES[verdict]} ({verdict}).",
        suggested_fix=action + more,
    )
