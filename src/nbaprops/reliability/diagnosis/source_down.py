"""A source that cannot be reached, or answers 5xx, on every attempt: an outage upstream."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import check_sources


def source_down(symptoms: Symptoms) -> Diagnosis | None:
    """FailureKind.CONNECTION or SERVER_ERROR: the source is down; the data will come when it is back."""
    if symptoms.failure_kind not in ("connection", "server_error"):
        return None
    how = "refuses connections" if symptoms.failure_kind == "connection" else "answers 5xx"
    return Diagnosis(
        rule="source_down",
        root_cause=f"{symptoms.component}: the source {how} on every attempt: an outage upstream.",
        suggested_fix=f"The fallback source serves meanwhile; see the breakers with {check_sources()}, and run the "
        "day's results again once the source is back.",
    )
