"""Alert state, events, silences, notification log and deliveries in `nba_orchestration`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from nbaprops.alerting.delivery import DeliveryAttempt
from nbaprops.alerting.grouping import ChannelLog, GroupState
from nbaprops.alerting.model import Alert, AlertStatus, Severity, alert_to_json
from nbaprops.alerting.suppression import Silence
from nbaprops.errors import AlertingError
from nbaprops.suggestions import list_alerts
from nbaprops.warehouse import Warehouse

EventKind = Literal["status_changed", "notified", "test"]

_STATE_COLUMNS = (
    "fingerprint, name, severity, component, status, message, details, diagnosis, labels, "
    "retry_pending, group_key, first_seen_utc, last_seen_utc, seen_count, status_since_utc, "
    "resolved_utc, last_notified_utc, "
    "notified_count, silence_id, inhibited_by"
)


@dataclass(frozen=True)
class AlertState:
    """Where one alert stands, and its history in this episode."""

    alert: Alert
    status: AlertStatus
    group_key: str
    first_seen_utc: datetime
    last_seen_utc: datetime
    seen_count: int
    status_since_utc: datetime
    resolved_utc: datetime | None = None
    last_notified_utc: datetime | None = None
    notified_count: int = 0
    silence_id: str | None = None
    inhibited_by: str | None = None

    @property
    def fingerprint(self) -> str:
        return self.alert.fingerprint

    def to_json(self) -> dict[str, Any]:
        return {
            **alert_to_json(self.alert),
            "status": self.status.value,
            "group_key": self.group_key,
            "first_seen_utc": self.first_seen_utc.isoformat(),
            "last_seen_utc": self.last_seen_utc.isoformat(),
            "seen_count": self.seen_count,
            "status_since_utc": self.status_since_utc.isoformat(),
            "resolved_utc": _iso(self.resolved_utc),
            "last_notified_utc": _iso(self.last_notified_utc),
            "notified_count": self.notified_count,
            "silence_id": self.silence_id,
            "inhibited_by": self.inhibited_by,
        }


@dataclass(frozen=True)
class AlertEvent:
    """A row of `nba_orchestration.alerts`."""

    event: EventKind
    state: AlertState
    recorded_utc: datetime
    previous_status: AlertStatus | None = None
    channel: str | None = None


class AlertStore:
    """Reads and writes the alerting tables through one `Warehouse`."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse

    # -- alert state ----------------------------------------------------------------------------

    def open_states(self) -> dict[str, AlertState]:
        """Every alert not resolved, by fingerprint."""
        rows = self._warehouse.query(
            f"SELECT {_STATE_COLUMNS} FROM nba_orchestration.alert_state WHERE status <> 'resolved'"
        )
        return {row["fingerprint"]: _state_from_row(row) for row in rows}

    def states(self, fingerprints: Iterable[str]) -> dict[str, AlertState]:
        wanted = sorted(set(fingerprints))
        if not wanted:
            return {}
        rows = self._warehouse.query(
            f"SELECT {_STATE_COLUMNS} FROM nba_orchestration.alert_state "
            "WHERE list_contains(?, fingerprint)",
            [wanted],
        )
        return {row["fingerprint"]: _state_from_row(row) for row in rows}

    def list_states(self, *, include_resolved: bool = False) -> list[AlertState]:
        """Alerts, the most severe and most recent first."""
        where = "" if include_resolved else "WHERE status <> 'resolved'"
        rows = self._warehouse.query(
            f"SELECT {_STATE_COLUMNS} FROM nba_orchestration.alert_state {where} "
            "ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
            "last_seen_utc DESC, "
            "name"
        )
        return [_state_from_row(row) for row in rows]

    def events(self, *, fingerprint: str | None = None) -> list[dict[str, Any]]:
        """Rows of `nba_orchestration.alerts`, oldest first."""
        where, params = ("WHERE fingerprint = ?", [fingerprint]) if fingerprint else ("", [])
        return self._warehouse.query(
            f"SELECT * FROM nba_orchestration.alerts {where} ORDER BY recorded_utc, rowid",
            params,
        )

    def save(self, *, states: Sequence[AlertState], events: Sequence[AlertEvent]) -> None:
        """Upsert `states` and append `events`, atomically."""
        with self._warehouse.transaction():
            self._save_states(states)
            for event in events:
                self._insert_event(event)

    def _save_states(self, states: Sequence[AlertState]) -> None:
        for state in states:
            self._warehouse.execute(
                "DELETE FROM nba_orchestration.alert_state WHERE fingerprint = ?",
                [state.fingerprint],
            )
            alert = state.alert
            self._warehouse.execute(
                f"INSERT INTO nba_orchestration.alert_state ({_STATE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    state.fingerprint,
                    alert.name,
                    alert.severity.value,
                    alert.component,
                    state.status.value,
                    alert.message,
                    _dumps(alert.details),
                    alert.diagnosis,
                    _dumps(alert.labels),
                    alert.retry_pending,
                    state.group_key,
                    _db(state.first_seen_utc),
                    _db(state.last_seen_utc),
                    state.seen_count,
                    _db(state.status_since_utc),
                    _db(state.resolved_utc),
                    _db(state.last_notified_utc),
                    state.notified_count,
                    state.silence_id,
                    state.inhibited_by,
                ],
            )

    def _insert_event(self, event: AlertEvent) -> None:
        state, alert = event.state, event.state.alert
        self._warehouse.execute(
            "INSERT INTO nba_orchestration.alerts (event_id, recorded_utc, event, fingerprint, "
            "name, severity, component, status, previous_status, message, details, diagnosis, "
            "labels, group_key, silence_id, inhibited_by, channel) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                uuid.uuid4().hex,
                _db(event.recorded_utc),
                event.event,
                state.fingerprint,
                alert.name,
                alert.severity.value,
                alert.component,
                state.status.value,
                event.previous_status.value if event.previous_status else None,
                alert.message,
                _dumps(alert.details),
                alert.diagnosis,
                _dumps(alert.labels),
                state.group_key,
                state.silence_id,
                state.inhibited_by,
                event.channel,
            ],
        )

    # -- groups and notification log ------------------------------------------------------------

    def groups(self) -> dict[str, GroupState]:
        rows = self._warehouse.query("SELECT * FROM nba_orchestration.alert_groups")
        return {
            row["group_key"]: GroupState(
                row["group_key"], _utc(row["created_utc"]), _utc_or_none(row["last_flush_utc"])
            )
            for row in rows
        }

    def channel_logs(self) -> dict[tuple[str, str], ChannelLog]:
        rows = self._warehouse.query("SELECT * FROM nba_orchestration.alert_notification_log")
        return {
            (row["group_key"], row["channel"]): ChannelLog(
                row["group_key"], row["channel"], _utc(row["sent_utc"]), frozenset(row["firing"])
            )
            for row in rows
        }

    def save_notifications(
        self,
        *,
        groups: Sequence[GroupState],
        deleted_groups: Sequence[str],
        logs: Sequence[ChannelLog],
        states: Sequence[AlertState],
        events: Sequence[AlertEvent],
    ) -> None:
        """Record a flush: group times, channel logs, notified states and events, atomically."""
        with self._warehouse.transaction():
            for group in groups:
                self._warehouse.execute(
                    "DELETE FROM nba_orchestration.alert_groups WHERE group_key = ?",
                    [group.group_key],
                )
                self._warehouse.execute(
                    "INSERT INTO nba_orchestration.alert_groups VALUES (?, ?, ?)",
                    [group.group_key, _db(group.created_utc), _db(group.last_flush_utc)],
                )
            for log in logs:
                self._warehouse.execute(
                    "DELETE FROM nba_orchestration.alert_notification_log "
                    "WHERE group_key = ? AND channel = ?",
                    [log.group_key, log.channel],
                )
                self._warehouse.execute(
                    "INSERT INTO nba_orchestration.alert_notification_log VALUES (?, ?, ?, ?)",
                    [log.group_key, log.channel, _db(log.sent_utc), sorted(log.firing)],
                )
            for key in deleted_groups:
                self._warehouse.execute(
                    "DELETE FROM nba_orchestration.alert_groups WHERE group_key = ?", [key]
                )
                self._warehouse.execute(
                    "DELETE FROM nba_orchestration.alert_notification_log WHERE group_key = ?",
                    [key],
                )
            self._save_states(states)
            for event in events:
                self._insert_event(event)

    # -- deliveries -----------------------------------------------------------------------------

    def record_deliveries(
        self,
        attempts: Sequence[DeliveryAttempt],
        *,
        firing: int,
        resolved: int,
        is_test: bool = False,
    ) -> None:
        with self._warehouse.transaction():
            for attempt in attempts:
                self._warehouse.execute(
                    "INSERT INTO nba_orchestration.alert_deliveries "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        _db(attempt.attempted_utc),
                        attempt.channel,
                        attempt.channel_label,
                        attempt.group_key,
                        attempt.attempt,
                        attempt.ok,
                        attempt.error,
                        attempt.elapsed_seconds,
                        firing,
                        resolved,
                        is_test,
                    ],
                )

    def deliveries(self) -> list[dict[str, Any]]:
        return self._warehouse.query(
            "SELECT * FROM nba_orchestration.alert_deliveries "
            "ORDER BY attempted_utc, channel, attempt"
        )

    # -- silences -------------------------------------------------------------------------------

    def add_silence(
        self,
        matchers: Sequence[str],
        *,
        starts_utc: datetime,
        ends_utc: datetime,
        created_by: str,
        comment: str,
        now: datetime,
    ) -> Silence:
        silence = Silence(
            silence_id=uuid.uuid4().hex[:12],
            matchers=tuple(matchers),
            created_by=created_by,
            comment=comment,
            starts_utc=starts_utc,
            ends_utc=ends_utc,
            created_utc=now,
        )
        self._warehouse.execute(
            "INSERT INTO nba_orchestration.alert_silences VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                silence.silence_id,
                json.dumps(list(silence.matchers)),
                created_by,
                comment,
                _db(starts_utc),
                _db(ends_utc),
                _db(now),
            ],
        )
        return silence

    def expire_silence(self, silence_id: str, *, now: datetime) -> Silence:
        """End the silence now (it stays listed with `--all`)."""
        found = [
            s for s in self.silences(include_expired=True, now=now) if s.silence_id == silence_id
        ]
        if not found:
            raise AlertingError(
                f"No silence with id {silence_id!r}; {list_alerts()} shows the silences."
            )
        silence = found[0]
        if silence.ends_utc <= now:
            return silence
        self._warehouse.execute(
            "UPDATE nba_orchestration.alert_silences SET ends_utc = ? WHERE silence_id = ?",
            [_db(now), silence_id],
        )
        return replace(silence, ends_utc=now)

    def silences(self, *, now: datetime, include_expired: bool = False) -> list[Silence]:
        """Silences not yet ended (starting later included), or all of them."""
        where, params = ("", []) if include_expired else ("WHERE ends_utc > ?", [_db(now)])
        rows = self._warehouse.query(
            f"SELECT * FROM nba_orchestration.alert_silences {where} "
            "ORDER BY created_utc, silence_id",
            params,
        )
        return [
            Silence(
                silence_id=row["silence_id"],
                matchers=tuple(json.loads(row["matchers"])),
                created_by=row["created_by"],
                comment=row["comment"],
                starts_utc=_utc(row["starts_utc"]),
                ends_utc=_utc(row["ends_utc"]),
                created_utc=_utc(row["created_utc"]),
            )
            for row in rows
        ]


def _state_from_row(row: Mapping[str, Any]) -> AlertState:
    alert = Alert(
        name=row["name"],
        severity=Severity(row["severity"]),
        component=row["component"],
        message=row["message"],
        details=json.loads(row["details"]),
        diagnosis=row["diagnosis"],
        labels=json.loads(row["labels"]),
        retry_pending=row["retry_pending"],
    )
    return AlertState(
        alert=alert,
        status=AlertStatus(row["status"]),
        group_key=row["group_key"],
        first_seen_utc=_utc(row["first_seen_utc"]),
        last_seen_utc=_utc(row["last_seen_utc"]),
        seen_count=row["seen_count"],
        status_since_utc=_utc(row["status_since_utc"]),
        resolved_utc=_utc_or_none(row["resolved_utc"]),
        last_notified_utc=_utc_or_none(row["last_notified_utc"]),
        notified_count=row["notified_count"],
        silence_id=row["silence_id"],
        inhibited_by=row["inhibited_by"],
    )


def _dumps(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), sort_keys=True, default=str)


def _db(value: datetime | None) -> datetime | None:
    """Aware UTC in, naive UTC out: the warehouse's TIMESTAMP columns hold UTC without a zone."""
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
