"""Small pure helpers the live parsers share: instants, US Eastern game dates, prices, teams, players."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from nbaprops.errors import EmptyPayloadError, UnknownTeamError
from nbaprops.identity import player_lookup, team_tricode
from nbaprops.sources.payload import Endpoint

EASTERN = ZoneInfo("America/New_York")


def utc_instant(where: Endpoint, value: str, field: str) -> datetime:
    """An ISO-8601 instant ("2025-03-09T23:11:00Z") as naive UTC, the warehouse's form."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise where.drift(field, f"holds {value!r}, which is no ISO-8601 instant") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(tzinfo=None)


def eastern_date(instant_utc: datetime) -> date:
    """The NBA game date of a naive-UTC tip-off: its date in US Eastern time."""
    return instant_utc.replace(tzinfo=UTC).astimezone(EASTERN).date()


def eastern_day_bounds(game_date: date) -> tuple[datetime, datetime]:
    """[start, end) of `game_date` in US Eastern time, as aware UTC instants."""
    start = datetime.combine(game_date, time(0, 0), tzinfo=EASTERN)
    end = datetime.combine(game_date + timedelta(days=1), time(0, 0), tzinfo=EASTERN)
    return start.astimezone(UTC), end.astimezone(UTC)


def iso_z(instant: datetime) -> str:
    """An aware instant as "2025-01-10T18:00:00Z", the form The Odds API asks for."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def american_price(value: float) -> int:
    """An American price; a decimal price (1.01 to 99) is converted, so either odds format reads right."""
    if value.is_integer() and abs(value) >= 100:
        return int(value)
    if value >= 2.0:
        return round((value - 1.0) * 100)
    return round(-100.0 / (value - 1.0))


def tricode(where: Endpoint, value: str, field: str) -> str:
    """The NBA tricode of a team name, nickname or code; an unknown team is drift."""
    try:
        return team_tricode(value)
    except UnknownTeamError:
        raise where.drift(field, f"holds {value!r}, which names no NBA team") from None


def player_key(name: str) -> str:
    """The player_lookup key that joins this source's names to box scores and lines."""
    return player_lookup(name)


def missing_props(where: Endpoint, event: dict[str, Any], window: timedelta) -> EmptyPayloadError:
    """The failure of an event that tips within `window` and has not one prop line."""
    return where.empty(
        f"the 200 response holds no player props for event {event['event_id']} "
        f"({event['away_team']} @ {event['home_team']}), which tips at {event['tipoff_utc']:%H:%M} UTC, "
        f"within props_expected_within_hours={window.total_seconds() / 3600:g}"
    )
