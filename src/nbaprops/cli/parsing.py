"""Option values every command parses alike: game dates and instants."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nbaprops.errors import ConfigError


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD game date given to `option`."""
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise ConfigError(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2025-01-15.") from e


def parse_instant(value: str, option: str) -> datetime:
    """An ISO date and time given to `option`, as UTC; one without an offset is taken as UTC."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as e:
        raise ConfigError(
            f"{option} {value!r} is not a date and time; use YYYY-MM-DDTHH:MM[:SS] (UTC unless an offset "
            "like +00:00 follows), e.g. 2025-01-15T23:00."
        ) from e
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
