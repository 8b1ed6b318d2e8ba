"""Incidents: every failure opens or updates the incident of its fingerprint (component, error
class, game_date); a success of the component for that date resolves it, by itself (`auto`) or
after an operator's command (`manual`). A failure caused by another (`caused_by`: a component
upstream that failed for the same date) joins that one's open incident as a consequence: one
incident per root cause.

`apply` is the pure rule over plain `Incident` values (at most one open incident a fingerprint);
`IncidentStore` keeps them in `nba_orchestration.incidents`, applying the same rule, and records
operators' commands in `nba_orchestration.interventions`. Every write is idempotent: a failure is
counted once by its key, so a replayed workflow step changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from nbaprops.reliability.diagnosis import Diagnosis
from nbaprops.warehouse import Warehouse

INCIDENTS = "nba_orchestration.incidents"
INTERVENTIONS = "nba_orchestration.interventions"
ResolvedBy = Literal["auto", "manual"]
MANUAL_COMMANDS = ("resume", "cancel", "rerun", "regrade")


def fingerprint(component: str, error_class: str, game_date: date) -> str:
    """The stable identity of a kind of failure: component, error class and date."""
    key = f"{component}|{error_class}|{game_date.isoformat()}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Failure:
    """One failure seen: `key` is unique to it (the workflow, the step, the attempt)."""

    component: str
    error_class: str
    game_date: date
    key: str
    started_at: datetime
    detected_at: datetime
    error: str | None = None
    workflow_id: str | None = None
    diagnosis: Diagnosis | None = None
    remediation: str | None = None  # what the system does about it (a retry, a refusal, ...)
    alert: str | None = None  # the alert raised for it, if any
    caused_by: str | None = None  # the failed component upstream it follows from, for the same date

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.component, self.error_class, self.game_date)


@dataclass(frozen=True)
class Recovery:
    """`component` succeeded for `game_date` at `at`: its open incidents are over."""

    component: str
    game_date: date
    at: datetime
    by: ResolvedBy = "auto"
    workflow_id: str | None = None


@dataclass(frozen=True)
class Note:
    """What was done about `component`'s open incidents on `game_date`: a remediation, an alert."""

    component: str
    game_date: date
    at: datetime
    remediation: str | None = None
    alert: str | None = None


Observation = Failure | Recovery | Note


@dataclass(frozen=True)
class Incident:
    incident_id: str
    fingerprint: str
    component: str
    error_class: str
    game_date: date
    status: Literal["open", "resolved"]
    opened_at: datetime
    detected_at: datetime
    last_failure_at: datetime
    failures: int
    failure_keys: tuple[str, ...]
    last_error: str | None = None
    resolved_at: datetime | None = None
    resolved_by: ResolvedBy | None = None
    root_cause: str | None = None
    suggested_fix: str | None = None
    diagnosis_rule: str | None = None
    remediation: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    workflow_id: str | None = None
    consequences: tuple[str, ...] = ()  # components whose failures followed from this one

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def minutes_to_recover(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.opened_at).total_seconds() / 60

    def to_json(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "fingerprint": self.fingerprint,
            "component": self.component,
            "error_class": self.error_class,
            "game_date": self.game_date.isoformat(),
            "status": self.status,
            "opened_at": self.opened_at.isoformat(),
            "detected_at": self.detected_at.isoformat(),
            "resolved_at": None if self.resolved_at is None else self.resolved_at.isoformat(),
            "resolved_by": self.resolved_by,
            "minutes_to_recover": self.minutes_to_recover,
            "failures": self.failures,
            "last_error": self.last_error,
            "root_cause": self.root_cause,
            "suggested_fix": self.suggested_fix,
            "diagnosis_rule": self.diagnosis_rule,
            "remediation": list(self.remediation),
            "alerts": list(self.alerts),
            "consequences": list(self.consequences),
        }


def _append(items: tuple[str, ...], item: str | None) -> tuple[str, ...]:
    return items if item is None or item in items else (*items, item)


def open_incident(failure: Failure) -> Incident:
    diagnosis = failure.diagnosis
    return Incident(
        incident_id=hashlib.sha1(f"{failure.fingerprint}|{failure.key}".encode()).hexdigest()[:24],
        fingerprint=failure.fingerprint,
        component=failure.component,
        error_class=failure.error_class,
        game_date=failure.game_date,
        status="open",
        opened_at=failure.started_at,
        detected_at=failure.detected_at,
        last_failure_at=failure.detected_at,
        failures=1,
        failure_keys=(failure.key,),
        last_error=failure.error,
        root_cause=None if diagnosis is None else diagnosis.root_cause,
        suggested_fix=None if diagnosis is None else diagnosis.suggested_fix,
        diagnosis_rule=None if diagnosis is None else diagnosis.rule,
        remediation=_append((), failure.remediation),
        alerts=_append((), failure.alert),
        workflow_id=failure.workflow_id,
    )


