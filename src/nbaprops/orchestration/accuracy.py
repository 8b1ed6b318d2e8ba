"""The accuracy check after grading: `investigate grading`'s verdict on the graded date, inside the
run. An accuracy drop with a cause (the models drifted, some systems regressed) opens an incident
of the `accuracy` component, diagnosed by the accuracy_drop rule, and pages once a graded date; a
later check of the date that finds nothing wrong resolves it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from nbaprops.metrics.accuracy import drop_p_value
from nbaprops.ops.investigate import GradingVerdict, RateRow, diagnose_grading
from nbaprops.ops.investigate_load import load_grading_facts
from nbaprops.orchestration.runtime import Runtime
from nbaprops.orchestration.store import EVENTS
from nbaprops.reliability.config import AccuracyPageConfig
from nbaprops.reliability.diagnosis import Symptoms, diagnose
from nbaprops.reliability.incidents import Failure, Recovery

if TYPE_CHECKING:  # the pipeline imports this module
    from nbaprops.orchestration.daily import Pipeline

ACCURACY_COMPONENT = "accuracy"
ACCURACY_ERROR = "AccuracyDrop"
# The verdicts that are an accuracy drop with a cause; the others are variance, no data, or a
# grading or scheduling fault that other alerts cover.
PAGED_VERDICTS = frozenset({GradingVerdict.MODEL_DRIFT, GradingVerdict.SYSTEM_REGRESSION})
_PAGED_BEFORE = f"""
    SELECT workflow_id FROM {EVENTS}
    WHERE alert AND kind = 'accuracy' AND workflow_id <> ?
      AND json_extract_string(inputs, '$.graded_date') = ?
    ORDER BY decided_at, event_id LIMIT 1
"""


def confirmed_drop(
    verdict: GradingVerdict, culprits: Sequence[RateRow], compared: int, config: AccuracyPageConfig
) -> float | None:
    """The strongest culprit's two-proportion p-value when the drop is strong enough to page: below
    `page_alpha` split over the `compared` systems, on at least `min_history` graded picks of history.
    None: the verdict does not page, or its evidence is too weak (a short history, many systems tried)."""
    if verdict not in PAGED_VERDICTS:
        return None
    threshold = config.page_alpha / max(1, compared)
    found = [
        p for row in culprits if row.history.decided >= config.min_history
        for p in [drop_p_value(row.day.wins, row.day.decided, row.history.wins, row.history.decided)]
        if p is not None and p < threshold
    ]
    return min(found) if found else None


def accuracy_step(runtime: Runtime, *, graded_date: date, workflow_id: str) -> dict[str, Any]:
    """The grading investigation's verdict on `graded_date`, whether its drop is confirmed strongly
    enough to page, and the workflow that already paged an accuracy drop of that date (None: none did)."""
    with runtime.lease.hold() as warehouse:
        facts = load_grading_facts(warehouse, graded_date)
        paged = warehouse.query(_PAGED_BEFORE, [workflow_id, graded_date.isoformat()])
    found = diagnose_grading(facts)
    check = found.overall.check
    culprits = (
        [found.overall] if found.verdict is GradingVerdict.MODEL_DRIFT
        else [row for row in found.systems if row.key in found.named_systems]
    )
    # A drift is one test of the whole; a regression is searched for among the systems, so split alpha.
    compared = 1 if found.verdict is GradingVerdict.MODEL_DRIFT else len(found.systems)
    confirmed = confirmed_drop(found.verdict, culprits, compared, runtime.settings.reliability.accuracy)
    return {
        "graded_date": graded_date.isoformat(),
        "verdict": found.verdict.value,
        "confirmed_p_value": confirmed,
        "reason": found.reason,
        "action": found.action,
        "day_rate": check.day_rate,
        "history_rate": check.history_rate,
        "p_value": check.p_value,
        "paged_by": None if not paged else str(paged[0]["workflow_id"]),
    }


def check_accuracy(pipeline: Pipeline, graded_date: date) -> None:
    """Judge the accuracy of `graded_date` just graded in `pipeline`: page a drop once, with its diagnosis."""
    workflow_id = pipeline.durable.workflow_id
    found = pipeline.durable.step(
        f"accuracy:{graded_date.isoformat()}",
        partial(accuracy_step, pipeline.runtime, graded_date=graded_date, workflow_id=workflow_id),
    )
    now = pipeline.durable.now()
    verdict = GradingVerdict(found["verdict"])
    if verdict not in PAGED_VERDICTS or found["confirmed_p_value"] is None:
        # Nothing to decide (normal, variance, no data...) or a drop too weak to page on: an accuracy
        # incident of the date is over.
        pipeline.observe(Recovery(ACCURACY_COMPONENT, graded_date, now, workflow_id=workflow_id))
        return
    diagnosis = diagnose(Symptoms(
        component=ACCURACY_COMPONENT, game_date=graded_date, error_class=ACCURACY_ERROR, error=found["reason"],
        grading_verdict=verdict.value, grading_action=found["action"],
    ))
    reason = f"Accuracy of {graded_date}: {found['reason']} Diagnosis ({diagnosis.rule}): {diagnosis}"
    pages = found["paged_by"] is None
    if not pages:
        reason += f" Not paged again: {found['paged_by']} paged this drop already."
    pipeline.observe(Failure(
        component=ACCURACY_COMPONENT, error_class=ACCURACY_ERROR, game_date=graded_date,
        key=f"{workflow_id}|{ACCURACY_COMPONENT}|{graded_date.isoformat()}", started_at=now, detected_at=now,
        error=found["reason"], workflow_id=workflow_id, diagnosis=diagnosis, alert=reason if pages else None,
    ))
    if pages:
        pipeline.alerts.append(reason)
    pipeline.record(
        kind="accuracy", decision=verdict.value.lower(), reason=reason, alert=pages,
        inputs={**found, "diagnosis": diagnosis.rule},
    )
