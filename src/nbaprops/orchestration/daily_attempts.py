"""One processor attempt of a daily run as a durable step, and what it tells the run's incidents and
remediations: a failure opens or joins an incident, with its diagnosis; a run cut off as stuck is
requeued within the remediation's limit."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from nbaprops.orchestration.daily_lineage import FAILED_STATES
from nbaprops.orchestration.observations import failure_of
from nbaprops.orchestration.remediation_steps import Remedy, begin_remediation_step
from nbaprops.orchestration.steps import ProcessorAttempt, run_processor_step
from nbaprops.reliability.incidents import Note, Recovery, fingerprint
from nbaprops.reliability.remediation import Action, Verdict

if TYPE_CHECKING:  # the pipeline imports this module
    from nbaprops.orchestration.daily import Pipeline

# Its records for the date are the games scheduled: none means the day's games do not exist yet.
SCHEDULE_PROCESSOR = "nbac_schedule"


def run_attempt(pipeline: Pipeline, name: str, target: date | None, *, number: int = 1) -> ProcessorAttempt:
    """Run attempt `number` of `name` for `target` as a step (None: skipped, no step)."""
    now = pipeline.durable.now()
    if target is None:
        result = ProcessorAttempt.not_run(name, pipeline.request.game_date, attempt=number, state="skipped", at=now)
    else:
        result = ProcessorAttempt.from_json(
            pipeline.durable.step(
                f"processor:{name}:{target.isoformat()}#{number}",
                partial(
                    run_processor_step,
                    pipeline.runtime,
                    pipeline.request,
                    run_id=pipeline.run_id,
                    processor=name,
                    target_date=target,
                    attempt=number,
                    now=now,
                ),
            )
        )
        pipeline.durable.advance_to(result.finished_at)
        if result.refused:
            pipeline.record(
                kind="budget",
                decision="refused",
                processor=name,
                reason=result.error or f"{name} for {target} was refused by the retry budget.",
                inputs=result.to_json(),
            )
        if result.state in FAILED_STATES:
            observe_failure(pipeline, result, error_class=result.error_class or "ProcessorError")
        elif result.state == "success":
            manual = pipeline.kind == "daily" and pipeline.request.attempt > 1
            pipeline.observe(
                Recovery(name, target, result.finished_at, by="manual" if manual else "auto",
                         workflow_id=pipeline.durable.workflow_id)
            )
        if result.state == "timed_out":
            pipeline.alerts.append(result.error or f"{name} timed out")
            pipeline.observe(Note(name, target, result.finished_at, alert=pipeline.alerts[-1]))
            pipeline.record(
                kind="timeout",
                decision="timed_out",
                processor=name,
                alert=True,
                reason=result.error or f"{name} for {target} timed out.",
                inputs=result.to_json(),
            )
            requeue = Remedy(
                Action.REQUEUE_STUCK, name, target,
                f"requeued {name} for {target} (attempt {number}), cut off as stuck: {result.error}",
                fingerprint(name, result.error_class or "Timeout", target),
            )
            if remediate(pipeline, requeue, done=True) is None:
                pipeline.held.add(name)
    pipeline.attempts[name] = result
    return result


def remediate(pipeline: Pipeline, remedy: Remedy, *, done: bool) -> str | None:
    """Judge `remedy` against its safety limit as a step; the id of its audit row when it may
    act, None when it is switched off or past its limit (then a person is paged, once)."""
    pipeline.flush_records()  # the incident it remedies is in the warehouse before the audit row
    result = pipeline.durable.step(
        f"remediation:{remedy.action.value}",
        partial(begin_remediation_step, pipeline.runtime, remedy, now=pipeline.durable.now(),
                workflow_id=pipeline.durable.workflow_id, done=done),
    )
    if result["verdict"] == Verdict.PAGE.value:
        pipeline.alerts.append(result["reason"])
        paged = f"remediation paged: {result['reason']}"
        pipeline.observe(Note(remedy.target, remedy.game_date, pipeline.durable.now(), alert=paged))
        pipeline.record(kind="remediation", decision="paged", processor=remedy.target, alert=True,
                        reason=result["reason"], inputs={"action": remedy.action.value})
    return result["remediation_id"] if result["verdict"] == Verdict.ACT.value else None


def observe_failure(
    pipeline: Pipeline, attempt: ProcessorAttempt, *, error_class: str, error: str | None = None,
    key_suffix: str = "",
) -> None:
    """Open or update the incident of a failed attempt, with its diagnosis."""
    # Imported here: the breaker tables' module imports the engine, which imports the pipeline.
    from nbaprops.orchestration.breakers import breaker_states

    breakers = breaker_states(pipeline.runtime.home, pipeline.runtime.settings)
    schedule = pipeline.attempts.get(SCHEDULE_PROCESSOR)
    games = (
        schedule.records
        if schedule is not None and schedule.state == "success" and schedule.target_date == attempt.target_date
        else None
    )
    failure = failure_of(
        attempt, workflow_id=pipeline.durable.workflow_id, error_class=error_class, breakers=breakers,
        games_scheduled=games, error=error, key_suffix=key_suffix,
        caused_by=pipeline.lineage.upstream_failure(
            attempt.processor, incomplete=pipeline.incomplete, paged=pipeline.paged
        ),
    )
    if failure.diagnosis is not None:
        pipeline.diagnoses[attempt.processor] = failure.diagnosis
    pipeline.observe(failure)
