"""The daily pipeline of one game_date: phases of processors, completeness retries, phase gates.

Written against `Durable`: every processor attempt, read of the clock and wait is a durable step,
and every decision is recorded idempotently, so a restarted run replays what it did and carries
on from there without doing or recording anything twice.

- Phases run in plan order. Before Phase 4, Phase 5 and grading, a gate (`decide_gate`) judges
  the processors of the phase before: WAIT sleeps and re-runs what is due, PROCEED_DEGRADED
  continues with an alert, FAIL skips what depends on the gate and fails the run at the end
  (grading still runs when only the Phase 4 branch failed: it is on another critical path).
  A degraded proceed leaves the failed processors behind, not forgotten: they are re-run on their
  gate's schedule while the run goes on, and once one succeeds the phases after it that were built
  without it run again (the remediation retrigger_phase, within its safety limit, audited).
- Within a phase, a processor whose records fall under the completeness threshold is re-run
  after a growing delay (`plan_retry`), its Phase 2 feeds first, since late data comes through
  them, and the processors of its phase built from it after it; after the last attempt a
  give-up alert is recorded (after Phase 4, the run fails). The gates of the run retry the
  failures of the processors they judge; any other failure (a results run's team summaries, which
  no gate of it judges) is retried on the gates' default schedule. A run cut off as stuck is
  requeued through the remediation requeue_stuck (within its limit; past it, a person is paged).
- One page per root cause (`reliability.consequences`): a give-up or a failure that follows from
  a failed input of the same date joins that failure's incident, a gate failing only on what was
  paged already records its failure without paging, and a give-up another run paged today is not
  paged again. A page carries its diagnosis. After grading, a drop in accuracy pages once
  (`orchestration/accuracy.py`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from nbaprops.config import OrchestrationConfig
from nbaprops.errors import FailureKind, OrchestrationError
from nbaprops.orchestration.accuracy import check_accuracy
from nbaprops.orchestration.completeness import RetryAction, plan_retry, retry_delay_seconds
from nbaprops.orchestration.durable import ChildKind, Durable
from nbaprops.orchestration.gates import (
    GateAction,
    GateDecision,
    ProcessorState,
    ProcessorStatus,
    decide_gate,
)
from nbaprops.orchestration.observations import failure_of
from nbaprops.orchestration.paging import paged_today_step, reads_graph
from nbaprops.orchestration.remediation_steps import Remedy, begin_remediation_step, finish_remediation_step
from nbaprops.orchestration.requests import DailyRun, Scope
from nbaprops.orchestration.runtime import Runtime
from nbaprops.orchestration.settings import Backoff, GateConfig
from nbaprops.orchestration.steps import (
    ProcessorAttempt,
    history_built_step,
    history_gap_step,
    plan_day,
    record_step,
    run_processor_step,
)
from nbaprops.orchestration.store import Decision, PhaseCompletion
from nbaprops.pipeline.plan import PREDICTING_PHASES, DatePhase, PhaseSteps
from nbaprops.reliability.consequences import gate_consequence, upstream_failure
from nbaprops.reliability.diagnosis import Diagnosis
from nbaprops.reliability.incidents import Note, Observation, Recovery, fingerprint
from nbaprops.reliability.remediation import Action, Verdict
from nbaprops.suggestions import backfill_range

# The gate each phase waits for, and the phases whose failures those gates retry.
GATE_BEFORE = {
    "phase4": "phase3_to_phase4",
    "phase5": "phase4_to_phase5",
    "grading": "phase3_to_grading",
}
GATED_PHASES = frozenset({"phase3", "phase4"})
# What a failed gate blocks: the phases after it on the same critical path.
BLOCKS = {
    "phase3_to_phase4": ("phase4", "phase5"),
    "phase4_to_phase5": ("phase5",),
    "phase3_to_grading": ("grading",),
}
# Failures in phases no gate judges are retried on the default gate schedule (5, then 10 minutes).
UNGATED_RETRY = Backoff()
# Its records for the date are the games scheduled: none means the day's games do not exist yet.
SCHEDULE_PROCESSOR = "nbac_schedule"
FAILED_STATES = frozenset({"failed", "timed_out", "refused"})
# How a source (or a whole fallback chain) fails when it is down: an outage, waited out, not given up on.
OUTAGE_KINDS = frozenset(kind.value for kind in FailureKind if kind.down)
_GATE_STATE = {
    "refused": ProcessorState.FAILED,
    "success": ProcessorState.SUCCESS,
    "partial": ProcessorState.PARTIAL,
    "failed": ProcessorState.FAILED,
    "timed_out": ProcessorState.FAILED,
    "skipped": ProcessorState.SKIPPED,
}


@dataclass
class _Target:
    phase: str
    date: date | None


@dataclass
class Pipeline:
    """One run of the daily plan (or the part of it named in `only`) under one workflow."""

    durable: Durable
    request: DailyRun
    run_id: str
    only: Collection[str] | None = None
    kind: str = "daily"
    attempts: dict[str, ProcessorAttempt] = field(default_factory=dict)
    targets: dict[str, _Target] = field(default_factory=dict)
    gates: dict[str, dict[str, Any]] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    incomplete: dict[str, str] = field(default_factory=dict)
    retries: int = 0
    waited_seconds: float = 0.0
    # Processors paged about (or joined to a page), each -> the root cause it was paged under.
    paged: dict[str, str] = field(default_factory=dict)
    diagnoses: dict[str, Diagnosis] = field(default_factory=dict)
    judged: frozenset[str] = frozenset()
    """The processors a gate of this run judges: that gate retries their failures."""
    left_behind: dict[str, GateConfig] = field(default_factory=dict)
    """Failed processors a gate proceeded without: re-run on its schedule while the run goes on."""
    held: set[str] = field(default_factory=set)
    """Processors not to re-run: a remediation of them is past its limit (a person was paged) or off."""
    outages: dict[str, datetime] = field(default_factory=dict)
    """Phase 2 feeds whose source is down, since when: their retries wait the outage out."""
    previous: date | None = None
    _ordinal: int = 0
    _decisions_to_record: list[tuple[Decision, int]] = field(default_factory=list)
    _phases_to_record: list[PhaseCompletion] = field(default_factory=list)
    _observations: list[Observation] = field(default_factory=list)

    @property
    def runtime(self) -> Runtime:
        return self.durable.runtime

    @property
    def config(self) -> OrchestrationConfig:
        return self.runtime.settings.orchestration

    # -- the run -------------------------------------------------------------------------------

    def run(self, *, start_at: datetime | None = None) -> dict[str, Any]:
        """Run the plan; returns the outcome, or raises OrchestrationError when a gate failed or
        a processor of the last phases could not finish."""
        day = self.durable.step("plan_day", partial(plan_day, self.runtime, self.request))
        self.previous = None if day["previous"] is None else date.fromisoformat(day["previous"])
        if start_at is not None:
            self.durable.start_clock(start_at)
        elif day["start_at"] is not None:
            self.durable.start_clock(datetime.fromisoformat(day["start_at"]))
        self._wait_for_previous_day()
        if self.request.scope is Scope.HISTORY and self.durable.step(
            "history_built",
            partial(history_built_step, self.runtime, self.request, previous=self.previous),
        ):
            return self._finish()
        planned = [(phase, self._steps(phase)) for phase in self.runtime.plan()]
        self.judged = frozenset(
            name
            for phase, steps in planned
            if phase.phase in GATE_BEFORE and any(target is not None for _, target in steps)
            for name in getattr(self.config.gates, GATE_BEFORE[phase.phase]).processors
        )
        blocked: set[str] = set()
        for phase, steps in planned:
            if not any(target is not None for _, target in steps):
                continue
            gate_name = GATE_BEFORE.get(phase.phase)
            if phase.phase in blocked:
                self.phases[phase.phase] = "skipped"
                continue
            if gate_name is not None:
                decision = self.pass_gate(getattr(self.config.gates, gate_name))
                if decision.action is GateAction.FAIL:
                    blocked.update(BLOCKS[gate_name])
                    self.phases[phase.phase] = "skipped"
                    continue
            self.run_phase(phase.phase, steps)
            if phase.phase == "grading":
                for name, target in steps:
                    if target is not None and self.attempts[name].state == "success":
                        check_accuracy(self, target)
        self._retry_in_phase("", [], catch_up=True)
        return self._finish()

    def _wait_for_previous_day(self) -> None:
        """In a sequence of days (`since`), the day before runs first, whatever order the days
        were delivered in (a results-only run waits for the day run of its own date). A failed
        day before is recorded but does not stop this one."""
        since = self.request.since
        if since is None:
            return
        if self.request.scope is Scope.RESULTS:
            before = self.request.for_date(self.request.game_date)
        elif self.previous is not None and self.previous >= since:
            before = self.request.for_date(self.previous, scope=self.request.scope)
        else:
            return
        outcome = self.durable.start_child(
            ChildKind.DAILY, before.to_json(), workflow_id=before.workflow_id
        ).outcome()
        if not outcome.ok:
            self.record(
                kind="dependency",
                decision="previous_failed",
                alert=False,
                reason=f"The run before, {before.workflow_id}, failed ({outcome.error}); "
                f"running {self.durable.workflow_id} on what it left.",
                inputs={"previous_workflow_id": before.workflow_id},
            )

    def _steps(self, phase: PhaseSteps) -> list[tuple[str, date | None]]:
        steps = []
        for step in phase.steps:
            if self.request.scope is Scope.RESULTS and step.date_phase is DatePhase.UPCOMING:
                continue
            name = step.processor.name
            target = self._target_date(step.date_phase)
            if self.only is not None and name not in self.only:
                target = None
            # A history run builds what later days' features and models read, no more.
            if self.request.scope is Scope.HISTORY and phase.phase in PREDICTING_PHASES:
                target = None
            self.targets[name] = _Target(phase.phase, target)
            steps.append((name, target))
        return steps

    def _target_date(self, date_phase: DatePhase) -> date | None:
        if self.request.scope is Scope.RESULTS:
            return self.request.game_date
        return self.request.game_date if date_phase is DatePhase.UPCOMING else self.previous

    def _finish(self) -> dict[str, Any]:
        self.flush_records()
        failed_gates = [g for g, d in self.gates.items() if d["decision"] == GateAction.FAIL.value]
        # Phases 2-4 answer to the gates; a failure or give-up after them fails the run.
        ungated = [
            name
            for name in self.attempts
            if self.targets[name].phase not in GATED_PHASES | {"phase2"}
        ]
        unfinished = [name for name in ungated if self.attempts[name].state in FAILED_STATES]
        incomplete = [name for name in ungated if name in self.incomplete]
        degraded = any(
            d["decision"] == GateAction.PROCEED_DEGRADED.value for d in self.gates.values()
        ) or any(attempt.state not in ("success", "skipped") for attempt in self.attempts.values())
        failed = failed_gates or unfinished or incomplete
        status = "failed" if failed else "degraded" if degraded else "complete"
        outcome = {
            "workflow_id": self.durable.workflow_id,
            "run_id": self.run_id,
            "kind": self.kind,
            "game_date": self.request.game_date.isoformat(),
            "mode": self.request.mode.value,
            "source": self.request.source.value,
            "scope": self.request.scope.value,
            "previous_game_date": None if self.previous is None else self.previous.isoformat(),
            "status": status,
            "gates": self.gates,
            "phases": self.phases,
            "processors": {name: a.to_json() for name, a in self.attempts.items()},
            "notes": {name: a.note for name, a in self.attempts.items() if a.note},
            "retries": self.retries,
            "alerts": self.alerts,
            "waited_seconds": self.waited_seconds,
        }
        if status == "failed":
            reasons = [f"gate {g}: {self.gates[g]['reason']}" for g in failed_gates]
            reasons += [f"{name} failed: {self.attempts[name].error}" for name in unfinished]
            reasons += [f"{name} incomplete: {self.incomplete[name]}" for name in incomplete]
            raise OrchestrationError(
                f"The {self.request.mode} run of {self.request.game_date} "
                f"({self.durable.workflow_id}) failed. " + " ".join(reasons)
            )
        return outcome

    # -- phases --------------------------------------------------------------------------------

    def run_phase(self, phase: str, steps: list[tuple[str, date | None]]) -> None:
        started_at, started_utc = self.durable.now(), datetime.now(UTC)
        for name, target in steps:
            self.attempt(name, target)
        self._retry_in_phase(phase, [name for name, _ in steps])
        states = {self.attempts[name].state for name, _ in steps}
        status = (
            "failed"
            if states <= FAILED_STATES
            else "complete"
            if states <= {"success", "skipped"}
            else "degraded"
        )
        self.phases[phase] = status
        self._phases_to_record.append(
            PhaseCompletion(
                workflow_id=self.durable.workflow_id,
                run_id=self.run_id,
                game_date=self.request.game_date,
                mode=self.request.mode.value,
                phase=phase,
                status=status,
                processors={name: self.attempts[name].to_json() for name, _ in steps},
                started_at=started_at,
                completed_at=self.durable.now(),
                started_utc=started_utc,
                completed_utc=datetime.now(UTC),
                config_hash=self.runtime.config.hash,
            ),
        )

    def _retry_in_phase(self, phase: str, names: list[str], *, catch_up: bool = False) -> None:
        """Re-run `names` of `phase` while retries are due. The processors a gate proceeded without
        are re-run at their times while the run waits anyway, and when it has nothing else to do
        (`catch_up`, at its end): the phases after them are not held up."""
        policy = self.config.completeness_retry
        gave_up: set[str] = set()
        while True:
            due: dict[str, tuple[datetime, str]] = {}
            for name in names:
                attempt = self.attempts[name]
                where = f"{name} for {attempt.target_date}"
                if attempt.state == "skipped":
                    continue
                if attempt.refused or name in self.held:
                    continue  # recorded as a budget refusal or a page; one alert covers each
                if attempt.state in FAILED_STATES:
                    if name in self.judged:
                        continue
                    outage = self._outage_since(phase, attempt)
                    if outage is not None:
                        waited = (attempt.finished_at - outage).total_seconds()
                        delay = self.runtime.settings.orchestration.outage.delay_seconds(
                            attempt=attempt.attempt, waited_seconds=waited
                        )
                    else:
                        delay = retry_delay_seconds(UNGATED_RETRY, attempt=attempt.attempt)
                    if delay is None:
                        if name not in gave_up:
                            gave_up.add(name)
                            self._give_up(
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
                    due[name] = (attempt.finished_at + _seconds(delay), reason)
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
                            attempt.finished_at + _seconds(plan.delay_seconds),
                            f"{where}: {plan.message}",
                        )
                    elif plan.action is RetryAction.GIVE_UP and name not in gave_up:
                        gave_up.add(name)
                        why = "" if attempt.note is None else f" {attempt.note}"
                        reason = f"{where}:{why} {plan.message}{self._history_advice(phase)}"
                        self.incomplete[name] = reason
                        self._give_up(name, reason)
            if due or catch_up:
                due.update(self._left_behind_due())
            if not due:
                return
            wake = min(when for when, _ in due.values())
            self.sleep_until(wake, reason="; ".join(reason for _, reason in due.values()))
            self._retry_due({name: when for name, (when, _) in due.items()},
                            reasons={name: reason for name, (_, reason) in due.items()})

    def _left_behind_due(self) -> dict[str, tuple[datetime, str]]:
        """When each processor a gate proceeded without is due to run again; a success is taken
        off the list, re-running what was built without it; one with no attempts left stays
        failed, its incident open, as the gate's alert said."""
        due: dict[str, tuple[datetime, str]] = {}
        for name, gate in list(self.left_behind.items()):
            attempt = self.attempts[name]
            if attempt.state not in FAILED_STATES or attempt.refused or name in self.held:
                del self.left_behind[name]
                if attempt.state in ("success", "partial"):
                    self._retrigger(name, gate)
                continue
            delay = retry_delay_seconds(gate.retry, attempt=attempt.attempt)
            if delay is None:
                del self.left_behind[name]
                continue
            due[name] = (
                attempt.finished_at + _seconds(delay),
                f"gate {gate.name} proceeded without {name} for {attempt.target_date}; re-running it "
                f"(attempt {attempt.attempt + 1} of {gate.retry.max_attempts})",
            )
        return due

    def _retry_due(self, due: dict[str, datetime], *, reasons: dict[str, str]) -> None:
        """Re-run what is due by now, in plan order (a summary before the context built from it);
        one already re-run at this wake, as what is built from another, is not run again."""
        now = self.durable.now()
        tried = {name: self.attempts[name].attempt for name in due}
        for name in [name for name in self.targets if name in due]:
            if due[name] <= now and self.attempts[name].attempt == tried[name]:
                self.retry(name, reason=reasons[name])
        for name in [name for name in self.left_behind if name in due]:
            if self.attempts[name].state in ("success", "partial"):
                self._retrigger(name, self.left_behind.pop(name))

    def _outage_since(self, phase: str, attempt: ProcessorAttempt) -> datetime | None:
        """When the outage `attempt` failed in began, for a Phase 2 feed whose source is down in a run
        mode that waits outages out (`[orchestration.outage]`); None otherwise."""
        config = self.runtime.settings.orchestration.outage
        name = attempt.processor
        down = (attempt.error_class or "").rpartition(":")[2] in OUTAGE_KINDS
        if not (config.enabled and phase == "phase2" and down and self.request.mode in config.modes):
            self.outages.pop(name, None)
            return None
        return self.outages.setdefault(name, attempt.started_at)

    def _history_advice(self, phase: str) -> str:
        """For predictions short of their history: the command that builds it."""
        if phase != "phase5":
            return ""
        gap = self.durable.step(
            "history_gap", partial(history_gap_step, self.runtime, self.request)
        )
        if gap is None:
            return ""
        command = backfill_range(
            date.fromisoformat(gap["start"]), date.fromisoformat(gap["end"]), source=self.request.source
        )
        return f" Build the history with {command}, then run {self.request.game_date} again."

    def _give_up(self, name: str, reason: str) -> None:
        """Give up on `name`: page once per root cause. A give-up that follows from a failed input
        joins that failure's incident, and one already paged today by another run is not paged again."""
        attempt = self.attempts[name]
        if attempt.state == "partial":
            self._observe_failure(attempt, error_class="Incomplete", error=reason, key_suffix="give_up")
        cause = self._upstream_failure(name)
        earlier = None if cause is not None else self._paged_today(name)
        if cause is not None:
            self.paged[name] = self.paged.get(cause, cause)
            known = self.diagnoses.get(cause)
            why = "" if known is None else f" ({known.rule})"
            reason += f" Not paged: it follows from {cause} failing for {attempt.target_date}{why}, in its incident."
        elif earlier is not None:
            self.paged[name] = name
            reason += f" Not paged again: {earlier} paged this failure of {name} today."
        else:
            self.paged[name] = name
            diagnosis = self.diagnoses.get(name)
            reason += "" if diagnosis is None else f" Diagnosis ({diagnosis.rule}): {diagnosis}"
            self.alerts.append(reason)
        pages = cause is None and earlier is None
        self._observations.append(
            Note(name, attempt.target_date, self.durable.now(), remediation="gave up after the retries",
                 alert=reason if pages else None)
        )
        self.record(
            kind="give_up",
            decision="give_up",
            processor=name,
            alert=pages,
            reason=reason,
            inputs={**self.attempts[name].to_json(), **({"caused_by": cause} if cause else {})},
        )

    def _paged_today(self, name: str) -> str | None:
        """The workflow that paged this same failure of `name` earlier on the run's day."""
        return self.durable.step(
            f"paged_today:{name}",
            partial(
                paged_today_step, self.runtime, game_date=self.request.game_date, processor=name,
                error_class=self.attempts[name].error_class, workflow_id=self.durable.workflow_id,
            ),
        )

    def _upstream_failure(self, name: str) -> str | None:
        """The failed processor upstream of `name` for its date whose failure `name` follows from."""
        names = [n for n in self.targets if n in self.attempts]
        failed = {n for n in names if self.attempts[n].state in FAILED_STATES} | set(self.incomplete) | set(self.paged)
        failed.discard(name)
        graph = reads_graph(
            names,
            inputs_of=lambda n: self.runtime.processor(n).inputs,
            output_of=lambda n: self.runtime.processor(n).output_table,
            date_of={n: self.targets[n].date for n in names},
        )
        return upstream_failure(name, reads=graph, failed=failed)

    # -- gates ---------------------------------------------------------------------------------

    def pass_gate(self, gate: GateConfig) -> GateDecision:
        """Decide `gate` until it proceeds or fails: a WAIT sleeps to the next re-run that is due
        (or the end of the wait) and re-runs the processors the gate is waiting for."""
        first = self.durable.now()
        mode = self.config.modes.get(self.request.mode)
        max_wait_seconds = mode.max_wait_for(gate) * 60
        while True:
            now = self.durable.now()
            statuses = {
                name: self.status(name) for name in gate.processors if name in self.attempts
            }
            decision = decide_gate(
                gate,
                mode=mode,
                statuses=statuses,
                waited_minutes=(now - first).total_seconds() / 60,
            )
            repeat = gate_consequence(decision.blocking, paged=self.paged) if decision.alert else None
            if repeat is not None:
                decision = replace(decision, alert=False, reason=f"{decision.reason} {repeat}")
            self.record(
                kind="gate",
                gate=gate.name,
                decision=decision.action.value,
                reason=decision.reason,
                alert=decision.alert,
                inputs=decision.inputs,
            )
            self.gates[gate.name] = {
                "decision": decision.action.value,
                "reason": decision.reason,
                "alert": decision.alert,
            }
            if decision.alert:
                self.alerts.append(f"gate {gate.name}: {decision.reason}")
            if decision.action is GateAction.FAIL:
                self._observe_gate_failure(gate.name, decision)
            if decision.action is GateAction.PROCEED_DEGRADED:
                for name in self._gate_due(gate, decision):
                    if self.attempts[name].state in FAILED_STATES:
                        self.left_behind[name] = gate
            if decision.action is not GateAction.WAIT:
                return decision
            due = self._gate_due(gate, decision)
            due.update({name: when for name, (when, _) in self._left_behind_due().items() if name not in due})
            deadline = first + _seconds(max_wait_seconds)
            self.sleep_until(
                min([deadline, *due.values()]), reason=f"gate {gate.name}: {decision.reason}"
            )
            self._retry_due(due, reasons={name: f"gate {gate.name} re-runs {name}: {decision.reason}" for name in due})

    def _observe_gate_failure(self, gate: str, decision: GateDecision) -> None:
        """A failed gate is a failure of each processor it failed on that ran short of its records
        (its inputs late or in part); failed processors opened their incidents already."""
        for name in decision.blocking:
            attempt = self.attempts.get(name)
            if attempt is not None and attempt.state == "partial":
                self._observe_failure(attempt, error_class="Incomplete", error=f"gate {gate}: {decision.reason}",
                                      key_suffix=f"gate:{gate}")

    def _gate_due(self, gate: GateConfig, decision: GateDecision) -> dict[str, datetime]:
        """When each processor the gate waits for is due to run again."""
        due = {
            name: self.attempts[name].finished_at + _seconds(delay)
            for name, delay in decision.retry_due.items()
            # the budget refuses any re-run of it, or its remediation stopped and paged a person
            if not self.attempts[name].refused and name not in self.held
        }
        for name in decision.blocking:
            attempt = self.attempts.get(name)
            if name in due or attempt is None or attempt.state not in ("success", "partial"):
                continue
            delay = retry_delay_seconds(gate.retry, attempt=attempt.attempt)
            if delay is not None:
                due[name] = attempt.finished_at + _seconds(delay)
        return due

    def status(self, name: str) -> ProcessorStatus:
        attempt = self.attempts[name]
        return ProcessorStatus(
            processor=name,
            state=_GATE_STATE[attempt.state],
            records=attempt.records,
            expected=attempt.expected,
            attempts=max(attempt.attempt, 1),
        )

    # -- processors, time and records ----------------------------------------------------------

    def attempt(self, name: str, target: date | None, *, number: int = 1) -> ProcessorAttempt:
        """Run attempt `number` of `name` for `target` as a step (None: skipped, no step)."""
        now = self.durable.now()
        if target is None:
            result = ProcessorAttempt(
                processor=name,
                target_date=self.request.game_date,
                attempt=number,
                state="skipped",
                records=None,
                expected=None,
                started_at=now,
                finished_at=now,
                finished_utc=datetime.now(UTC),
            )
        else:
            result = ProcessorAttempt.from_json(
                self.durable.step(
                    f"processor:{name}:{target.isoformat()}#{number}",
                    partial(
                        run_processor_step,
                        self.runtime,
                        self.request,
                        run_id=self.run_id,
                        processor=name,
                        target_date=target,
                        attempt=number,
                        now=now,
                    ),
                )
            )
            self.durable.advance_to(result.finished_at)
            if result.refused:
                self.record(
                    kind="budget",
                    decision="refused",
                    processor=name,
                    reason=result.error or f"{name} for {target} was refused by the retry budget.",
                    inputs=result.to_json(),
                )
            if result.state in FAILED_STATES:
                self._observe_failure(result, error_class=result.error_class or "ProcessorError")
            elif result.state == "success":
                manual = self.kind == "daily" and self.request.attempt > 1
                self._observations.append(
                    Recovery(name, target, result.finished_at, by="manual" if manual else "auto",
                             workflow_id=self.durable.workflow_id)
                )
            if result.state == "timed_out":
                self.alerts.append(result.error or f"{name} timed out")
                self._observations.append(Note(name, target, result.finished_at, alert=self.alerts[-1]))
                self.record(
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
                if self.remediate(requeue, done=True) is None:
                    self.held.add(name)
        self.attempts[name] = result
        return result

    def retry(self, name: str, *, reason: str) -> None:
        """Run `name` again, its Phase 2 feeds first: late data arrives through them, and when it
        wrote rows, the processors of its phase built from it after it. A processor the retry
        budget refused is not tried again in this run."""
        if self.attempts[name].refused or name in self.held:
            return
        self.retries += 1
        last = self.attempts[name]
        self._observations.append(
            Note(name, last.target_date, self.durable.now(), remediation=f"re-ran it (attempt {last.attempt + 1})")
        )
        self.record(
            kind="retry",
            decision="retry",
            processor=name,
            reason=reason,
            inputs=self.attempts[name].to_json(),
        )
        target = self.targets[name].date
        for feed in self._feeds_of(name):
            self.attempt(feed, self.targets[feed].date, number=self.attempts[feed].attempt + 1)
        if self.attempt(name, target, number=self.attempts[name].attempt + 1).state not in ("success", "partial"):
            return  # no new rows: what is built from it would be built from the same ones again
        for dependent in self._dependents_of(name):
            self.attempt(
                dependent,
                self.targets[dependent].date,
                number=self.attempts[dependent].attempt + 1,
            )

    def _feeds_of(self, name: str) -> list[str]:
        if self.targets[name].phase == "phase2":
            return []
        inputs = set(self.runtime.processor(name).inputs)
        return [
            feed
            for feed, target in self.targets.items()
            if target.phase == "phase2"
            and target.date is not None
            and target.date == self.targets[name].date
            and self.runtime.processor(feed).output_table in inputs
            and feed in self.attempts
        ]

    def _dependents_of(self, name: str) -> list[str]:
        """The processors after `name` in its phase that read what it writes, for its date or a
        later one (the upcoming context reads the previous day's summaries): built from its old
        rows, they are built again after it."""
        where = self.targets[name]
        output = self.runtime.processor(name).output_table
        names = list(self.targets)
        return [
            other
            for other in names[names.index(name) + 1 :]
            if self.targets[other].phase == where.phase
            and _on_or_after(self.targets[other].date, where.date)
            and other in self.attempts
            and output in self.runtime.processor(other).inputs
        ]

    def _downstream_of(self, name: str) -> list[str]:
        """The processors of the phases after `name`'s that ran and read what it writes, directly
        or through another, for its date or a later one: built without it, in plan order."""
        where = self.targets[name]
        names = list(self.targets)
        read = {self.runtime.processor(name).output_table}
        found = []
        for other in names[names.index(name) + 1 :]:
            target = self.targets[other]
            attempt = self.attempts.get(other)
            if attempt is None or attempt.state == "skipped" or not _on_or_after(target.date, where.date):
                continue
            if read & set(self.runtime.processor(other).inputs):
                read.add(self.runtime.processor(other).output_table)
                if target.phase != where.phase:
                    found.append(other)
        return found

    def _retrigger(self, name: str, gate: GateConfig) -> None:
        """`name` succeeded after `gate` proceeded without it: run again the later phases' processors
        built without it, as the remediation retrigger_phase (within its limit, audited)."""
        downstream = self._downstream_of(name)
        if not downstream:
            return
        attempt = self.attempts[name]
        phases = sorted({self.targets[other].phase for other in downstream}, key=list(GATE_BEFORE).index)
        remedy = Remedy(
            Action.RETRIGGER_PHASE, name, attempt.target_date,
            f"re-ran {', '.join(phases)} of {self.request.game_date} ({', '.join(downstream)}): {name} arrived "
            f"on attempt {attempt.attempt}, after gate {gate.name} had proceeded without it",
        )
        remediation_id = self.remediate(remedy, done=False)
        if remediation_id is None:
            return
        for other in downstream:
            self.attempt(other, self.targets[other].date, number=self.attempts[other].attempt + 1)
        failed = [other for other in downstream if self.attempts[other].state in FAILED_STATES]
        detail = remedy.detail + ("" if not failed else f"; still failing: {', '.join(failed)}")
        self.durable.step(
            "remediation_finished",
            partial(finish_remediation_step, self.runtime, action=Action.RETRIGGER_PHASE,
                    remediation_id=remediation_id, ok=not failed, at=self.durable.now(), detail=detail),
        )

    def remediate(self, remedy: Remedy, *, done: bool) -> str | None:
        """Judge `remedy` against its safety limit as a step; the id of its audit row when it may
        act, None when it is switched off or past its limit (then a person is paged, once)."""
        self.flush_records()  # the incident it remedies is in the warehouse before the audit row
        result = self.durable.step(
            f"remediation:{remedy.action.value}",
            partial(begin_remediation_step, self.runtime, remedy, now=self.durable.now(),
                    workflow_id=self.durable.workflow_id, done=done),
        )
        if result["verdict"] == Verdict.PAGE.value:
            self.alerts.append(result["reason"])
            paged = f"remediation paged: {result['reason']}"
            self._observations.append(Note(remedy.target, remedy.game_date, self.durable.now(), alert=paged))
            self.record(kind="remediation", decision="paged", processor=remedy.target, alert=True,
                        reason=result["reason"], inputs={"action": remedy.action.value})
        return result["remediation_id"] if result["verdict"] == Verdict.ACT.value else None

    def _observe_failure(
        self, attempt: ProcessorAttempt, *, error_class: str, error: str | None = None, key_suffix: str = ""
    ) -> None:
        """Open or update the incident of a failed attempt, with its diagnosis."""
        # Imported here: the breaker tables' module imports the engine, which imports this module.
        from nbaprops.orchestration.breakers import breaker_states

        breakers = breaker_states(self.runtime.home, self.runtime.settings)
        schedule = self.attempts.get(SCHEDULE_PROCESSOR)
        games = (
            schedule.records
            if schedule is not None and schedule.state == "success" and schedule.target_date == attempt.target_date
            else None
        )
        failure = failure_of(
            attempt, workflow_id=self.durable.workflow_id, error_class=error_class, breakers=breakers,
            games_scheduled=games, error=error, key_suffix=key_suffix,
            caused_by=self._upstream_failure(attempt.processor),
        )
        if failure.diagnosis is not None:
            self.diagnoses[attempt.processor] = failure.diagnosis
        self._observations.append(failure)

    def sleep_until(self, wake: datetime, *, reason: str) -> None:
        seconds = (wake - self.durable.now()).total_seconds()
        if seconds > 0:
            self.waited_seconds += seconds
            self.flush_records()
            self.durable.sleep(seconds, reason=reason)

    def record(
        self,
        *,
        kind: str,
        decision: str,
        reason: str,
        alert: bool = False,
        gate: str | None = None,
        processor: str | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        """Record a decision. Idempotent (keyed by its place in the workflow), so a plain call
        rather than a step: a replay records nothing new."""
        self._ordinal += 1
        entry = Decision(
            workflow_id=self.durable.workflow_id,
            game_date=self.request.game_date,
            mode=self.request.mode.value,
            kind=kind,
            decision=decision,
            reason=reason,
            decided_at=self.durable.now(),
            alert=alert,
            gate=gate,
            processor=processor,
            inputs={"run_id": self.run_id, **(inputs or {})},
        )
        self._decisions_to_record.append((entry, self._ordinal))

    def observe(self, observation: Observation) -> None:
        """Tell the incidents `observation`, with the next records written."""
        self._observations.append(observation)

    def flush_records(self) -> None:
        """Write the recorded decisions and phase completions, in one transaction. Records are
        idempotent and rebuilt by a replay, so they need no step of their own: they are written
        before every wait and at the end, which is when anyone can look at them."""
        if self._decisions_to_record or self._phases_to_record or self._observations:
            record_step(
                self.runtime,
                decisions=self._decisions_to_record,
                phases=self._phases_to_record,
                observations=self._observations,
            )
            self._decisions_to_record, self._phases_to_record, self._observations = [], [], []


def run_daily(durable: Durable, request: DailyRun) -> dict[str, Any]:
    """The daily pipeline workflow: the whole plan for `request.game_date` (or its results half)."""
    return Pipeline(durable, request, run_id=durable.workflow_id).run()


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def _on_or_after(later: date | None, earlier: date | None) -> bool:
    return later is not None and earlier is not None and later >= earlier