def apply(incidents: Sequence[Incident], observation: Observation) -> list[Incident]:
    """The incidents changed or created by `observation`, given the known `incidents` (those of
    its fingerprint for a failure, of its component and date for a recovery, or more)."""
    if isinstance(observation, Note):
        return [
            replace(incident, remediation=_append(incident.remediation, observation.remediation),
                    alerts=_append(incident.alerts, observation.alert))
            for incident in incidents
            if incident.is_open
            and incident.component == observation.component
            and incident.game_date == observation.game_date
            and incident.detected_at <= observation.at  # a replayed older note is not about it
            and (observation.remediation not in (None, *incident.remediation)
                 or observation.alert not in (None, *incident.alerts))
        ]
    if isinstance(observation, Recovery):
        # A workflow's own success before its last failure is a replayed step, not a recovery (its
        # clock only moves forward); another workflow's success ends the incident, whatever its
        # clock says (a re-run replays the day from the same virtual instant).
        return [
            replace(incident, status="resolved", resolved_at=max(observation.at, incident.last_failure_at),
                    resolved_by=observation.by)
            for incident in incidents
            if incident.is_open
            and incident.component == observation.component
            and incident.game_date == observation.game_date
            and (incident.workflow_id != observation.workflow_id or incident.last_failure_at <= observation.at)
        ]
    failure = observation
    if any(failure.key in incident.failure_keys for incident in incidents):
        return []  # seen before: a replay
    cause = _cause_incident(incidents, failure)
    if cause is not None:
        return [
            replace(
                cause,
                last_failure_at=max(cause.last_failure_at, failure.detected_at),
                failures=cause.failures + 1,
                failure_keys=(*cause.failure_keys, failure.key),
                consequences=_append(cause.consequences, failure.component),
            )
        ]
    same = [incident for incident in incidents if incident.fingerprint == failure.fingerprint]
    current = next((incident for incident in same if incident.is_open), None)
    if current is None:
        return [open_incident(failure)]
    diagnosis = failure.diagnosis
    return [
        replace(
            current,
            last_failure_at=max(current.last_failure_at, failure.detected_at),
            failures=current.failures + 1,
            failure_keys=(*current.failure_keys, failure.key),
            last_error=failure.error or current.last_error,
            root_cause=current.root_cause or (diagnosis.root_cause if diagnosis else None),
            suggested_fix=current.suggested_fix or (diagnosis.suggested_fix if diagnosis else None),
            diagnosis_rule=current.diagnosis_rule or (diagnosis.rule if diagnosis else None),
            remediation=_append(current.remediation, failure.remediation),
            alerts=_append(current.alerts, failure.alert),
            workflow_id=failure.workflow_id or current.workflow_id,
        )
    ]


def _cause_incident(incidents: Sequence[Incident], failure: Failure) -> Incident | None:
    """The open incident of the failure `failure` is caused by (None: it stands on its own)."""
    if failure.caused_by is None or failure.caused_by == failure.component:
        return None
    return next(
        (
            incident
            for incident in incidents
            if incident.is_open and incident.component == failure.caused_by and incident.game_date == failure.game_date
        ),
        None,
    )


def replay(observations: Sequence[Observation]) -> list[Incident]:
    """Every incident `observations` lead to, in order of opening (the pure model of the store)."""
    incidents: dict[str, Incident] = {}
    for observation in observations:
        for changed in apply(list(incidents.values()), observation):
            incidents[changed.incident_id] = changed
    return list(incidents.values())


@dataclass(frozen=True)
class Intervention:
    """An operator's command that changed state."""

    command: str  # resume, cancel, rerun, regrade
    target: str  # a workflow ID or a game_date
    at: datetime
    game_date: date | None = None
    details: str = ""

    @property
    def intervention_id(self) -> str:
        key = f"{self.command}|{self.target}|{self.at.isoformat()}"
        return hashlib.sha1(key.encode()).hexdigest()[:24]


_COLUMNS = (
    "incident_id", "fingerprint", "component", "error_class", "game_date", "status", "opened_at",
    "detected_at", "last_failure_at", "failures", "failure_keys", "last_error", "resolved_at", "resolved_by",
    "root_cause", "suggested_fix", "diagnosis_rule", "remediation", "alerts", "workflow_id", "recorded_utc",
    "consequences",
)


