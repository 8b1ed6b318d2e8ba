"""The phrases the section judges write their reasons and table cells with."""

from __future__ import annotations

from datetime import datetime, timedelta


def when(instant: datetime | None) -> str:
    """`2025-01-10 23:30 UTC`."""
    return "an unknown time" if instant is None else f"{instant:%Y-%m-%d %H:%M} UTC"


def at(instant: datetime | None) -> str:
    """` at 2025-01-10 23:30 UTC`, or nothing when the instant is unknown."""
    return "" if instant is None else f" at {instant:%Y-%m-%d %H:%M} UTC"


def accuracy(correct: int, total: int) -> str:
    if not total:
        return "no recommendation won or lost"
    return f"{correct}/{total} correct ({correct / total:.1%})"


def mae(value: float | None) -> str:
    return "" if value is None else f", MAE {value:.2f}"


def ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
