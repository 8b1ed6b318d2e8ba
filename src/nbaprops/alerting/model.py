"""What an alert is: severity, identity (fingerprint), and the notification that carries it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How urgent an alert is; channels receive alerts at or above their `min_severity`."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


class AlertStatus(StrEnum):
    """Where an alert stands after an evaluation cycle."""

    FIRING = "firing"  # notified through the channels
    RESOLVED = "resolved"  # stopped firing
    SILENCED = "silenced"  # muted by a silence
    INHIBITED = "inhibited"  # muted by a firing root-cause alert
    SUPPRESSED_RETRY = "suppressed_retry"  # a pending retry will handle the failure


@dataclass(frozen=True)
class Alert:
    """One firing condition.

    `labels` identify the alert together with `name` (e.g. `{"game_date": "2025-01-10"}`); the
    same name and labels are the same alert from one evaluation cycle to the next.
    """

    name: str
    severity: Severity
    component: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)
    diagnosis: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    retry_pending: bool = False

    @property
    def fingerprint(self) -> str:
        """A stable id: a hash of the name and the sorted labels."""
        identity = json.dumps([self.name, sorted(self.labels.items())], separators=(",", ":"))
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]

    def match_labels(self) -> dict[str, str]:
        """Labels for silences and inhibit rules: the alert's own plus name, component, severity."""
        return {
            **self.labels,
            "name": self.name,
            "component": self.component,
            "severity": self.severity.value,
        }


@dataclass(frozen=True)
class Notification:
    """What a channel receives for one alert group: the firing alerts and the newly resolved."""

    group_key: str
    firing: tuple[Alert, ...]
    resolved: tuple[Alert, ...]
    sent_utc: datetime
    is_test: bool = False
    headline: str | None = None  # a message that is not about alerts (the daily digest): its title
    text: str | None = None  # ...and its body

    @property
    def severity(self) -> Severity:
        alerts = self.firing or self.resolved
        return max(
            (alert.severity for alert in alerts), key=lambda s: s.rank, default=Severity.INFO
        )

    @property
    def title(self) -> str:
        if self.headline is not None:
            return self.headline
        if self.is_test:
            return "[TEST] nbaprops alerting"
        parts = []
        if self.firing:
            parts.append(f"FIRING:{len(self.firing)}")
        if self.resolved:
            parts.append(f"RESOLVED:{len(self.resolved)}")
        return f"[{' '.join(parts)}] {self.severity.value} {self.group_key}"

    @property
    def body(self) -> str:
        if self.text is not None:
            return self.text
        lines = []
        for heading, alerts in (("Firing", self.firing), ("Resolved", self.resolved)):
            if not alerts:
                continue
            lines.append(f"{heading}:")
            for alert in alerts:
                lines.append(
                    f"- [{alert.severity.value}] {alert.name} ({alert.component}): {alert.message}"
                )
                if alert.diagnosis and heading == "Firing":
                    lines.append(f"  diagnosis: {alert.diagnosis}")
                if alert.details.get("dashboard_url"):
                    lines.append(f"  dashboard: {alert.details['dashboard_url']}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "group_key": self.group_key,
            "title": self.title,
            "severity": self.severity.value,
            "sent_utc": self.sent_utc.isoformat(),
            "is_test": self.is_test,
            "firing": [alert_to_json(alert) for alert in self.firing],
            "resolved": [alert_to_json(alert) for alert in self.resolved],
            **({"body": self.text} if self.text is not None else {}),
        }


def alert_to_json(alert: Alert) -> dict[str, Any]:
    """An alert as plain JSON data."""
    return {
        "fingerprint": alert.fingerprint,
        "name": alert.name,
        "severity": alert.severity.value,
        "component": alert.component,
        "message": alert.message,
        "details": dict(alert.details),
        "diagnosis": alert.diagnosis,
        "labels": dict(alert.labels),
        "retry_pending": alert.retry_pending,
    }
