"""The `[digest]` section: the morning message the worker sends once a day.

Example (`nbaprops.toml`): at 15:00 UTC the worker sends yesterday's graded picks, the rolling
record, today's top 10 picks, the health verdict and the open incidents to every alert channel.

    [digest]
    enabled = true
    at_utc = "15:00"
    top_n = 10
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from pydantic import Field, field_validator

from nbaprops.config_base import Section


class DigestConfig(Section):
    """`nbaprops digest`, and when the worker sends it."""

    enabled: bool = Field(False, description="The worker sends the digest each day at at_utc.")
    at_utc: time = Field(time(15, 0), description='When the worker sends it each day, "HH:MM" in UTC.')
    top_n: int = Field(10, ge=1, le=100, description="Today's picks listed, by expected value.")
    record_days: int = Field(
        30, ge=1, le=366, description="The rolling record covers graded picks of this many days up to yesterday."
    )
    channels: list[str] = Field(
        default_factory=list,
        description="Names of the [[alerting.channels]] it goes to, whatever their min_severity; empty: all.",
    )

    @field_validator("at_utc")
    @classmethod
    def _naive_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError('at_utc is always UTC; write it without an offset, e.g. "15:00"')
        return value

    def first_due(self, now: datetime) -> datetime | None:
        """When a worker started at `now` first looks: today's send time, even if past (a worker started
        late sends the day's digest unless it went out already); None when the digest is off."""
        return self.due_at(now) if self.enabled else None

    def due_at(self, day: datetime) -> datetime:
        """The instant of `day`'s (UTC date) digest."""
        return datetime.combine(day.astimezone(UTC).date(), self.at_utc, tzinfo=UTC)

    def next_after(self, after: datetime) -> datetime:
        """The first send time strictly after `after`."""
        candidate = self.due_at(after)
        return candidate if candidate > after.astimezone(UTC) else candidate + timedelta(days=1)
