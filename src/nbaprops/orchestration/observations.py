"""What a processor attempt tells the incidents: a failure, diagnosed, keyed by its place in the workflow."""

from __future__ import annotations

from collections.abc import Mapping

from nbaprops.orchestration.steps import ProcessorAttempt
from nbaprops.reliability.diagnosis import Symptoms, diagnose
from nbaprops.reliability.incidents import Failure


def failure_of(
    attempt: ProcessorAttempt,
    *,
    workflow_id: str,
    error_class: str,
    breakers: Mapping[str, str],
    games_scheduled: int | None = None,
    error: str | None = None,
    key_suffix: str = "",
    caused_by: str | None = None,
) -> Failure:
    """The failure of `attempt` in `workflow_id`, with the diagnosis of its symptoms; the key
    (workflow, processor, date, attempt) makes a replayed step count once. `caused_by`: the failed
    processor upstream it follows from (it joins that incident)."""
    text = error or attempt.error
    symptoms = Symptoms(
        component=attempt.processor,
        game_date=attempt.target_date,
        error_class=error_class,
        error=text,
        records=attempt.records,
        expected=attempt.expected,
        breakers=breakers,
        games_scheduled=games_scheduled,
    )
    return Failure(
        component=attempt.processor,
        error_class=error_class,
        game_date=attempt.target_date,
        key=f"{workflow_id}|{attempt.processor}|{attempt.target_date}#{attempt.attempt}{key_suffix}",
        started_at=attempt.started_at,
        detected_at=attempt.finished_at,
        error=text,
        workflow_id=workflow_id,
        diagnosis=diagnose(symptoms),
        remediation="refused by the retry budget" if attempt.refused else None,
        caused_by=caused_by,
    )
