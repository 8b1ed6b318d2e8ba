"""Retries within a phase of a daily run, and what follows the last attempt.

A processor short of its records, or failed where no gate judges it, is re-run after a growing
delay (a Phase 2 feed whose source is down waits the outage out), its Phase 2 feeds first and the
processors of its phase built from it after it; after the last attempt it is given up on, paged
once per root cause. The processors a gate proceeded without are re-run on its schedule, and once
one succeeds the phases built without it run again (the remediation retrigger_phase).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from nbaprops.errors import FailureKind
from nbaprops.orchestration.completeness import RetryAction, plan_retry, retry_delay_seconds
from nbaprops.orchestration.daily_attempts import observe_failure, remediate, run_attempt
from nbaprops.orchestration.daily_lineage import FAILED_STATES, GATE_BEFORE
from nbaprops.orchestration.paging import paged_today_step
from nbaprops.orchestration.remediation_steps import Remedy, finish_remediation_step
from nbaprops.orchestration.settings import Backoff, GateConfig
from nbaprops.orchestration.steps import ProcessorAttempt, history_gap_step
from nbaprops.reliability.incidents import Note
from nbaprops.reliability.remediation import Action
from nbaprops.suggestions import backfill_range

if TYPE_CHECKING:  # the pipeline imports this module
    from nbaprops.orchestration.daily import Pipeline

# Failures in phases no gate judges are retried on the default gate schedule (5, then 10 minutes).
UNGATED_RETRY = Backoff()
# How a source (or a whole fallback chain) fails when it is down: an outage, waited out, not given up on.
OUTAGE_KINDS = frozenset(kind.value for kind in FailureKind if kind.down)


def retry_in_phase(pipeline: Pipeline, phase: str, names: list[str], *, catch_up: bool = False) -> None:
    """Re-run `names` of `phase` while retries are due. The processors a gate proceeded without
    are re-run at their times while the run waits anyway, and when it has nothing else to do
    (`catch_up`, at its end): the phases after them are not held up."""
    policy = pipeline.config.completeness_retry
    gave_up: set[str] = set()
    while True:
        due: dict[str, tuple[datetime, str]] = {}
        for name in names:
            attempt = pipeline.attempts[name]
            where = f"{name} for {attempt.target_date}"
            if attempt.state == "skipped":
                continue
            if attempt.refused or name in pipeline.held:
                continue  # recorded as a budget refusal or a page; one alert covers each
            if attempt.state in FAILED_STATES:
                if name in pipeline.judged:
                    continue
                outage = _outage_since(pipeline, phase, attempt)
                if outage is not None:
                    waited = (attempt.finished_at - outage).total_seconds()
                    delay = pipeline.runtime.settings.orchestration.outage.delay_seconds(
                        attempt=attempt.attempt, waited_seconds=waited
                    )
                else:
                    delay = retry_delay_seconds(UNGATED_RETRY, attempt=attempt.attempt)
                if delay is None:
                    if name not in gave_up:
                        gave_up.add(name)
                        _give_up(
                            pipeline,
                            name,
                            f"{where} failed on all {attempt.attempt} attempts: "
                            f"{attempt.error}",
                        )
                    continue
                reason = (
                    f"{where} failed on attempt {attempt.attempt}; retrying in "
                    f"{delay / 60:g} minutes."
                )
                if outage is not None:
                    reason = (
                        f"{where}: its source is down since {outage:%Y-%m-%d %H:%M} UTC (attempt "
                        f"{attempt.attempt}); waiting it out, retrying in {delay / 60:g} minutes."
                    )
                due[name] = (attempt.finished_at + timedelta(seconds=delay), reason)
            elif attempt.expected is not None and attempt.records is not None:
                plan = plan_retry(
                    records=attempt.records,
                    expected=attempt.expected,
                    attempt=attempt.attempt,
                    policy=policy,
                )
                if plan.action is RetryAction.RETRY:
                    assert plan.delay_seconds is not None
                    due[name] = (
                        attempt.finished_at + timedelta(seconds=plan.delay_seconds),
                        f"{where}: {plan.message}",
                    )
                elif plan.action is RetryAction.GIVE_UP and name not in gave_up:
                    gave_up.add(name)
                    why = "" if attempt.note is None else f" {attempt.note}"
                    reason = f"{where}:{why} {plan.message}{_history_advice(pipeline, phase)}"
                    pipeline.incomplete[name] = reason
                    _give_up(pipeline, name, reason)
        if due or catch_up:
            due.update(left_behind_due(pipeline))
        if not due:
            return
        wake = min(when for when, _ in due.values())
        pipeline.sleep_until(wake, reason="; ".join(reason for _, reason in due.values()))
        retry_due(pipeline, {name: when for name, (when, _) in due.items()},
                  reasons={name: reason for name, (_, reason) in due.items()})


def left_behind_due(pipeline: Pipeline) -> dict[str, tuple[datetime, str]]:
    """When each processor a gate proceeded without is due to run again; a success is taken
    off the list, re-running what was built without it; one with no attempts left stays
    failed, its incident open, as the gate's alert said."""
    due: dict[str, tuple[datetime, str]] = {}
    for name, gate in list(pipeline.left_behind.items()):
        attempt = pipeline.attempts[name]
        if attempt.state not in FAILED_STATES or attempt.refused or name in pipeline.held:
            del pipeline.left_behind[name]
            if attempt.state in ("success", "partial"):
                _retrigger(pipeline, name, gate)
            continue
        delay = retry_delay_seconds(gate.retry, attempt=attempt.attempt)
        if delay is None:
            del pipeline.left_behind[name]
            continue
        due[name] = (
            attempt.finished_at + timedelta(seconds=delay),
            f"gate {gate.name} proceeded without {name} for {attempt.target_date}; re-running it "
            f"(attempt {attempt.attempt + 1} of {gate.retry.max_attempts})",
        )
    return due


