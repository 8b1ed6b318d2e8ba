"""Sportsbook display names mapped to The Odds API bookmaker keys."""

from __future__ import annotations

import re
from functools import cache

from nbaprops.errors import UnknownBookmakerError

# The Odds API key, then the display names the books go by in files and feeds.
_BOOKMAKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("draftkings", ("DraftKings",)),
    ("fanduel", ("FanDuel",)),
    ("betmgm", ("BetMGM",)),
    ("williamhill_us", ("Caesars", "Caesars Sportsbook", "William Hill (US)", "William Hill")),
    ("betrivers", ("BetRivers",)),
    ("pointsbetus", ("PointsBet (US)", "PointsBet")),
    ("betonlineag", ("BetOnline.ag", "BetOnline")),
    ("unibet_us", ("Unibet", "Unibet (US)")),
    ("bovada", ("Bovada",)),
    ("barstool", ("Barstool Sportsbook", "Barstool")),
    ("espnbet", ("ESPN BET",)),
    ("fanatics", ("Fanatics", "Fanatics Sportsbook")),
    ("hardrockbet", ("Hard Rock Bet", "Hard Rock")),
    ("ballybet", ("Bally Bet",)),
    ("betparx", ("betPARX",)),
    ("betus", ("BetUS",)),
    ("lowvig", ("LowVig.ag", "LowVig")),
    ("mybookieag", ("MyBookie.ag", "MyBookie")),
    ("fliff", ("Fliff",)),
    ("superbook", ("SuperBook",)),
    ("wynnbet", ("WynnBET",)),
    ("twinspires", ("TwinSpires",)),
    ("foxbet", ("FOX Bet",)),
    ("sisportsbook", ("SI Sportsbook",)),
    ("circasports", ("Circa Sports",)),
    ("windcreek", ("Wind Creek (Betfred PA)", "Betfred")),
    ("betanysports", ("BetAnySports",)),
)

_KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")


def _normal(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for key, names in _BOOKMAKERS:
        for name in (key, *names):
            index[_normal(name)] = key
    return index


def bookmaker_key(name: str) -> str:
    """The Odds API key of a sportsbook: "Caesars" -> "williamhill_us", "FanDuel" -> "fanduel".

    Keys pass through unchanged, including lower-case keys this table does not list yet (a new
    book in The Odds API feed). Raises `UnknownBookmakerError` for any other unknown display name.
    """
    stripped = name.strip()
    key = _index().get(_normal(stripped))
    if key is not None:
        return key
    if _KEY_SHAPE.match(stripped):
        return stripped
    raise UnknownBookmakerError(
        f"Unknown bookmaker {name!r}: it is no known sportsbook name or The Odds API key; "
        "add it to nbaprops/identity/_bookmakers.py or write the book's The Odds API key."
    )
