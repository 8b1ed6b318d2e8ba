"""Remediations a workflow carries out itself, as durable steps: requeueing a run it cut off as stuck,
re-running the phases built without a processor that arrived late. Each is judged against its
safety limit (`reliability.remediation.decide`) and leaves its audit row in
`nba_orchestration.remediations`, as the remediation executor's do (`orchestration/remediate.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from nbaprops.orchestration.runtime import Runtime
from nbaprops.reliability.remediation import Action, Outcome, Verdict, decide
from nbaprops.reliability.remediation_log import RemediationLog, RemediationRecord


@dataclass(frozen=True)
class Remedy:
    """What a workflow asks to do: `action` on `target` (a processor) of `game_date`, in words."""

    action: Action
    target: str
    game_date: date
    detail: str
    fingerprint: str | None = None  # of the incident it remedies


def begin_remediation_step(
    runtime: Runtime, remedy: Remedy, *, now: datetime, workflow_id: str, done: bool
) -> dict[str, Any]:
    """Judge `remedy` at `now`. Within its limit: its audit row ('success' when `done` says acting
    is the whole of it, else 'running' until `finish_remediation_step`), verdict act with the
    row's id. Past the limit: a 'paged' row once (verdict page, with the reason to page a person
    with), then verdict hold. Switched off: verdict hold, no row."""
    config = runtime.settings.reliability.remediation
    with runtime.lease.hold() as warehouse:
        log = RemediationLog(warehouse)
        decision = decide(remedy.action, target=remedy.target, game_date=remedy.game_date,
                          history=log.history(remedy.action), config=config, now=now)
        if decision.verdict is Verdict.HOLD:
            return {"verdict": decision.verdict.value, "reason": decision.reason, "remediation_id": None}
        if decision.verdict is Verdict.PAGE:
            outcome, detail = Outcome.PAGED, f"{decision.reason} Wanted: {remedy.detail}."
        else:
            outcome, detail = (Outcome.SUCCESS if done else Outcome.RUNNING), remedy.detail
        record = RemediationRecord(
            remedy.action, remedy.target, remedy.game_date, now, outcome, detail, decision.limit,
            fingerprint=remedy.fingerprint, workflow_id=workflow_id,
            finished_at=None if outcome is Outcome.RUNNING else now,
        )
        log.write(record)
    return {"verdict": decision.verdict.value, "reason": decision.reason, "remediation_id": record.remediation_id}


def finish_remediation_step(
    runtime: Runtime, *, action: Action, remediation_id: str, ok: bool, at: datetime, detail: str
) -> None:
    """End the 'running' audit row `remediation_id`: success, or failed with `detail`."""
    with runtime.lease.hold() as warehouse:
        log = RemediationLog(warehouse)
        for record in log.records(action=action, outcome=Outcome.RUNNING):
            if record.remediation_id == remediation_id:
                log.write(record.finish(Outcome.SUCCESS if ok else Outcome.FAILED, at=at, detail=detail))