class IncidentStore:
    """Incidents and interventions in the warehouse."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse

    def observe_all(self, observations: Sequence[Observation]) -> None:
        """Apply observations in order; recoveries and notes cost no read while nothing is open
        (the common case: a day run's every success is a recovery observation)."""
        any_open: bool | None = None
        for observation in observations:
            if not isinstance(observation, Failure):
                if any_open is None:
                    any_open = bool(self._warehouse.scalar(f"SELECT count(*) FROM {INCIDENTS} WHERE status = 'open'"))
                if not any_open:
                    continue
            changed = self.observe(observation)
            if isinstance(observation, Failure) and any(incident.is_open for incident in changed):
                any_open = True
            elif isinstance(observation, Recovery) and changed:
                any_open = None  # read again when next needed

    def observe(self, observation: Observation) -> list[Incident]:
        """Apply one observation; returns the incidents it changed."""
        if isinstance(observation, Recovery) and observation.workflow_id is not None and self._intervened(
            observation.workflow_id
        ):
            observation = replace(observation, by="manual")  # an operator started or resumed the workflow
        if isinstance(observation, Recovery | Note):
            known = self._select(
                "status = 'open' AND component = ? AND game_date = ?", [observation.component, observation.game_date]
            )
        elif observation.caused_by is not None:
            known = self._select(
                "fingerprint = ? OR (component = ? AND game_date = ?)",
                [observation.fingerprint, observation.caused_by, observation.game_date],
            )
        else:
            known = self._select("fingerprint = ?", [observation.fingerprint])
        changed = apply(known, observation)
        for incident in changed:
            self._write(incident)
        return changed

    def incidents(
        self, *, since: date | None = None, game_date: date | None = None, status: str | None = None
    ) -> list[Incident]:
        """Incidents in order of opening: of game_dates from `since`, of `game_date`, in `status`."""
        where: list[str] = ["TRUE"]
        params: list[Any] = []
        if game_date is not None:
            where.append("game_date = ?")
            params.append(game_date)
        if since is not None:
            where.append("game_date >= ?")
            params.append(since)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        return self._select(" AND ".join(where), params)

    def record_intervention(self, intervention: Intervention) -> None:
        self._warehouse.execute(
            f"INSERT OR IGNORE INTO {INTERVENTIONS} (intervention_id, command, target, game_date, intervened_at, "
            "details, recorded_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [intervention.intervention_id, intervention.command, intervention.target, intervention.game_date,
             _naive(intervention.at), intervention.details, _naive(datetime.now(UTC))],
        )

    def interventions(self, *, since: datetime | None = None) -> list[Intervention]:
        rows = self._warehouse.query(
            f"SELECT command, target, game_date, intervened_at AS at, details FROM {INTERVENTIONS} "
            "WHERE ? IS NULL OR intervened_at >= ? ORDER BY intervened_at",
            [None if since is None else _naive(since)] * 2,
        )
        return [Intervention(r["command"], r["target"], _aware(r["at"]), r["game_date"], r["details"]) for r in rows]

    def _intervened(self, workflow_id: str) -> bool:
        return bool(self._warehouse.scalar(
            f"SELECT count(*) FROM {INTERVENTIONS} WHERE target = ? AND command IN ('rerun', 'regrade', 'resume')",
            [workflow_id],
        ))

    def _select(self, where: str, params: list[Any]) -> list[Incident]:
        rows = self._warehouse.query(
            f"SELECT {', '.join(_COLUMNS)} FROM {INCIDENTS} WHERE {where} ORDER BY opened_at, incident_id", params
        )
        return [_from_row(row) for row in rows]

    def save(self, incident: Incident) -> None:
        """Write `incident` as it is (its row replaced)."""
        self._write(incident)

    def _write(self, incident: Incident) -> None:
        values = [
            incident.incident_id, incident.fingerprint, incident.component, incident.error_class, incident.game_date,
            incident.status, _naive(incident.opened_at), _naive(incident.detected_at),
            _naive(incident.last_failure_at), incident.failures, list(incident.failure_keys), incident.last_error,
            None if incident.resolved_at is None else _naive(incident.resolved_at), incident.resolved_by,
            incident.root_cause, incident.suggested_fix, incident.diagnosis_rule,
            json.dumps(list(incident.remediation)), json.dumps(list(incident.alerts)), incident.workflow_id,
            _naive(datetime.now(UTC)), json.dumps(list(incident.consequences)),
        ]
        self._warehouse.execute(
            f"INSERT OR REPLACE INTO {INCIDENTS} ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            values,
        )


def _from_row(row: dict[str, Any]) -> Incident:
    return Incident(
        incident_id=row["incident_id"],
        fingerprint=row["fingerprint"],
        component=row["component"],
        error_class=row["error_class"],
        game_date=row["game_date"],
        status=row["status"],
        opened_at=_aware(row["opened_at"]),
        detected_at=_aware(row["detected_at"]),
        last_failure_at=_aware(row["last_failure_at"]),
        failures=row["failures"],
        failure_keys=tuple(row["failure_keys"]),
        last_error=row["last_error"],
        resolved_at=None if row["resolved_at"] is None else _aware(row["resolved_at"]),
        resolved_by=row["resolved_by"],
        root_cause=row["root_cause"],
        suggested_fix=row["suggested_fix"],
        diagnosis_rule=row["diagnosis_rule"],
        remediation=tuple(json.loads(row["remediation"])),
        alerts=tuple(json.loads(row["alerts"])),
        workflow_id=row["workflow_id"],
        consequences=tuple(json.loads(row["consequences"] or "[]")),
    )


def _naive(instant: datetime) -> datetime:
    return instant if instant.tzinfo is None else instant.astimezone(UTC).replace(tzinfo=None)


def _aware(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