def retry_due(pipeline: Pipeline, due: dict[str, datetime], *, reasons: dict[str, str]) -> None:
    """Re-run what is due by now, in plan order (a summary before the context built from it);
    one already re-run at this wake, as what is built from another, is not run again."""
    now = pipeline.durable.now()
    tried = {name: pipeline.attempts[name].attempt for name in due}
    for name in [name for name in pipeline.targets if name in due]:
        if due[name] <= now and pipeline.attempts[name].attempt == tried[name]:
            _retry(pipeline, name, reason=reasons[name])
    for name in [name for name in pipeline.left_behind if name in due]:
        if pipeline.attempts[name].state in ("success", "partial"):
            _retrigger(pipeline, name, pipeline.left_behind.pop(name))


def _outage_since(pipeline: Pipeline, phase: str, attempt: ProcessorAttempt) -> datetime | None:
    """When the outage `attempt` failed in began, for a Phase 2 feed whose source is down in a run
    mode that waits outages out (`[orchestration.outage]`); None otherwise."""
    config = pipeline.runtime.settings.orchestration.outage
    name = attempt.processor
    down = (attempt.error_class or "").rpartition(":")[2] in OUTAGE_KINDS
    if not (config.enabled and phase == "phase2" and down and pipeline.request.mode in config.modes):
        pipeline.outages.pop(name, None)
        return None
    return pipeline.outages.setdefault(name, attempt.started_at)


def _history_advice(pipeline: Pipeline, phase: str) -> str:
    """For predictions short of their history: the command that builds it."""
    if phase != "phase5":
        return ""
    gap = pipeline.durable.step(
        "history_gap", partial(history_gap_step, pipeline.runtime, pipeline.request)
    )
    if gap is None:
        return ""
    command = backfill_range(
        date.fromisoformat(gap["start"]), date.fromisoformat(gap["end"]), source=pipeline.request.source
    )
    return f" Build the history with {command}, then run {pipeline.request.game_date} again."


