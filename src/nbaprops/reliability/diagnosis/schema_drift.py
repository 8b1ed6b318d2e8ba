"""An upstream field renamed or removed."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms


def schema_drift(symptoms: Symptoms) -> Diagnosis | None:
    """FailureKind.SCHEMA_DRIFT: the payload no longer has the fields the parser reads."""
    if symptoms.failure_kind != "schema_drift":
        return None
    return Diagnosis(
        rule="schema_drift",
        root_cause=f"{symptoms.component}: the source's payload changed shape (a field was renamed or "
        "removed), so its parser cannot read it.",
        suggested_fix="Update the source's parse() in sources/live/ to the new field names and replay the "
        "captured payload in its test; the fallback source serves meanwhile.",
    )
