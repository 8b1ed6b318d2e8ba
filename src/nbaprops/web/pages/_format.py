"""Turning warehouse values into JSON-ready ones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def iso(value: date | datetime | None) -> str | None:
    """ISO text of a date or instant; None stays None."""
    return None if value is None else value.isoformat()


def rounded(value: float | None, digits: int = 4) -> float | None:
    """`value` rounded to `digits` (the API's precision); None stays None."""
    return None if value is None else round(float(value), digits)


def ratio(numerator: float, denominator: float, digits: int = 4) -> float | None:
    """numerator / denominator, rounded; None when the denominator is zero."""
    return round(numerator / denominator, digits) if denominator else None


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A warehouse row with dates and instants as ISO text."""
    return {key: iso(value) if isinstance(value, date | datetime) else value for key, value in row.items()}
