"""Team values inside rows: tricodes and "A @ B" / "A vs. B" matchups."""

from __future__ import annotations

import re

from nbaprops.errors import UnknownTeamError
from nbaprops.identity import team_tricode
from nbaprops.ingest._fields import Row, RowError, text

_MATCHUP = re.compile(r"^\s*(.+?)\s+(@|vs\.?)\s+(.+?)\s*$")


def tricode(row: Row, name: str, *, label: str | None = None) -> str:
    """The tricode of a team column; an unknown team quarantines the line."""
    raw = text(row, name)
    try:
        return team_tricode(raw)
    except UnknownTeamError:
        shown = f"{raw!r} ({label})" if label else repr(raw)
        raise RowError(name, f"{name} {shown} is no NBA team; only the 30 NBA teams load") from None


def matchup(row: Row, name: str) -> tuple[str, str, bool]:
    """("A", "B", A is home) from "A @ B" (A away) or "A vs. B" (A home)."""
    raw = text(row, name)
    found = _MATCHUP.match(raw)
    if found is None:
        raise RowError(name, f"{name} {raw!r} is not a matchup like 'IND @ OKC' or 'OKC vs. IND'")
    teams = []
    for part in (found.group(1), found.group(3)):
        try:
            teams.append(team_tricode(part))
        except UnknownTeamError:
            raise RowError(
                name, f"{name} {raw!r} names {part!r}, no NBA team; only the 30 NBA teams load"
            ) from None
    if teams[0] == teams[1]:
        raise RowError(name, f"{name} {raw!r} has the same team on both sides")
    return teams[0], teams[1], found.group(2) != "@"


def away_at_home(row: Row, name: str) -> tuple[str, str]:
    """(away, home) from "Away Team @ Home Team"."""
    raw = text(row, name)
    parts = raw.split(" @ ")
    if len(parts) != 2:
        raise RowError(name, f"{name} {raw!r} is not 'Away Team @ Home Team'")
    teams = []
    for part in parts:
        try:
            teams.append(team_tricode(part))
        except UnknownTeamError:
            raise RowError(
                name,
                f"{name} {raw!r} names {part.strip()!r}, no NBA team; only the 30 NBA teams load",
            ) from None
    if teams[0] == teams[1]:
        raise RowError(name, f"{name} {raw!r} has the same team on both sides")
    return teams[0], teams[1]
