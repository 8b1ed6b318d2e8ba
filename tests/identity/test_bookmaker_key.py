import pytest

from nbaprops.errors import IngestError, UnknownBookmakerError
from nbaprops.identity import bookmaker_key

CASES = [
    ("DraftKings", "draftkings"),
    ("FanDuel", "fanduel"),
    ("BetMGM", "betmgm"),
    ("Caesars", "williamhill_us"),
    ("William Hill (US)", "williamhill_us"),
    ("BetRivers", "betrivers"),
    ("PointsBet (US)", "pointsbetus"),
    ("BetOnline.ag", "betonlineag"),
    ("Unibet", "unibet_us"),
    ("Bovada", "bovada"),
    ("Barstool Sportsbook", "barstool"),
    ("ESPN BET", "espnbet"),
    ("Fanatics", "fanatics"),
    ("Hard Rock Bet", "hardrockbet"),
    ("MyBookie.ag", "mybookieag"),
    ("LowVig.ag", "lowvig"),
    (" draftkings ", "draftkings"),
    ("williamhill_us", "williamhill_us"),
    ("unibet_us", "unibet_us"),
    ("newbook_us", "newbook_us"),  # an unlisted The Odds API key passes through
]


@pytest.mark.parametrize(("name", "key"), CASES)
def test_bookmaker_key(name: str, key: str) -> None:
    assert bookmaker_key(name) == key


@pytest.mark.parametrize("name", ["Some New Book", "Boston Celtics", "", "Draft Kings Inc."])
def test_unknown_display_name_raises_naming_the_value(name: str) -> None:
    with pytest.raises(UnknownBookmakerError, match=f"Unknown bookmaker {name!r}: it is no known"):
        bookmaker_key(name)
    assert issubclass(UnknownBookmakerError, IngestError)
