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

This module holds the run, phase by phase, and its records; `daily_gates` passes the gates,
`daily_retries` retries within a phase and gives up, `daily_attempts` runs one processor attempt,
and `daily_lineage` knows which processors read which.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from nbaprops.config import OrchestrationConfig
from nbaprops.errors import OrchestrationError
from nbaprops.orchestration.accuracy import check_accuracy
from nbaprops.orchestration.daily_attempts import run_attempt
from nbaprops.orchestration.daily_gates import pass_gate
from nbaprops.orchestration.daily_lineage import BLOCKS, FAILED_STATES, GATE_BEFORE, GATED_PHASES, Lineage, Target
from nbaprops.orchestration.daily_retries import OUTAGE_KINDS, retry_in_phase
from nbaprops.orchestration.durable import ChildKind, Durable
from nbaprops.orchestration.gates import GateAction
from nbaprops.orchestration.requests import DailyRun, Scope
from nbaprops.orchestration.runtime import Runtime
from nbaprops.orchestration.settings import GateConfig
from nbaprops.orchestration.steps import ProcessorAttempt, history_built_step, plan_day, record_step
from nbaprops.orchestration.store import Decision, PhaseCompletion
from nbaprops.pipeline.plan import PREDICTING_PHASES, DatePhase, PhaseSteps
from nbaprops.reliability.diagnosis import Diagnosis
from nbaprops.reliability.incidents import Observation

__all__ = ["OUTAGE_KINDS", "Pipeline", "run_daily"]


@dataclass
class Pipeline:
    """One run of the daily plan (or the part of it named in `only`) under one workflow."""

    durable: Durable
    request: DailyRun
    run_id: str
    only: Collection[str] | None = None
    kind: str = "daily"
    attempts: dict[str, ProcessorAttempt] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
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
    adopted: frozenset[str] = frozenset()
    """Phases this run took from the history run of its date (`DailyRun.history_first`)."""
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

    @property
    def lineage(self) -> Lineage:
        return Lineage(self.targets, self.attempts, self.runtime.processor)

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
        if self.request.history_first and self.request.scope is Scope.DAY:
            self._adopt_history()
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
            if phase.phase in self.adopted:
                continue
            if phase.phase in blocked:
                self.phases[phase.phase] = "skipped"
                continue
            if gate_name is not None:
                decision = pass_gate(self, getattr(self.config.gates, gate_name))
                if decision.action is GateAction.FAIL:
                    blocked.update(BLOCKS[gate_name])
                    self.phases[phase.phase] = "skipped"
                    continue
            self.run_phase(phase.phase, steps)
            if phase.phase == "grading":
                for name, target in steps:
                    if target is not None and self.attempts[name].state == "success":
                        check_accuracy(self, target)
        retry_in_phase(self, "", [], catch_up=True)
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

    def _adopt_history(self) -> None:
        """Take Phases 2-4 from the history run of this date: start it, or wait for it where it
        runs (another worker's history backfill may have built it ahead). Its attempts, gates and
        phases become this run's, and the clock moves on to where it ended. A history run that
        failed, or found its days built already and ran nothing, is not adopted: this run then
        builds Phases 2-4 itself."""
        history = self.request.history_run
        outcome = self.durable.start_child(
            ChildKind.DAILY, history.to_json(), workflow_id=history.workflow_id
        ).outcome()
        result = outcome.result if outcome.ok else None
        ran = {} if result is None else result["processors"]
        if result is None or not ran:
            why = "it ran no processor" if result is not None else f"it failed ({outcome.error})"
            self.record(
                kind="dependency",
                decision="history_not_adopted",
                reason=f"The history run {history.workflow_id} is not adopted, {why}; "
                f"{self.durable.workflow_id} builds Phases 2-4 itself.",
                inputs={"history_workflow_id": history.workflow_id},
            )
            return
        attempts = [ProcessorAttempt.from_json(data) for data in ran.values()]
        self.attempts.update({attempt.processor: attempt for attempt in attempts})
        self.gates.update(result["gates"])
        self.phases.update(result["phases"])
        self.alerts.extend(result["alerts"])
        self.retries += result["retries"]
        self.adopted = frozenset(result["phases"])
        self.durable.advance_to(max(attempt.finished_at for attempt in attempts))

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
            self.targets[name] = Target(phase.phase, target)
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
            run_attempt(self, name, target)
        retry_in_phase(self, phase, [name for name, _ in steps])
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

    # -- time and records ----------------------------------------------------------------------

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

