"""Test helpers for alerting: a channel that records, and alerts made to order."""

from __future__ import annotations

from datetime import UTC, datetime

from nbaprops.alerting import Alert, Notification, Severity

START = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)


class RecordingChannel:
    """A channel that keeps what it is sent, and fails while `down` is set."""

    def __init__(
        self, name: str, *, min_severity: Severity = Severity.INFO, send_resolved: bool = True
    ) -> None:
        self.name = name
        self.label = f"recording://{name}"
        self.min_severity = min_severity
        self.send_resolved = send_resolved
        self.down = False
        self.received: list[Notification] = []
        self.tries = 0

    def send(self, notification: Notification, *, timeout_seconds: float) -> None:
        self.tries += 1
        if self.down:
            raise ConnectionError(f"{self.name} refused the connection")
        self.received.append(notification)


def make_alert(
    name: str = "phase3_data_stale",
    *,
    component: str = "phase3",
    severity: Severity = Severity.WARNING,
    retry_pending: bool = False,
    **labels: str,
) -> Alert:
    return Alert(
        name=name,
        severity=severity,
        component=component,
        message=f"{name} fired for the test.",
        labels={"game_date": "2025-01-10", **labels},
        retry_pending=retry_pending,
    )
