"""Team names, nicknames, cities and tricodes mapped to the one official NBA tricode."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache

from nbaprops.errors import UnknownTeamError

# tricode, city forms, nicknames, alternate codes. A city shared by two teams ("Los Angeles")
# only counts together with a nickname.
_TEAMS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("ATL", ("Atlanta",), ("Hawks",), ()),
    ("BOS", ("Boston",), ("Celtics",), ()),
    ("BKN", ("Brooklyn",), ("Nets",), ("BRK", "BKLYN")),
    ("CHA", ("Charlotte",), ("Hornets",), ("CHO",)),
    ("CHI", ("Chicago",), ("Bulls",), ()),
    ("CLE", ("Cleveland",), ("Cavaliers", "Cavs"), ()),
    ("DAL", ("Dallas",), ("Mavericks", "Mavs"), ()),
    ("DEN", ("Denver",), ("Nuggets",), ()),
    ("DET", ("Detroit",), ("Pistons",), ()),
    ("GSW", ("Golden State",), ("Warriors",), ("GS", "GOS")),
    ("HOU", ("Houston",), ("Rockets",), ()),
    ("IND", ("Indiana",), ("Pacers",), ()),
    ("LAC", ("Los Angeles", "LA"), ("Clippers",), ()),
    ("LAL", ("Los Angeles", "LA"), ("Lakers",), ()),
    ("MEM", ("Memphis",), ("Grizzlies",), ()),
    ("MIA", ("Miami",), ("Heat",), ()),
    ("MIL", ("Milwaukee",), ("Bucks",), ()),
    ("MIN", ("Minnesota",), ("Timberwolves", "Wolves"), ()),
    ("NOP", ("New Orleans",), ("Pelicans",), ("NO", "NOR")),
    ("NYK", ("New York",), ("Knicks",), ("NY",)),
    ("OKC", ("Oklahoma City",), ("Thunder",), ()),
    ("ORL", ("Orlando",), ("Magic",), ()),
    ("PHI", ("Philadelphia",), ("76ers", "Sixers"), ("PHL",)),
    ("PHX", ("Phoenix",), ("Suns",), ("PHO",)),
    ("POR", ("Portland",), ("Trail Blazers", "Blazers"), ()),
    ("SAC", ("Sacramento",), ("Kings",), ()),
    ("SAS", ("San Antonio",), ("Spurs",), ("SA",)),
    ("TOR", ("Toronto",), ("Raptors",), ()),
    ("UTA", ("Utah",), ("Jazz",), ("UTAH",)),
    ("WAS", ("Washington",), ("Wizards",), ("WSH",)),
)

TRICODES: tuple[str, ...] = tuple(sorted(team[0] for team in _TEAMS))


def _key(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


@cache
def _index() -> dict[str, str]:
    city_teams = Counter(city for _, cities, _, _ in _TEAMS for city in cities)
    index: dict[str, str] = {}
    for tricode, cities, nicknames, codes in _TEAMS:
        forms = {tricode, *codes, *nicknames}
        forms |= {city for city in cities if city_teams[city] == 1}
        forms |= {f"{city} {nickname}" for city in cities for nickname in nicknames}
        for form in forms:
            index[_key(form)] = tricode
    return index


@lru_cache(maxsize=4096)
def _find(name: str) -> str | None:
    return _index().get(_key(name))


def team_tricode(name: str) -> str:
    """The official tricode of a team given by full name, city, nickname or (alternate) tricode.

    "Los Angeles Clippers", "LA Clippers", "Clippers" and "LAC" all give "LAC"; "PHO" gives
    "PHX". Raises `UnknownTeamError` for anything else (e.g. "Los Angeles", which is two teams).
    """
    tricode = _find(name)
    if tricode is None:
        raise UnknownTeamError(
            f"Unknown team {name!r}: it is no NBA team name, city, nickname or tricode; "
            f"use one of {', '.join(TRICODES)}."
        )
    return tricode
