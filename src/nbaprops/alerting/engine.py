"""The alert engine: Alertmanager's manners over the alerts each evaluation cycle finds firing.

Every cycle `process(alerts)` (1) scrubs and dedupes the alerts by fingerprint, (2) gives each a
status (firing, silenced, inhibited, suppressed_retry; alerts no longer passed in are resolved),
(3) records state changes in `nba_orchestration.alerts`, and (4) flushes the groups that are due,
notifying each channel only of what is new, resolved, or due for a repeat. A failing channel is
retried, recorded, and retried again at the group's next flush; it never raises out of here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from nbaprops.alerting.channels import Channel, accepts, build_channels
from nbaprops.alerting.config import AlertingConfig
from nbaprops.alerting.delivery import DeliveryAttempt, deliver
from nbaprops.alerting.grouping import (
    ChannelLog,
    GroupState,
    flush_due,
    group_key,
    needs_notification,
)
from nbaprops.alerting.model import Alert, AlertStatus, Notification, Severity
from nbaprops.alerting.redaction import SecretScrubber
from nbaprops.alerting.store import AlertEvent, AlertState, AlertStore
from nbaprops.alerting.suppression import Verdict, classify
from nbaprops.clock import Clock
from nbaprops.errors import AlertingError
from nbaprops.warehouse import Warehouse


@dataclass(frozen=True)
class SentNotification:
    """A notification handed to a channel this cycle, and whether the channel took it."""

    channel: str
    notification: Notification
    ok: bool


@dataclass(frozen=True)
class EngineResult:
    """What one cycle did."""

    statuses: Mapping[str, AlertStatus]
    """Fingerprint to status for every alert passed in and every alert that resolved this cycle."""
    sent: tuple[SentNotification, ...]
    deliveries: tuple[DeliveryAttempt, ...]
    held_groups: tuple[str, ...]
    """Groups not looked at this cycle: their group_wait or group_interval has not passed."""


@dataclass(frozen=True)
class ChannelTestResult:
    channel: str
    channel_label: str
    ok: bool
    attempts: int
    error: str | None


class AlertEngine:
    """Dedupe, group, inhibit, silence, repeat, resolve; persist in `store`; notify `channels`."""

    def __init__(
        self,
        store: AlertStore,
        channels: Sequence[Channel],
        *,
        config: AlertingConfig,
        clock: Clock,
        scrubber: SecretScrubber | None = None,
    ) -> None:
        names = [channel.name for channel in channels]
        if len(names) != len(set(names)):
            raise AlertingError(f"Channel names must be unique; got {', '.join(names)}.")
        self._store = store
        self._channels = list(channels)
        self._config = config
        self._clock = clock
        self._scrubber = scrubber or SecretScrubber.from_config(config)

    def process(self, alerts: Sequence[Alert]) -> EngineResult:
        """Run one cycle with the alerts firing now."""
        now = self._clock.now()
        current = self._prepare(alerts)
        verdicts = classify(
            list(current.values()),
            silences=self._store.silences(now=now),
            inhibit_rules=self._config.inhibit_rules,
            now=now,
        )
        states, events = self._transition(current, verdicts, self._store.open_states(), now=now)
        self._store.save(states=list(states.values()), events=events)
        sent, deliveries, held = self._flush(states, now=now)
        return EngineResult(
            statuses={fp: state.status for fp, state in states.items()},
            sent=tuple(sent),
            deliveries=tuple(deliveries),
            held_groups=tuple(held),
        )

    def send_test(self) -> list[ChannelTestResult]:
        """Send one test notification to every channel, whatever its min_severity; record it all."""
        now = self._clock.now()
        alert = Alert(
            name="alerting_test",
            severity=Severity.INFO,
            component="alerting",
            message=(
                f"Test notification from `nbaprops alerts test` at {now:%Y-%m-%d %H:%M:%S} "
                "UTC; no action needed."
            ),
            labels={"sent_utc": now.isoformat()},
        )
        notification = Notification(
            group_key="test", firing=(alert,), resolved=(), sent_utc=now, is_test=True
        )
        state = AlertState(
            alert=alert,
            status=AlertStatus.FIRING,
            group_key="test",
            first_seen_utc=now,
            last_seen_utc=now,
            seen_count=1,
            status_since_utc=now,
        )
        self._store.save(states=[], events=[AlertEvent("test", state, now)])
        results = []
        for channel in self._channels:
            attempts = self._deliver(channel, notification)
            results.append(
                ChannelTestResult(
                    channel=channel.name,
                    channel_label=channel.label,
                    ok=attempts[-1].ok,
                    attempts=len(attempts),
                    error=attempts[-1].error,
                )
            )
        return results

    # -- one cycle ------------------------------------------------------------------------------

    def _prepare(self, alerts: Sequence[Alert]) -> dict[str, Alert]:
        """Scrub secrets out of every text and keep one alert per fingerprint (the most severe)."""
        kept: dict[str, Alert] = {}
        for alert in alerts:
            clean = replace(
                alert,
                message=self._scrubber.scrub(alert.message),
                diagnosis=self._scrubber.scrub(alert.diagnosis) if alert.diagnosis else None,
                details=self._scrubber.scrub_data(dict(alert.details)),
                labels={key: self._scrubber.scrub(value) for key, value in alert.labels.items()},
            )
            seen = kept.get(clean.fingerprint)
            if seen is None or clean.severity.rank > seen.severity.rank:
                kept[clean.fingerprint] = clean
        return kept

    def _transition(
        self,
        current: Mapping[str, Alert],
        verdicts: Mapping[str, Verdict],
        previous: Mapping[str, AlertState],
        *,
        now: datetime,
    ) -> tuple[dict[str, AlertState], list[AlertEvent]]:
        states: dict[str, AlertState] = {}
        events: list[AlertEvent] = []
        for fingerprint, alert in current.items():
            verdict = verdicts[fingerprint]
            key = group_key(alert, self._config.group_by)
            before = previous.get(fingerprint)
            if before is None:
                state = AlertState(
                    alert=alert,
                    status=verdict.status,
                    group_key=key,
                    first_seen_utc=now,
                    last_seen_utc=now,
                    seen_count=1,
                    status_since_utc=now,
                    silence_id=verdict.silence_id,
                    inhibited_by=verdict.inhibited_by,
                )
                events.append(AlertEvent("status_changed", state, now))
            else:
                changed = verdict.status != before.status
                state = replace(
                    before,
                    alert=alert,
                    status=verdict.status,
                    group_key=key,
                    last_seen_utc=now,
                    seen_count=before.seen_count + 1,
                    status_since_utc=now if changed else before.status_since_utc,
                    silence_id=verdict.silence_id,
                    inhibited_by=verdict.inhibited_by,
                )
                if changed or alert.severity != before.alert.severity:
                    events.append(
                        AlertEvent("status_changed", state, now, previous_status=before.status)
                    )
            states[fingerprint] = state
        for fingerprint, before in previous.items():
            if fingerprint in current:
                continue
            state = replace(
                before,
                status=AlertStatus.RESOLVED,
                resolved_utc=now,
                status_since_utc=now,
                silence_id=None,
                inhibited_by=None,
            )
            states[fingerprint] = state
            events.append(AlertEvent("status_changed", state, now, previous_status=before.status))
        return states, events

    def _flush(
        self, states: Mapping[str, AlertState], *, now: datetime
    ) -> tuple[list[SentNotification], list[DeliveryAttempt], list[str]]:
        config = self._config
        groups = self._store.groups()
        stored_keys = set(groups)
        logs = self._store.channel_logs()
        firing_by_group: dict[str, list[AlertState]] = {}
        for state in states.values():
            if state.status == AlertStatus.FIRING:
                firing_by_group.setdefault(state.group_key, []).append(state)
        for key in firing_by_group:
            groups.setdefault(key, GroupState(key, created_utc=now))
        logged = {fp for log in logs.values() for fp in log.firing}
        known = {**self._store.states(logged - set(states)), **states}

        writes = _FlushWrites()
        for key, group in sorted(groups.items()):
            if not flush_due(
                group,
                now=now,
                group_wait_seconds=config.group_wait_seconds,
                group_interval_seconds=config.group_interval_seconds,
            ):
                writes.held.append(key)
                if key not in stored_keys:
                    writes.groups.append(group)
                continue
            firing = sorted(
                firing_by_group.get(key, []), key=lambda s: (-s.alert.severity.rank, s.alert.name)
            )
            logs_after = [
                self._flush_channel(
                    channel,
                    key,
                    group_firing=firing,
                    log=logs.get((key, channel.name)),
                    known=known,
                    now=now,
                    writes=writes,
                )
                for channel in self._channels
            ]
            if not firing and all(log is None or not log.firing for log in logs_after):
                writes.deleted_groups.append(key)
            else:
                writes.groups.append(replace(group, last_flush_utc=now))
        self._store.save_notifications(
            groups=writes.groups,
            deleted_groups=writes.deleted_groups,
            logs=writes.logs,
            states=list(writes.notified.values()),
            events=writes.events,
        )
        return writes.sent, writes.deliveries, writes.held

    def _flush_channel(
        self,
        channel: Channel,
        key: str,
        *,
        group_firing: Sequence[AlertState],
        log: ChannelLog | None,
        known: Mapping[str, AlertState],
        now: datetime,
        writes: _FlushWrites,
    ) -> ChannelLog | None:
        """Notify one channel about one due group if it needs to; return its log afterwards."""
        firing = [s for s in group_firing if accepts(channel, s.alert.severity)]
        firing_fps = {s.fingerprint for s in firing}
        resolved_fps = {
            fp
            for fp in (log.firing if log else frozenset())
            if fp not in known or known[fp].status == AlertStatus.RESOLVED
        }
        reported = {fp for fp in resolved_fps if fp in known} if channel.send_resolved else set()
        if not needs_notification(
            firing_fps,
            reported,
            log,
            now=now,
            repeat_interval_seconds=self._config.repeat_interval_seconds,
        ):
            if log is not None and resolved_fps:
                log = replace(log, firing=log.firing - resolved_fps)
                writes.logs.append(log)
            return log
        resolved = [known[fp] for fp in sorted(reported)]
        notification = Notification(
            group_key=key,
            firing=tuple(s.alert for s in firing),
            resolved=tuple(s.alert for s in resolved),
            sent_utc=now,
        )
        attempts = self._deliver(channel, notification)
        writes.deliveries.extend(attempts)
        ok = attempts[-1].ok
        writes.sent.append(SentNotification(channel.name, notification, ok))
        if not ok:
            return log  # unchanged: the next flush of the group tries again
        previous = log.firing if log else frozenset()
        log = ChannelLog(key, channel.name, now, frozenset((previous - resolved_fps) | firing_fps))
        writes.logs.append(log)
        for state in [*firing, *resolved]:
            latest = writes.notified.get(state.fingerprint, state)
            latest = replace(
                latest, last_notified_utc=now, notified_count=latest.notified_count + 1
            )
            writes.notified[state.fingerprint] = latest
            writes.events.append(AlertEvent("notified", latest, now, channel=channel.name))
        return log

    def _deliver(self, channel: Channel, notification: Notification) -> list[DeliveryAttempt]:
        attempts = deliver(
            channel,
            notification,
            policy=self._config.delivery,
            clock=self._clock,
            scrubber=self._scrubber,
        )
        self._store.record_deliveries(
            attempts,
            firing=len(notification.firing),
            resolved=len(notification.resolved),
            is_test=notification.is_test,
        )
        return attempts


def build_engine(
    config: AlertingConfig,
    *,
    warehouse: Warehouse,
    home_root: Path,
    clock: Clock,
    settings: BaseModel | None = None,
) -> AlertEngine:
    """An engine over the configured channels, storing in `warehouse`.

    Pass the whole `settings` so every secret in the configuration (API keys, database URLs,
    channel URLs) is scrubbed from alert text and delivery errors, not only the channels'.
    """
    scrubber = SecretScrubber.from_config(config, *([settings] if settings is not None else []))
    return AlertEngine(
        AlertStore(warehouse),
        build_channels(config, home_root=home_root),
        config=config,
        clock=clock,
        scrubber=scrubber,
    )


@dataclass
class _FlushWrites:
    """What one flush decided, written together at its end."""

    sent: list[SentNotification] = field(default_factory=list)
    deliveries: list[DeliveryAttempt] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    groups: list[GroupState] = field(default_factory=list)
    deleted_groups: list[str] = field(default_factory=list)
    logs: list[ChannelLog] = field(default_factory=list)
    notified: dict[str, AlertState] = field(default_factory=dict)
    events: list[AlertEvent] = field(default_factory=list)
