"""The remediation audit: one row of `nba_orchestration.remediations` each time the system acted on
a known cause or stopped at a safety limit and paged a person."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from nbaprops.reliability.remediation import Action, LimitState, Outcome, PastRemediation
from nbaprops.warehouse import Warehouse

REMEDIATIONS = "nba_orchestration.remediations"
_COLUMNS = (
    "remediation_id", "fingerprint", "action", "target", "game_date", "started_at", "finished_at", "outcome",
    "detail", "limit_state", "workflow_id", "recorded_utc",
)


@dataclass(frozen=True)
class RemediationRecord:
    """One audit row."""

    action: Action
    target: str
    game_date: date | None
    started_at: datetime
    outcome: Outcome
    detail: str
    limit: LimitState
    fingerprint: str | None = None
    finished_at: datetime | None = None
    workflow_id: str | None = None
    remediation_id: str = ""
    """Fixed when the row is made (finishing it keeps it): the action, its target and date, the
    start and what was done, so two tries at one instant are two rows."""

    def __post_init__(self) -> None:
        if not self.remediation_id:
            key = (f"{self.action}|{self.target}|{self.game_date}|{_naive(self.started_at).isoformat()}|"
                   f"{self.outcome}|{self.detail}")
            object.__setattr__(self, "remediation_id", hashlib.sha1(key.encode()).hexdigest()[:24])

    def finish(self, outcome: Outcome, *, at: datetime, detail: str | None = None) -> RemediationRecord:
        return replace(self, outcome=outcome, finished_at=at, detail=self.detail if detail is None else detail)

    def past(self) -> PastRemediation:
        return PastRemediation(self.action, self.target, self.game_date, self.started_at, self.outcome)

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "action": self.action.value,
            "target": self.target,
            "game_date": None if self.game_date is None else self.game_date.isoformat(),
            "started_at": self.started_at.isoformat(),
            "finished_at": None if self.finished_at is None else self.finished_at.isoformat(),
            "outcome": self.outcome.value,
            "detail": self.detail,
            "limit": self.limit.to_json(),
            "workflow_id": self.workflow_id,
        }


class RemediationLog:
    """The audit rows in the warehouse."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse

    def write(self, record: RemediationRecord) -> None:
        """Insert or update (by its id) one row."""
        values = [
            record.remediation_id, record.fingerprint, record.action.value, record.target, record.game_date,
            _naive(record.started_at), None if record.finished_at is None else _naive(record.finished_at),
            record.outcome.value, record.detail, json.dumps(record.limit.to_json()), record.workflow_id,
            _naive(datetime.now(UTC)),
        ]
        self._warehouse.execute(
            f"INSERT OR REPLACE INTO {REMEDIATIONS} ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            values,
        )

    def records(
        self, *, action: Action | None = None, since: datetime | None = None, outcome: Outcome | None = None
    ) -> list[RemediationRecord]:
        """Rows in order of start: of `action`, started at or after `since`, with `outcome`."""
        rows = self._warehouse.query(
            f"SELECT {', '.join(_COLUMNS)} FROM {REMEDIATIONS} WHERE ($action IS NULL OR action = $action) "
            "AND ($since IS NULL OR started_at >= $since) AND ($outcome IS NULL OR outcome = $outcome) "
            "ORDER BY started_at, recorded_utc, remediation_id",
            {"action": None if action is None else action.value, "since": None if since is None else _naive(since),
             "outcome": None if outcome is None else outcome.value},
        )
        return [_from_row(row) for row in rows]

    def history(self, action: Action) -> list[PastRemediation]:
        return [record.past() for record in self.records(action=action)]


def _from_row(row: dict[str, Any]) -> RemediationRecord:
    limit = json.loads(row["limit_state"])
    return RemediationRecord(
        action=Action(row["action"]),
        target=row["target"],
        game_date=row["game_date"],
        started_at=_aware(row["started_at"]),
        outcome=Outcome(row["outcome"]),
        detail=row["detail"],
        limit=LimitState(limit["for_date"], limit["max_per_date"], limit["today"], limit["max_per_day"],
                         limit["enabled"]),
        fingerprint=row["fingerprint"],
        finished_at=None if row["finished_at"] is None else _aware(row["finished_at"]),
        workflow_id=row["workflow_id"],
        remediation_id=row["remediation_id"],
    )


def _naive(instant: datetime) -> datetime:
    return instant if instant.tzinfo is None else instant.astimezone(UTC).replace(tzinfo=None)


def _aware(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