def _give_up(pipeline: Pipeline, name: str, reason: str) -> None:
    """Give up on `name`: page once per root cause. A give-up that follows from a failed input
    joins that failure's incident, and one already paged today by another run is not paged again."""
    attempt = pipeline.attempts[name]
    if attempt.state == "partial":
        observe_failure(pipeline, attempt, error_class="Incomplete", error=reason, key_suffix="give_up")
    cause = pipeline.lineage.upstream_failure(name, incomplete=pipeline.incomplete, paged=pipeline.paged)
    earlier = None if cause is not None else _paged_today(pipeline, name)
    if cause is not None:
        pipeline.paged[name] = pipeline.paged.get(cause, cause)
        known = pipeline.diagnoses.get(cause)
        why = "" if known is None else f" ({known.rule})"
        reason += f" Not paged: it follows from {cause} failing for {attempt.target_date}{why}, in its incident."
    elif earlier is not None:
        pipeline.paged[name] = name
        reason += f" Not paged again: {earlier} paged this failure of {name} today."
    else:
        pipeline.paged[name] = name
        diagnosis = pipeline.diagnoses.get(name)
        reason += "" if diagnosis is None else f" Diagnosis ({diagnosis.rule}): {diagnosis}"
        pipeline.alerts.append(reason)
    pages = cause is None and earlier is None
    pipeline.observe(
        Note(name, attempt.target_date, pipeline.durable.now(), remediation="gave up after the retries",
             alert=reason if pages else None)
    )
    pipeline.record(
        kind="give_up",
        decision="give_up",
        processor=name,
        alert=pages,
        reason=reason,
        inputs={**pipeline.attempts[name].to_json(), **({"caused_by": cause} if cause else {})},
    )


def _paged_today(pipeline: Pipeline, name: str) -> str | None:
    """The workflow that paged this same failure of `name` earlier on the run's day."""
    return pipeline.durable.step(
        f"paged_today:{name}",
        partial(
            paged_today_step, pipeline.runtime, game_date=pipeline.request.game_date, processor=name,
            error_class=pipeline.attempts[name].error_class, workflow_id=pipeline.durable.workflow_id,
        ),
    )


def _retry(pipeline: Pipeline, name: str, *, reason: str) -> None:
    """Run `name` again, its Phase 2 feeds first: late data arrives through them, and when it
    wrote rows, the processors of its phase built from it after it. A processor the retry
    budget refused is not tried again in this run."""
    if pipeline.attempts[name].refused or name in pipeline.held:
        return
    pipeline.retries += 1
    last = pipeline.attempts[name]
    pipeline.observe(
        Note(name, last.target_date, pipeline.durable.now(), remediation=f"re-ran it (attempt {last.attempt + 1})")
    )
    pipeline.record(
        kind="retry",
        decision="retry",
        processor=name,
        reason=reason,
        inputs=pipeline.attempts[name].to_json(),
    )
    target = pipeline.targets[name].date
    for feed in pipeline.lineage.feeds_of(name):
        run_attempt(pipeline, feed, pipeline.targets[feed].date, number=pipeline.attempts[feed].attempt + 1)
    again = run_attempt(pipeline, name, target, number=pipeline.attempts[name].attempt + 1)
    if again.state not in ("success", "partial"):
        return  # no new rows: what is built from it would be built from the same ones again
    for dependent in pipeline.lineage.dependents_of(name):
        run_attempt(
            pipeline,
            dependent,
            pipeline.targets[dependent].date,
            number=pipeline.attempts[dependent].attempt + 1,
        )


def _retrigger(pipeline: Pipeline, name: str, gate: GateConfig) -> None:
    """`name` succeeded after `gate` proceeded without it: run again the later phases' processors
    built without it, as the remediation retrigger_phase (within its limit, audited)."""
    downstream = pipeline.lineage.downstream_of(name)
    if not downstream:
        return
    attempt = pipeline.attempts[name]
    phases = sorted({pipeline.targets[other].phase for other in downstream}, key=list(GATE_BEFORE).index)
    remedy = Remedy(
        Action.RETRIGGER_PHASE, name, attempt.target_date,
        f"re-ran {', '.join(phases)} of {pipeline.request.game_date} ({', '.join(downstream)}): {name} arrived "
        f"on attempt {attempt.attempt}, after gate {gate.name} had proceeded without it",
    )
    remediation_id = remediate(pipeline, remedy, done=False)
    if remediation_id is None:
        return
    for other in downstream:
        run_attempt(pipeline, other, pipeline.targets[other].date, number=pipeline.attempts[other].attempt + 1)
    failed = [other for other in downstream if pipeline.attempts[other].state in FAILED_STATES]
    detail = remedy.detail + ("" if not failed else f"; still failing: {', '.join(failed)}")
    pipeline.durable.step(
        "remediation_finished",
        partial(finish_remediation_step, pipeline.runtime, action=Action.RETRIGGER_PHASE,
                remediation_id=remediation_id, ok=not failed, at=pipeline.durable.now(), detail=detail),
    )
