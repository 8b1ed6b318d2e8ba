"""A failure while a source's circuit breaker is open."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import check_sources


def breaker_open(symptoms: Symptoms) -> Diagnosis | None:
    """SourceCircuitOpenError, or any failure while a breaker is open: the source is down."""
    opened = sorted(source for source, state in symptoms.breakers.items() if state == "open")
    if symptoms.exception_class != "SourceCircuitOpenError" and not opened:
        return None
    named = ", ".join(opened) if opened else "a source"
    return Diagnosis(
        rule="breaker_open",
        root_cause=f"{symptoms.component} failed while the circuit breaker of {named} is open: the source "
        "failed repeatedly and calls to it are refused until its reset timeout.",
        suggested_fix=f"The breaker probes the source by itself; see its state with {check_sources()}, "
        "and check the fallback chain ([sources.chains]) serves meanwhile.",
    )
