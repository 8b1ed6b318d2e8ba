"""The NBA's calendar and the warehouse's clock: US Eastern game dates, naive-UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from nbaprops.errors import NaiveInstantError

EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class ScheduledDay:
    """The games of one game_date that are not postponed."""

    game_date: date
    games: int
    last_tipoff_utc: datetime | None


def eastern_date(instant: datetime) -> date:
    """The US Eastern calendar date of `instant`: the NBA's game_date."""
    return instant.astimezone(EASTERN).date()


def day_is_over(day: ScheduledDay, *, now_utc: datetime, game_duration_hours: float) -> bool:
    """Whether every game of `day` has ended: `game_duration_hours` after its last tip-off, or,
    for a day without a schedule, once the US Eastern day after it has begun."""
    if day.last_tipoff_utc is None:
        return day.game_date < eastern_date(now_utc)
    return day.last_tipoff_utc + timedelta(hours=game_duration_hours) <= now_utc


def warehouse_instant(now_utc: datetime) -> datetime:
    """`now_utc` as the warehouse stores times (naive UTC); a naive `now_utc` is refused, since
    it would be read in the machine's zone."""
    if now_utc.tzinfo is None:
        raise NaiveInstantError(
            f"now_utc must be timezone-aware; got {now_utc!r}. Pass an instant with a zone, "
            "e.g. datetime.now(UTC)."
        )
    return now_utc.astimezone(UTC).replace(tzinfo=None)


def utc(value: datetime | None) -> datetime | None:
    """A naive-UTC warehouse time as an aware one (None stays None)."""
    return None if value is None else value.replace(tzinfo=UTC)


def required_utc(value: datetime) -> datetime:
    """A naive-UTC warehouse time that is never NULL, as an aware one."""
    return value.replace(tzinfo=UTC)
