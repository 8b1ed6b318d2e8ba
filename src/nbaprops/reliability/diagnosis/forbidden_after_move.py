"""A source that turns 403 (or 404) after its URL changed."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import check_sources


def forbidden_after_move(symptoms: Symptoms) -> Diagnosis | None:
    """FailureKind.BLOCKED (403) or MOVED (404): the endpoint moved or refuses us. When the
    configured URL changed, the change is the cause; otherwise the key's plan or a block."""
    if symptoms.failure_kind not in ("blocked", "moved"):
        return None
    status = symptoms.status_code or (403 if symptoms.failure_kind == "blocked" else 404)
    if symptoms.url_changed or symptoms.failure_kind == "moved":
        cause = (
            f"{symptoms.component}: the source answers {status} since its URL changed; the endpoint moved "
            "and the configured base_url or path no longer reaches it."
        )
        fix = "Point [sources.<name>] base_url at the new endpoint (or fix the path in sources/live/), "
    else:
        cause = (
            f"{symptoms.component}: the source refuses us with {status}: blocked, or the API key's plan "
            "lacks this endpoint."
        )
        fix = "Check the source's api_key and plan, "
    return Diagnosis(
        rule="forbidden_after_move",
        root_cause=cause,
        suggested_fix=fix + f"then confirm with {check_sources()}; the fallback source serves meanwhile.",
    )
