"""A processor run past its timeout (stuck work)."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms


def timed_out(symptoms: Symptoms) -> Diagnosis | None:
    """Timeout / StuckRun: the run held the warehouse past [orchestration.stuck] processor_timeout_minutes."""
    if symptoms.exception_class not in ("Timeout", "StuckRun", "timeout") and symptoms.failure_kind != "timeout":
        return None
    if symptoms.failure_kind == "timeout":
        return Diagnosis(
            rule="timed_out",
            root_cause=f"{symptoms.component}: the source did not answer within its timeout.",
            suggested_fix="The request is retried with backoff and the fallback source serves; raise "
            "read_timeout_seconds only if the source is known to be slow.",
        )
    return Diagnosis(
        rule="timed_out",
        root_cause=f"{symptoms.component} ran past its timeout and was recorded as timed out; the run "
        "was retried from its last step.",
        suggested_fix="Look for a slow query or a hung source call in the processor; raise "
        "[orchestration.stuck] processor_timeout_minutes only if the work is legitimately long.",
    )
