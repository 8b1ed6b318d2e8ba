"""The remediation executor: carries out the remedies `reliability.remediation` decides on, for the
open incidents of known causes, each judged against its safety limit and written as an audit row.

- retrigger_phase: a `late_data` incident whose inputs arrived since (a props poll saw new lines)
  re-runs Phase 3+ of its date, as the props event of that poll (the same event runs once);
- switch_source: a source failing (breaker open, 403 after a URL change, an empty 200) is served by
  the fallback chain; recorded as the remedy on the incident;
- requeue_stuck: runs stuck 'running' past their timeout are recorded timed out, so they retry;
- regrade: a graded date whose box scores at the source differ from the ones graded is graded
  again, as the next attempt of its results run;
- pause_polling: a source whose quota is exhausted or low has its window polls paused until the
  reset (`paused_poll_kinds`), then they resume by themselves.

Past a limit it stops and pages a person once, with the diagnosis. Time is the caller's `now`
(the one clock). Started workflows are followed up on later calls (`finish_started`): success
resolves the incident `auto`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from nbaprops.alerting.model import Alert, Severity
from nbaprops.clock import Clock
from nbaprops.orchestration.attempts import day_attempt
from nbaprops.orchestration.breakers import breaker_states
from nbaprops.orchestration.remediation_facts import (
    box_score_hash,
    graded_dates,
    paused_poll_kinds,
    props_arrived_at,
    stored_box_scores,
)
from nbaprops.orchestration.requests import SCOPE_PREFIX, DailyRun, DataEvent, EventKind, Scope, SourceKind
from nbaprops.orchestration.settings import RunMode, StuckConfig
from nbaprops.orchestration.store import Decision, record_decision
from nbaprops.orchestration.stuck import StuckRun, find_stuck_runs, time_out_run
from nbaprops.orchestration.watch import day_run_of
from nbaprops.orchestration.windows import PollKind
from nbaprops.reliability.config import RemediationConfig
from nbaprops.reliability.incidents import Incident, IncidentStore, Note, Recovery
from nbaprops.reliability.remediation import (
    Action,
    Outcome,
    RemediationDecision,
    Verdict,
    decide,
    pause_until,
    quota_low,
    remedy_for,
)
from nbaprops.reliability.remediation_log import RemediationLog, RemediationRecord
from nbaprops.sources.base import Source
from nbaprops.warehouse import Warehouse

if TYPE_CHECKING:
    from nbaprops.orchestration.engine import Engine, WorkflowOutcome

PAGE_ALERT = "remediation_limit_reached"
QUOTA_ALERT = "source_quota_low"
# The poll kind each Phase 2 processor's source data comes through (a paused kind stops its polls).
POLL_KIND_OF = {
    "odds_player_props": PollKind.PROPS,
    "nbac_injury_report": PollKind.INJURIES,
    "nbac_schedule": PollKind.SCHEDULE,
    "nbac_player_boxscores": PollKind.BOX_SCORES,
    "nbac_team_boxscores": PollKind.BOX_SCORES,
}
_FINISHED_OK = "SUCCESS"
_STILL_RUNNING = frozenset({"PENDING", "ENQUEUED"})


class Workflows(Protocol):
    """What the executor needs of the engine."""

    def start(self, work: DailyRun | DataEvent) -> str: ...

    def statuses(self, prefixes: Sequence[str]) -> dict[str, str]: ...


@dataclass
class Remediator:
    """One pass over what can be remediated at `now`."""

    warehouse: Warehouse
    config: RemediationConfig
    workflows: Workflows
    source_kind: SourceKind
    now: datetime
    page: Callable[[Alert], None] = lambda alert: None
    notify: Callable[[str], None] = lambda message: None
    breakers: Mapping[str, str] = field(default_factory=dict)
    """Each source's breaker state: an open one keeps its source demoted until it closes."""
    done: list[RemediationRecord] = field(default_factory=list)

    @property
    def log(self) -> RemediationLog:
        return RemediationLog(self.warehouse)

    @property
    def incidents(self) -> IncidentStore:
        return IncidentStore(self.warehouse)

    def run(self, *, source: Source | None = None) -> list[RemediationRecord]:
        """Follow up started workflows, then remedy the open incidents of known causes and, with
        `source`, regrade the graded dates whose box scores changed."""
        self.finish_started()
        for incident in self.incidents.incidents(status="open"):
            self.remedy(incident)
        if source is not None:
            self.regrade_changed(source)
        return self.done

    # -- by incident ---------------------------------------------------------------------------

    def remedy(self, incident: Incident) -> RemediationRecord | None:
        """The remedy of `incident`'s diagnosed cause, when it has one and it applies now."""
        match remedy_for(incident.diagnosis_rule):
            case Action.RETRIGGER_PHASE:
                return self._retrigger(incident)
            case Action.SWITCH_SOURCE:
                return self._switch_source(incident)
            case Action.PAUSE_POLLING:
                kind = POLL_KIND_OF.get(incident.component, PollKind.PROPS)
                return self.pause_polling(kind.value, game_date=incident.game_date, incident=incident)
            case _:
                return None  # requeue_stuck runs from the sweep; the others need a person

    def _retrigger(self, incident: Incident) -> RemediationRecord | None:
        arrived = props_arrived_at(self.warehouse, incident.game_date, after=incident.detected_at)
        day = day_run_of(self.warehouse, incident.game_date, source=self.source_kind)
        if arrived is None or day is None or self._started_for(incident, Action.RETRIGGER_PHASE):
            return None
        event = DataEvent(EventKind.PROPS, day, arrived)

        def act() -> tuple[Outcome, str, str | None]:
            workflow_id = self.workflows.start(event)
            return Outcome.RUNNING, f"re-ran Phase 3+ of {incident.game_date}: lines arrived at " \
                f"{arrived:%Y-%m-%d %H:%M} UTC ({workflow_id})", workflow_id

        return self.attempt(Action.RETRIGGER_PHASE, target=incident.component, game_date=incident.game_date,
                            incident=incident, act=act)

    def _switch_source(self, incident: Incident) -> RemediationRecord | None:
        if self._acted_on(incident, Action.SWITCH_SOURCE):
            return None

        opened = sorted(source for source, state in self.breakers.items() if state == "open")
        demoted = f"; {', '.join(opened)} stays demoted until its breaker closes" if opened else ""

        def act() -> tuple[Outcome, str, str | None]:
            return Outcome.SUCCESS, f"served {incident.component} from the fallback source " \
                f"({incident.diagnosis_rule}){demoted}", None

        return self.attempt(Action.SWITCH_SOURCE, target=incident.component, game_date=incident.game_date,
                            incident=incident, act=act)

    def pause_polling(
        self,
        target: str,
        *,
        game_date: date | None,
        incident: Incident | None = None,
        resets_at: datetime | None = None,
    ) -> RemediationRecord | None:
        """Pause the `target` poll kind's window polls until `resets_at` (or `pause_minutes`)."""
        if target in paused_poll_kinds(self.warehouse, now=self.now):
            return None
        until = pause_until(self.now, resets_at=resets_at, config=self.config)

        def act() -> tuple[Outcome, str, str | None]:
            return Outcome.SUCCESS, f"paused the {target} polls until {until:%Y-%m-%d %H:%M} UTC (quota)", None

        record = self.attempt(Action.PAUSE_POLLING, target=target, game_date=game_date, incident=incident, act=act)
        if record is not None and record.outcome is Outcome.SUCCESS:
            record = replace(record, finished_at=until)
            self.log.write(record)
            self.done[-1] = record
        return record

    def pause_for_quota(
        self, source_name: str, *, requests_left: int | None, resets_at: datetime | None, kind: PollKind
    ) -> RemediationRecord | None:
        """A quota reading of `source_name`: pause the polls of `kind` it feeds while it is low, and
        say so once per pause with a warning alert (`source_quota_low`), before the quota runs out."""
        if not quota_low(requests_left, self.config):
            return None
        record = self.pause_polling(kind.value, game_date=None, resets_at=resets_at)
        if record is not None and record.outcome is Outcome.SUCCESS:
            self.page(Alert(
                QUOTA_ALERT,
                Severity.WARNING,
                "sources",
                f"{source_name}: {requests_left} requests left, at or under the "
                f"{self.config.pause_polling.quota_low_requests} of [reliability.remediation.pause_polling] "
                f"quota_low_requests; {record.detail}.",
                details={"source": source_name, "requests_left": requests_left, "kind": kind.value},
                diagnosis="quota_exhausted: the request quota is nearly spent; polling resumes when it renews.",
                labels={"action": Action.PAUSE_POLLING.value, "target": kind.value, "source": source_name},
            ))
        return record

    # -- stuck work ----------------------------------------------------------------------------

    def requeue_stuck(self, *, timeout_minutes: float, stuck: StuckConfig | None = None) -> list[StuckRun]:
        """Record each run stuck 'running' past `timeout_minutes` (with `stuck`, past its processor's
        own deadline) as timed out, within the limit."""
        requeued = []
        for run in find_stuck_runs(self.warehouse, now=self.now, timeout_minutes=timeout_minutes, config=stuck):

            def act(run: StuckRun = run) -> tuple[Outcome, str, str | None]:
                time_out_run(self.warehouse, run, timeout_minutes=run.timeout_minutes)
                return Outcome.SUCCESS, f"requeued {run.processor} of {run.run_id} (attempt {run.attempt}), " \
                    f"stuck running {run.running_minutes:.0f} minutes", run.run_id

            record = self.attempt(Action.REQUEUE_STUCK, target=run.processor, game_date=run.game_date,
                                  incident=None, act=act,
                                  diagnosis=f"{run.processor} of {run.run_id} has been running "
                                  f"{run.running_minutes:.0f} minutes.")
            if record is not None and record.outcome is Outcome.SUCCESS:
                requeued.append(run)
        return requeued

    # -- regrading -----------------------------------------------------------------------------

    def regrade_changed(self, source: Source) -> list[RemediationRecord]:
        """Grade again each graded date (within `regrade_lookback_days`) whose box scores at
        `source` differ from the ones in the warehouse it was graded on."""
        found = []
        for game_date in self.regrade_candidates():
            fresh = source.player_boxscores(game_date, as_of=self.now)
            if not fresh or box_score_hash(fresh) == box_score_hash(stored_box_scores(self.warehouse, game_date)):
                continue
            record = self.regrade(game_date)
            if record is not None:
                found.append(record)
        return found

    def regrade_candidates(self) -> list[date]:
        """The graded dates within `regrade_lookback_days` of now."""
        since = self.now.date() - timedelta(days=self.config.regrade_lookback_days)
        return graded_dates(self.warehouse, since=since, until=self.now.date())

    def regrade(self, game_date: date) -> RemediationRecord | None:
        """The results run of `game_date` again, as its next attempt (in the mode it was graded in)."""
        prefix = f"{SCOPE_PREFIX[Scope.RESULTS]}:{game_date.isoformat()}:"
        statuses = self.workflows.statuses([prefix])
        if any(status in _STILL_RUNNING for status in statuses.values()):
            return None  # a results run of the date is under way: it reads the new box scores
        modes = [workflow_id.split(":")[2] for workflow_id in sorted(statuses)
                 if workflow_id.split(":")[3] == self.source_kind.value]
        base = DailyRun(game_date, RunMode(modes[-1]) if modes else RunMode.OVERNIGHT, self.source_kind,
                        virtual=self.source_kind is not SourceKind.LIVE, scope=Scope.RESULTS)
        run = replace(base, attempt=day_attempt(statuses, base, rerun=True))

        def act() -> tuple[Outcome, str, str | None]:
            workflow_id = self.workflows.start(run)
            return Outcome.RUNNING, f"regraded {game_date} as attempt {run.attempt}: its box scores changed " \
                f"({workflow_id})", workflow_id

        return self.attempt(Action.REGRADE, target="results", game_date=game_date, incident=None, act=act,
                            diagnosis=f"The box scores of {game_date} changed at the source after it was graded.")

    # -- follow-up and the limit ---------------------------------------------------------------

    def finish_started(self) -> list[RemediationRecord]:
        """The running remediations whose workflow ended: success resolves their incidents `auto`."""
        finished = []
        for record in self.log.records(outcome=Outcome.RUNNING):
            if record.workflow_id is None:
                continue
            status = self.workflows.statuses([record.workflow_id]).get(record.workflow_id)
            if status is None or status in _STILL_RUNNING:
                continue
            ok = status == _FINISHED_OK
            record = record.finish(Outcome.SUCCESS if ok else Outcome.FAILED, at=self.now,
                                   detail=record.detail + ("" if ok else f"; the workflow ended {status}"))
            self.log.write(record)
            if ok and record.fingerprint is not None:
                for incident in self.incidents.incidents(game_date=record.game_date, status="open"):
                    if incident.fingerprint == record.fingerprint:
                        self.incidents.observe(Recovery(incident.component, incident.game_date, self.now, by="auto"))
            finished.append(record)
        return finished

    def attempt(
        self,
        action: Action,
        *,
        target: str,
        game_date: date | None,
        incident: Incident | None,
        act: Callable[[], tuple[Outcome, str, str | None]],
        diagnosis: str | None = None,
    ) -> RemediationRecord | None:
        """Judge `action` against its limit; act (and audit it), page once, or hold."""
        decision = decide(action, target=target, game_date=game_date, history=self.log.history(action),
                          config=self.config, now=self.now)
        if decision.verdict is Verdict.HOLD:
            return None
        fingerprint = None if incident is None else incident.fingerprint
        if decision.verdict is Verdict.PAGE:
            record = self._page(decision, incident=incident, diagnosis=diagnosis)
        else:
            outcome, detail, workflow_id = act()
            record = RemediationRecord(action, target, game_date, self.now, outcome, detail, decision.limit,
                                       fingerprint=fingerprint, workflow_id=workflow_id,
                                       finished_at=None if outcome is Outcome.RUNNING else self.now)
            self.notify(f"Remediation: {detail}.")
            if incident is not None:
                self.incidents.observe(Note(incident.component, incident.game_date, self.now, remediation=detail))
        self.log.write(record)
        self.done.append(record)
        return record

    def _page(
        self, decision: RemediationDecision, *, incident: Incident | None, diagnosis: str | None
    ) -> RemediationRecord:
        cause = diagnosis
        if incident is not None and incident.root_cause is not None:
            cause = f"{incident.root_cause} Fix: {incident.suggested_fix}"
        alert = Alert(
            PAGE_ALERT,
            Severity.CRITICAL,
            "orchestration",
            decision.reason,
            details={"action": decision.action.value, "target": decision.target, "limit": decision.limit.to_json()},
            diagnosis=cause,
            labels={"action": decision.action.value, "target": decision.target,
                    **({} if decision.game_date is None else {"game_date": decision.game_date.isoformat()})},
        )
        self.page(alert)
        self.notify(decision.reason)
        if incident is not None:
            self.incidents.observe(Note(incident.component, incident.game_date, self.now,
                                        alert=f"{PAGE_ALERT}: {decision.reason}"))
        return RemediationRecord(
            decision.action, decision.target, decision.game_date, self.now, Outcome.PAGED,
            decision.reason + ("" if cause is None else f" Diagnosis: {cause}"), decision.limit,
            fingerprint=None if incident is None else incident.fingerprint, finished_at=self.now,
        )

    def _started_for(self, incident: Incident, action: Action) -> bool:
        """A remediation of `incident` is under way (its workflow has not ended)."""
        return any(record.fingerprint == incident.fingerprint
                   for record in self.log.records(action=action, outcome=Outcome.RUNNING))

    def _acted_on(self, incident: Incident, action: Action) -> bool:
        """`action` already acted on (or paged about) `incident` while it was open."""
        return any(record.fingerprint == incident.fingerprint and record.started_at >= incident.opened_at
                   for record in self.log.records(action=action))


