import pytest

from nbaprops.errors import IngestError, UnknownTeamError
from nbaprops.identity import TRICODES, team_tricode

CASES = [
    ("Los Angeles Clippers", "LAC"),
    ("LA Clippers", "LAC"),
    ("L.A. Clippers", "LAC"),
    ("Clippers", "LAC"),
    ("LAC", "LAC"),
    ("lac", "LAC"),
    ("Los Angeles Lakers", "LAL"),
    ("Lakers", "LAL"),
    ("PHO", "PHX"),
    ("Phoenix Suns", "PHX"),
    ("GS", "GSW"),
    ("Golden State", "GSW"),
    ("Golden State Warriors", "GSW"),
    ("NO", "NOP"),
    ("New Orleans Pelicans", "NOP"),
    ("SA", "SAS"),
    ("San Antonio", "SAS"),
    ("NY", "NYK"),
    ("New York Knicks", "NYK"),
    ("UTAH", "UTA"),
    ("Utah Jazz", "UTA"),
    ("BRK", "BKN"),
    ("CHO", "CHA"),
    ("WSH", "WAS"),
    ("Philadelphia 76ers", "PHI"),
    ("Sixers", "PHI"),
    ("Portland Trail Blazers", "POR"),
    ("Blazers", "POR"),
    ("Oklahoma City Thunder", "OKC"),
    ("Minnesota Timberwolves", "MIN"),
    ("  boston   celtics ", "BOS"),
]


@pytest.mark.parametrize(("name", "tricode"), CASES)
def test_team_tricode(name: str, tricode: str) -> None:
    assert team_tricode(name) == tricode


def test_every_tricode_maps_to_itself() -> None:
    assert len(TRICODES) == 30
    assert [team_tricode(code) for code in TRICODES] == list(TRICODES)


UNKNOWN = ["Los Angeles", "LA", "CNS", "Cairns Taipans", "EST", "", "Seattle"]


@pytest.mark.parametrize("name", UNKNOWN)
def test_unknown_team_raises_a_specific_error_naming_the_value(name: str) -> None:
    with pytest.raises(UnknownTeamError, match=f"Unknown team {name!r}: .* use one of ATL,"):
        team_tricode(name)


def test_unknown_team_error_is_an_ingest_error() -> None:
    assert issubclass(UnknownTeamError, IngestError)
