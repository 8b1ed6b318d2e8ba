"""The health report: each section's status and reason, and the report's verdict and exit code."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from nbaprops.alerting.model import Alert, Severity, alert_to_json


class HealthStatus(StrEnum):
    """A section's or the report's standing; the exit code of `nbaprops health`."""

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES[self]

    @classmethod
    def of(cls, severity: Severity) -> HealthStatus:
        """The status an alert of `severity` gives its section (info alerts leave it ok)."""
        return {
            Severity.INFO: cls.OK,
            Severity.WARNING: cls.WARNING,
            Severity.CRITICAL: cls.CRITICAL,
        }[severity]


_EXIT_CODES = {HealthStatus.OK: 0, HealthStatus.WARNING: 1, HealthStatus.CRITICAL: 2}


@dataclass(frozen=True)
class HealthSection:
    """One part of the report: a status, a one-line reason, key numbers and a table."""

    name: str
    title: str
    status: HealthStatus
    reason: str
    summary: Mapping[str, Any] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "status": self.status.value,
            "reason": self.reason,
            "summary": dict(self.summary),
            "rows": [
                dict(zip(map(_json_key, self.columns), row, strict=True)) for row in self.rows
            ],
        }


@dataclass(frozen=True)
class HealthReport:
    """The health of one game_date's pipeline at one instant."""

    game_date: date
    date_reason: str
    """Why this game_date: given, today, or the latest date with data."""
    now_utc: datetime
    sections: tuple[HealthSection, ...]
    alerts: tuple[Alert, ...]
    dashboard_url: str | None = None
    """The dashboard's page of `game_date` (`[dashboard] base_url`)."""

    @property
    def status(self) -> HealthStatus:
        return max(
            (section.status for section in self.sections),
            key=lambda status: status.exit_code,
            default=HealthStatus.OK,
        )

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    @property
    def headline(self) -> str:
        """`HEALTHY`, or `WARNING: ...` / `CRITICAL: ...` with the reasons of the worst sections."""
        status = self.status
        if status is HealthStatus.OK:
            return "HEALTHY"
        reasons = [f"{s.title}: {s.reason}" for s in self.sections if s.status is status]
        return f"{status.value.upper()}: " + " | ".join(reasons)

    def section(self, name: str) -> HealthSection:
        return next(section for section in self.sections if section.name == name)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "exit_code": self.exit_code,
            "headline": self.headline,
            "game_date": self.game_date.isoformat(),
            "date_reason": self.date_reason,
            "now_utc": self.now_utc.isoformat(),
            "sections": {section.name: section.to_json() for section in self.sections},
            "alerts": [alert_to_json(alert) for alert in self.alerts],
            "dashboard_url": self.dashboard_url,
        }


def _json_key(column: str) -> str:
    """`last write (UTC)` -> `last_write_utc`."""
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def worst(findings: Sequence[tuple[HealthStatus, str]]) -> tuple[HealthStatus, str]:
    """The most severe finding (the first of equals)."""
    return max(findings, key=lambda finding: finding[0].exit_code)
