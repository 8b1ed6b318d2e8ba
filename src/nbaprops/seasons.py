"""Season arithmetic: an NBA season starts in the autumn and is named like '2024-25'."""

from __future__ import annotations

from datetime import date, timedelta

SEASON_START_MONTH = 8  # August: nothing of a new season happens earlier


def season_start(game_date: date) -> date:
    """First day of the season that `game_date` belongs to."""
    year = game_date.year if game_date.month >= SEASON_START_MONTH else game_date.year - 1
    return date(year, SEASON_START_MONTH, 1)


def season_end(game_date: date) -> date:
    """Last day of the season that `game_date` belongs to: the day before the next one starts."""
    return date(season_start(game_date).year + 1, SEASON_START_MONTH, 1) - timedelta(days=1)


def season_name(game_date: date) -> str:
    """'2024-25' for any date of that season."""
    start = season_start(game_date).year
    return f"{start}-{(start + 1) % 100:02d}"
