"""Reading typed values out of one CSV row; a bad value raises RowError naming its column."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime

MIN_AMERICAN_PRICE = 100
MAX_AMERICAN_PRICE = 1_000_000
MAX_COUNT = 100_000  # far above any box-score count; keeps values inside INTEGER columns
FIRST_YEAR, LAST_YEAR = 1946, 2100  # the NBA's first season, and a generous end
GAME_ID_DIGITS = 10

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RowError(Exception):
    """One row cannot load: which column (None for the whole line) and why.

    Internal to the ingest package: every RowError becomes a quarantine row, never an error
    the caller sees.
    """

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


Row = Mapping[str, str]


def text(row: Row, name: str) -> str:
    """A required, non-blank text value."""
    value = row[name].strip()
    if not value:
        raise RowError(name, f"{name} is empty")
    return value


def optional_text(row: Row, name: str) -> str | None:
    value = row.get(name, "").strip()
    return value or None


def game_id(row: Row, name: str) -> str:
    """An nba.com game id, zero-padded to ten digits (a spreadsheet may have dropped the zeros)."""
    raw = text(row, name)
    if not raw.isdigit() or len(raw) > GAME_ID_DIGITS:
        raise RowError(name, f"{name} {raw!r} is not a game id of up to ten digits")
    return raw.zfill(GAME_ID_DIGITS)


def _float(row: Row, name: str) -> float:
    raw = text(row, name)
    try:
        value = float(raw)
    except ValueError:
        raise RowError(name, f"{name} {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise RowError(name, f"{name} {raw!r} is not a finite number")
    return value


def number(row: Row, name: str, *, minimum: float | None = None) -> float:
    """A required finite number, at least `minimum` when given."""
    value = _float(row, name)
    if minimum is not None and value < minimum:
        raise RowError(name, f"{name} {row[name].strip()!r} is below {minimum:g}")
    return value


def count(row: Row, name: str) -> int:
    """A required whole, non-negative number ("12" or "12.0")."""
    raw = row[name].strip()
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_COUNT)):
        value_int = int(raw)
        if value_int <= MAX_COUNT:
            return value_int
    value = _float(row, name)
    if not value.is_integer():
        raise RowError(name, f"{name} {row[name].strip()!r} is not a whole number")
    if value < 0:
        raise RowError(name, f"{name} {row[name].strip()!r} is a negative count")
    if value > MAX_COUNT:
        raise RowError(name, f"{name} {row[name].strip()!r} is implausibly large")
    return int(value)


def _plausible(name: str, raw: str, value: date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise RowError(name, f"{name} {raw!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")


def iso_date(row: Row, name: str) -> date:
    """A required YYYY-MM-DD date (a time of midnight after it is tolerated)."""
    raw = text(row, name)
    head, _, rest = raw.partition("T")
    if rest not in ("", "00:00:00") or not _ISO_DATE.match(head):
        raise RowError(name, f"{name} {raw!r} is not a YYYY-MM-DD date")
    try:
        value = date.fromisoformat(head)
    except ValueError:
        raise RowError(name, f"{name} {raw!r} is not a valid YYYY-MM-DD date") from None
    _plausible(name, raw, value)
    return value


def us_date(row: Row, name: str) -> date:
    """A required MM/DD/YYYY date."""
    raw = text(row, name)
    try:
        value = datetime.strptime(raw, "%m/%d/%Y").date()
    except ValueError:
        raise RowError(name, f"{name} {raw!r} is not a valid MM/DD/YYYY date") from None
    _plausible(name, raw, value)
    return value


def utc_timestamp(row: Row, name: str) -> datetime:
    """A required ISO-8601 instant as a naive UTC datetime (no offset means UTC)."""
    raw = text(row, name)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise RowError(name, f"{name} {raw!r} is not an ISO-8601 timestamp") from None
    _plausible(name, raw, value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def optional_utc_timestamp(row: Row, name: str) -> datetime | None:
    return utc_timestamp(row, name) if optional_text(row, name) else None


def american_price(row: Row, name: str) -> int | None:
    """American odds as an integer ("-105.0" is -105); empty is None; |price| < 100 is invalid."""
    if not optional_text(row, name):
        return None
    value = _float(row, name)
    raw = row[name].strip()
    if not value.is_integer():
        raise RowError(name, f"{name} {raw!r} is not whole American odds")
    if not MIN_AMERICAN_PRICE <= abs(value) <= MAX_AMERICAN_PRICE:
        raise RowError(
            name, f"{name} {raw!r} is not valid American odds (|price| must be 100 to 1,000,000)"
        )
    return int(value)
