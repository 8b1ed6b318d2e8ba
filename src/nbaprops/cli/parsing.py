"""Option values every command checks alike; each bad value is a `UsageError` (exit 2) naming the option.

Domain parsers (fault specs, alert matchers, durations, date ranges) raise their own errors, since
config files use them too; `_as_usage` relabels those as usage errors when a command line gave the value.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import cast

from nbaprops.alerting import parse_duration as parse_alert_duration
from nbaprops.alerting import parse_matcher
from nbaprops.config import ALL_MARKETS, Market
from nbaprops.errors import NbaPropsError, UsageError
from nbaprops.home import HOME_ENV_VAR, Home
from nbaprops.orchestration.requests import check_range
from nbaprops.orchestration.service import parse_faults


@contextmanager
def _as_usage(option: str) -> Iterator[None]:
    try:
        yield
    except NbaPropsError as e:
        raise UsageError(f"{option}: {e}") from e


def parse_date(value: str, option: str) -> date:
    """A YYYY-MM-DD game date given to `option`."""
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise UsageError(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2025-01-15.") from e


def parse_date_range(
    start: str, end: str, *, start_option: str = "--start", end_option: str = "--end"
) -> tuple[date, date]:
    """Two game dates, the first on or before the second."""
    first, last = parse_date(start, start_option), parse_date(end, end_option)
    with _as_usage(f"{start_option}/{end_option}"):
        check_range(first, last)
    return first, last


def parse_instant(value: str, option: str) -> datetime:
    """An ISO date and time given to `option`, as UTC; one without an offset is taken as UTC."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as e:
        raise UsageError(
            f"{option} {value!r} is not a date and time; use YYYY-MM-DDTHH:MM[:SS] (UTC unless an offset "
            "like +00:00 follows), e.g. 2025-01-15T23:00."
        ) from e
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def parse_market(value: str, option: str = "--market") -> Market:
    """One of the prop markets."""
    return cast(Market, parse_choice(value, ALL_MARKETS, option))


def parse_choice(value: str, choices: Collection[str], option: str) -> str:
    """`value` if it is one of `choices` (compared case-insensitively), in the spelling of `choices`."""
    by_folded = {choice.casefold(): choice for choice in choices}
    try:
        return by_folded[value.casefold()]
    except KeyError:
        raise UsageError(f"{option} {value!r} is not one of {', '.join(choices)}.") from None


def parse_duration(value: str, option: str) -> timedelta:
    """A length of time like 30m, 2h or 1d."""
    with _as_usage(option):
        return parse_alert_duration(value)


def parse_matchers(texts: Sequence[str], argument: str = "MATCHERS") -> list[str]:
    """Alert matchers (`name=phase3_data_stale`, `component=~phase3.*`), in their canonical spelling."""
    with _as_usage(argument):
        return [str(parse_matcher(text)) for text in texts]


def check_faults(specs: Sequence[str] | None, option: str = "--inject") -> list[str]:
    """`--inject` fault specs, checked now so a typo fails before any workflow starts."""
    given = list(specs or [])
    with _as_usage(option):
        parse_faults(given)
    return given


def parse_home(value: Path | None) -> Home:
    """The home from --home or NBAPROPS_HOME: a folder, or a path where one can be created."""
    home = Home.resolve(value)
    blocking = next((path for path in (home.root, *home.root.parents) if path.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise UsageError(
            f"--home (or {HOME_ENV_VAR}) {home.root} cannot be a home: {blocking} is a file, not a folder. "
            "Pass a folder (it is created if missing)."
        )
    return home
