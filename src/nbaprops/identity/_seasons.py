"""NBA season labels."""

from __future__ import annotations

from datetime import date

SEASON_START_MONTH = 8  # a season's first games (preseason) come in October; August splits cleanly


def season_of(game_date: date) -> str:
    """The season a game date belongs to, like "2024-25" (a season starts in August or later)."""
    start_year = game_date.year if game_date.month >= SEASON_START_MONTH else game_date.year - 1
    return f"{start_year}-{(start_year + 1) % 100:02d}"
