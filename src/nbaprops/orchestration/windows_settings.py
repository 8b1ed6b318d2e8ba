"""The `[sources.windows]` section: when `nbaprops worker` polls each data kind of a game day.

Windows are set relative to the day's games: props and injuries from some hours before the first
tip-off until the last one, box scores once the last game is final, the schedule once a day and
while games are on (to follow their statuses). Example (`nbaprops.toml`):

    [sources.windows.props]
    interval_minutes = 30
    start_hours_before_first_tip = 12

    [sources.windows.box_scores]
    interval_minutes = 15
    cutoff_hours_after_last_tip = 12
"""

from __future__ import annotations

from datetime import time

from pydantic import Field, field_validator

from nbaprops.config_base import Section


class ScheduleWindow(Section):
    """The day's games: once a day, then while games are on, to see them go final."""

    enabled: bool = Field(True, description="Poll the schedule of the watched dates.")
    daily_at_utc: time = Field(
        time(14, 0), description='The daily poll of each watched date, "HH:MM" in UTC.'
    )
    live_interval_minutes: float = Field(
        15.0, gt=0, le=1440,
        description="From the first tip-off until every game is final (or the box-score cutoff), "
        "the schedule is polled this often for game statuses.",
    )

    @field_validator("daily_at_utc")
    @classmethod
    def _naive_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError('daily_at_utc is a UTC time of day, "HH:MM", without a zone')
        return value


class PreGameWindow(Section):
    """A kind polled before the games: every `interval_minutes` from some hours before the first
    tip-off until some minutes after the last one."""

    enabled: bool = Field(True, description="Poll this kind.")
    interval_minutes: float = Field(30.0, gt=0, le=1440, description="Time between two polls.")
    start_hours_before_first_tip: float = Field(
        12.0, ge=0, le=72, description="The first poll, this long before the day's first tip-off."
    )
    end_minutes_after_last_tip: float = Field(
        0.0, ge=0, le=720, description="The last poll, at most this long after the day's last tip-off."
    )


class InjuriesWindow(PreGameWindow):
    """Injury reports: published through the afternoon, so hourly from 8 h before the first tip-off."""

    interval_minutes: float = Field(60.0, gt=0, le=1440, description="Time between two polls.")
    start_hours_before_first_tip: float = Field(
        8.0, ge=0, le=72, description="The first poll, this long before the day's first tip-off."
    )


class BoxScoresWindow(Section):
    """Box scores: once the last game is final, then every `interval_minutes` until every final
    game has its box score, or the cutoff."""

    enabled: bool = Field(True, description="Poll box scores.")
    interval_minutes: float = Field(15.0, gt=0, le=1440, description="Time between two polls.")
    cutoff_hours_after_last_tip: float = Field(
        12.0, gt=0, le=72, description="No poll later than this after the day's last tip-off."
    )


class WindowsConfig(Section):
    """When the worker polls the source of `[orchestration.worker] source`, per data kind, and
    publishes a data-availability event when new data appeared."""

    enabled: bool = Field(True, description="The worker polls in these windows.")
    days_ahead: int = Field(
        1, ge=0, le=7, description="Dates after today (US/Eastern) polled, today and yesterday included."
    )
    check_interval_seconds: float = Field(
        60.0, gt=0, le=3600,
        description="How often the worker looks for due polls: a poll runs at most this late after its slot.",
    )
    schedule: ScheduleWindow = Field(default_factory=ScheduleWindow)
    props: PreGameWindow = Field(default_factory=PreGameWindow)
    injuries: InjuriesWindow = Field(default_factory=InjuriesWindow)
    box_scores: BoxScoresWindow = Field(default_factory=BoxScoresWindow)
