"""A paid source's request quota ran out."""

from __future__ import annotations

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import check_sources


def quota_exhausted(symptoms: Symptoms) -> Diagnosis | None:
    """FailureKind.QUOTA_EXHAUSTED (or a 429 with no retry in sight): polling stops until the quota
    resets."""
    if symptoms.failure_kind not in ("quota_exhausted", "rate_limited"):
        return None
    if symptoms.failure_kind == "rate_limited":
        return Diagnosis(
            rule="quota_exhausted",
            root_cause=f"{symptoms.component}: the source rate-limits us (429).",
            suggested_fix="Slow the polling or raise the plan's limit; the retry honours Retry-After.",
        )
    return Diagnosis(
        rule="quota_exhausted",
        root_cause=f"{symptoms.component}: the source's request quota is exhausted (below "
        "quota_reserve_requests); polling it stops until the quota resets.",
        suggested_fix=f"Wait for the reset or raise the plan; the fallback source serves meanwhile. "
        f"See the quota left with {check_sources()}.",
    )
