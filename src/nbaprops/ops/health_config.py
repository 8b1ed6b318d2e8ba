"""The `[health]` section: thresholds of `nbaprops health`, and the worker's daily check.

Example (`nbaprops.toml`): the worker runs the check every day at 14:00 UTC and sends what
fires through the `[[alerting.channels]]`; cron can run `nbaprops health --notify` instead.

    [health]
    daily_at_utc = "14:00"
    notify = true
    stuck_after_minutes = 30
    errors_window_hours = 24
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from pydantic import Field, field_validator

from nbaprops.config_base import Section


class HealthConfig(Section):
    """What `nbaprops health` calls stuck, recent, stale and late; when the worker runs it."""

    stuck_after_minutes: float = Field(
        30.0, gt=0, description="A run 'running' longer than this is stuck work."
    )
    errors_window_hours: float = Field(
        24.0, gt=0, description="Failed runs this recent are reported as recent errors."
    )
    recent_errors_limit: int = Field(
        10, ge=1, le=200, description="At most this many recent errors are listed."
    )
    phase3_ok_within_hours: float = Field(
        24.0, gt=0, description="A Phase 3 processor without a success this recent is stale."
    )
    prop_lines_max_age_hours: float = Field(
        12.0,
        gt=0,
        description="The game_date's newest prop line snapshot may be this old at the first "
        "tip-off (or now, before it).",
    )
    injuries_max_age_hours: float = Field(
        24.0, gt=0, description="The same for the game_date's newest injury report."
    )
    grading_lookback_days: int = Field(
        30, ge=1, le=366, description="Ungraded game dates are looked for this far back."
    )
    daily_at_utc: time | None = Field(
        None,
        description='When the worker runs the check each day, "HH:MM" in UTC; unset: never.',
    )
    notify: bool = Field(
        True, description="The worker's daily check sends its alerts through the channels."
    )

    @field_validator("daily_at_utc")
    @classmethod
    def _naive_time(cls, value: time | None) -> time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError('daily_at_utc is always UTC; write it without an offset, e.g. "14:00"')
        return value

    def next_check_utc(self, *, after: datetime) -> datetime | None:
        """The first daily check strictly after `after` (timezone-aware); None when unscheduled."""
        if self.daily_at_utc is None:
            return None
        after = after.astimezone(UTC)
        candidate = datetime.combine(after.date(), self.daily_at_utc, tzinfo=UTC)
        return candidate if candidate > after else candidate + timedelta(days=1)
