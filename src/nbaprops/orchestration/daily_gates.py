"""The gates of a daily run: a gate is decided (`decide_gate`) until it proceeds or fails, waiting
for and re-running the processors it judges; a degraded proceed leaves its failed processors behind,
re-run on its schedule while the run goes on."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from nbaprops.orchestration.completeness import retry_delay_seconds
from nbaprops.orchestration.daily_attempts import observe_failure
from nbaprops.orchestration.daily_lineage import FAILED_STATES
from nbaprops.orchestration.daily_retries import left_behind_due, retry_due
from nbaprops.orchestration.gates import GateAction, GateDecision, ProcessorState, ProcessorStatus, decide_gate
from nbaprops.orchestration.settings import GateConfig
from nbaprops.reliability.consequences import gate_consequence

if TYPE_CHECKING:  # the pipeline imports this module
    from nbaprops.orchestration.daily import Pipeline

_GATE_STATE = {
    "refused": ProcessorState.FAILED,
    "success": ProcessorState.SUCCESS,
    "partial": ProcessorState.PARTIAL,
    "failed": ProcessorState.FAILED,
    "timed_out": ProcessorState.FAILED,
    "skipped": ProcessorState.SKIPPED,
}


def pass_gate(pipeline: Pipeline, gate: GateConfig) -> GateDecision:
    """Decide `gate` until it proceeds or fails: a WAIT sleeps to the next re-run that is due
    (or the end of the wait) and re-runs the processors the gate is waiting for."""
    first = pipeline.durable.now()
    mode = pipeline.config.modes.get(pipeline.request.mode)
    max_wait_seconds = mode.max_wait_for(gate) * 60
    while True:
        now = pipeline.durable.now()
        statuses = {
            name: _processor_status(pipeline, name) for name in gate.processors if name in pipeline.attempts
        }
        decision = decide_gate(
            gate,
            mode=mode,
            statuses=statuses,
            waited_minutes=(now - first).total_seconds() / 60,
        )
        repeat = gate_consequence(decision.blocking, paged=pipeline.paged) if decision.alert else None
        if repeat is not None:
            decision = replace(decision, alert=False, reason=f"{decision.reason} {repeat}")
        pipeline.record(
            kind="gate",
            gate=gate.name,
            decision=decision.action.value,
            reason=decision.reason,
            alert=decision.alert,
            inputs=decision.inputs,
        )
        pipeline.gates[gate.name] = {
            "decision": decision.action.value,
            "reason": decision.reason,
            "alert": decision.alert,
        }
        if decision.alert:
            pipeline.alerts.append(f"gate {gate.name}: {decision.reason}")
        if decision.action is GateAction.FAIL:
            _observe_gate_failure(pipeline, gate.name, decision)
        if decision.action is GateAction.PROCEED_DEGRADED:
            for name in _gate_due(pipeline, gate, decision):
                if pipeline.attempts[name].state in FAILED_STATES:
                    pipeline.left_behind[name] = gate
        if decision.action is not GateAction.WAIT:
            return decision
        due = _gate_due(pipeline, gate, decision)
        due.update({name: when for name, (when, _) in left_behind_due(pipeline).items() if name not in due})
        deadline = first + timedelta(seconds=max_wait_seconds)
        pipeline.sleep_until(
            min([deadline, *due.values()]), reason=f"gate {gate.name}: {decision.reason}"
        )
        retry_due(pipeline, due, reasons={name: f"gate {gate.name} re-runs {name}: {decision.reason}" for name in due})


def _observe_gate_failure(pipeline: Pipeline, gate: str, decision: GateDecision) -> None:
    """A failed gate is a failure of each processor it failed on that ran short of its records
    (its inputs late or in part); failed processors opened their incidents already."""
    for name in decision.blocking:
        attempt = pipeline.attempts.get(name)
        if attempt is not None and attempt.state == "partial":
            observe_failure(pipeline, attempt, error_class="Incomplete", error=f"gate {gate}: {decision.reason}",
                            key_suffix=f"gate:{gate}")


def _gate_due(pipeline: Pipeline, gate: GateConfig, decision: GateDecision) -> dict[str, datetime]:
    """When each processor the gate waits for is due to run again."""
    due = {
        name: pipeline.attempts[name].finished_at + timedelta(seconds=delay)
        for name, delay in decision.retry_due.items()
        # the budget refuses any re-run of it, or its remediation stopped and paged a person
        if not pipeline.attempts[name].refused and name not in pipeline.held
    }
    for name in decision.blocking:
        attempt = pipeline.attempts.get(name)
        if name in due or attempt is None or attempt.state not in ("success", "partial"):
            continue
        delay = retry_delay_seconds(gate.retry, attempt=attempt.attempt)
        if delay is not None:
            due[name] = attempt.finished_at + timedelta(seconds=delay)
    return due


def _processor_status(pipeline: Pipeline, name: str) -> ProcessorStatus:
    """What the gate judges of `name`: its last attempt's state, records and number."""
    attempt = pipeline.attempts[name]
    return ProcessorStatus(
        processor=name,
        state=_GATE_STATE[attempt.state],
        records=attempt.records,
        expected=attempt.expected,
        attempts=max(attempt.attempt, 1),
    )
