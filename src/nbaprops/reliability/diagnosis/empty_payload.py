"""A source answered 200 with nothing in it."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import check_sources


def empty_payload(symptoms: Symptoms) -> Diagnosis | None:
    """FailureKind.EMPTY: the request worked but the body held no rows (not published yet, or a
    silent upstream outage)."""
    if symptoms.failure_kind != "empty":
        return None
    return Diagnosis(
        rule="empty_payload",
        root_cause=f"{symptoms.component}: the source answered 200 with an empty body; the data is not "
        "published yet or the source is failing silently.",
        suggested_fix=f"The fallback chain serves the next source; compare the sources with {check_sources()}, "
        "and wait for the data if it is simply early.",
    )
