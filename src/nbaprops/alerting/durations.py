"""Durations as people write them: `90s`, `30m`, `2h`, `1d`, `1h30m`."""

from __future__ import annotations

import re
from datetime import timedelta

from nbaprops.errors import AlertingError

_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_WHOLE = re.compile(r"^(?:\d+(?:\.\d+)?[smhdw])+$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse `30m`, `2h`, `1d`, `1h30m` (units s, m, h, d, w); the result must be positive."""
    compact = text.strip().lower().replace(" ", "")
    if not _WHOLE.match(compact):
        raise AlertingError(
            f"Duration {text!r} is not valid; write a number and a unit (s, m, h, d, w), "
            "e.g. 30m, 2h, 1d or 1h30m."
        )
    seconds = sum(float(number) * _SECONDS[unit] for number, unit in _PART.findall(compact))
    if seconds <= 0:
        raise AlertingError(f"Duration {text!r} must be longer than zero.")
    return timedelta(seconds=seconds)
