"""A processor short of its expected records: its inputs have not (all) arrived."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms


def late_data(symptoms: Symptoms) -> Diagnosis | None:
    """Incomplete: records below expected after the completeness retries."""
    if symptoms.error_class != "Incomplete" or symptoms.records is None or symptoms.expected is None:
        return None
    return Diagnosis(
        rule="late_data",
        root_cause=f"{symptoms.component} wrote {symptoms.records} of {symptoms.expected} expected records "
        f"for {symptoms.game_date}: its inputs arrived late or in part.",
        suggested_fix="A data event re-runs it when the rest arrives; if the source never publishes it, "
        "run the day again once it has.",
    )