def remediator(engine: Engine, warehouse: Warehouse, *, now: datetime, notify: Callable[[str], None]) -> Remediator:
    """The remediation executor over the engine: it starts workflows on it, and pages a person
    through `notify` and an alerting decision in orchestration_events."""

    def page(alert: Alert) -> None:
        notify(f"PAGE: {alert.message} Diagnosis: {alert.diagnosis}")
        day = alert.labels.get("game_date")
        record_decision(
            warehouse,
            Decision(
                workflow_id=f"remediation:{alert.labels['action']}:{alert.labels['target']}",
                game_date=now.date() if day is None else date.fromisoformat(day),
                mode="remediation",
                kind="remediation",
                decision="paged",
                reason=f"{alert.message} Diagnosis: {alert.diagnosis}",
                decided_at=now,
                alert=True,
                inputs=dict(alert.details),
            ),
            ordinal=int(now.timestamp()),
        )

    return Remediator(
        warehouse,
        engine.settings.reliability.remediation,
        engine,
        SourceKind(engine.settings.orchestration.worker.source),
        now,
        page=page,
        notify=notify,
        breakers=breaker_states(engine.home, engine.settings),
    )


def remediate_in_engine(engine: Engine, *, now: datetime, notify: Callable[[str], None]) -> list[RemediationRecord]:
    """One remediation pass: open incidents of known causes, and graded dates whose box scores changed."""
    with engine.runtime.lease.side_connection() as warehouse:
        remedy = remediator(engine, warehouse, now=now, notify=notify)
        if not remedy.regrade_candidates() or not remedy.config.regrade.enabled:
            return remedy.run()  # no graded date to look at: no source to build
        source = engine.runtime.source_factory(
            SourceKind(engine.settings.orchestration.worker.source), warehouse, engine.settings, engine.home
        )
        try:
            return remedy.run(source=source)
        finally:
            close = getattr(source, "close", None)
            if callable(close):
                close()


def remediate_after_day(
    engine: Engine, outcome: WorkflowOutcome, *, clock: Clock, notify: Callable[[str], None]
) -> list[RemediationRecord]:
    """After a day run that failed or degraded: one remediation pass (nothing after a complete day)."""
    if outcome.ok and outcome.result is not None and outcome.result.get("status") == "complete":
        return []
    with engine.runtime.lease.side_connection() as warehouse:
        return remediator(engine, warehouse, now=clock.now(), notify=notify).run()
