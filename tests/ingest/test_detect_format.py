import pytest
from tests.ingest.samples import (
    EVENT_PROPS_HEADER,
    EXPORT_HEADER,
    INJURY_HEADER,
    MULTI_MARKET_HEADER,
    PLAYER_LOG_HEADER,
    SNAPSHOT_HEADER,
    SNAPSHOT_HEADER_SWAPPED,
    SNAPSHOT_HEADER_UPDATES,
    SNAPSHOT_HEADER_UPDATES_SWAPPED,
    TEAM_LOG_HEADER,
)

from nbaprops.errors import IngestError
from nbaprops.ingest import FORMATS, detect_format

HEADERS = [
    (TEAM_LOG_HEADER, "nbac_team_game_log"),
    (PLAYER_LOG_HEADER, "player_game_log"),
    (EXPORT_HEADER, "boxscore_export"),
    (SNAPSHOT_HEADER, "odds_player_snapshot"),
    (SNAPSHOT_HEADER_SWAPPED, "odds_player_snapshot"),
    (SNAPSHOT_HEADER_UPDATES, "odds_player_snapshot"),
    (SNAPSHOT_HEADER_UPDATES_SWAPPED, "odds_player_snapshot"),
    (EVENT_PROPS_HEADER, "odds_event_props"),
    (MULTI_MARKET_HEADER, "odds_multi_market"),
    (MULTI_MARKET_HEADER + ",market_last_update", "odds_multi_market"),
    (INJURY_HEADER, "injury_report"),
    # order never matters, spaces around names do not either
    (",".join(reversed(TEAM_LOG_HEADER.split(","))), "nbac_team_game_log"),
    (" player , game,game_time,market,line,bookmaker,over_odds,under_odds ",
     "odds_player_snapshot"),
    # optional columns may be missing
    ("Player,Team,Opponent,Date,Minutes,Points,FGM,FGA,3PM,3PA,FTM,FTA,OREB,DREB,REB,AST,TO,STL,"
     "BLK,PF", "boxscore_export"),
]


@pytest.mark.parametrize(("header", "format_name"), HEADERS)
def test_detect_format(header: str, format_name: str) -> None:
    assert detect_format(header.split(",")) == format_name


UNKNOWN = [
    "a,b,c",
    "",
    SNAPSHOT_HEADER.replace("bookmaker", "book"),  # a required column renamed
    INJURY_HEADER + ",notes",  # a column no layout has
    SNAPSHOT_HEADER.lower().upper(),  # names are case-sensitive
]


@pytest.mark.parametrize("header", UNKNOWN)
def test_unknown_header_names_the_layouts(header: str) -> None:
    with pytest.raises(IngestError, match="matches no known layout; expected one of "
                                          "nbac_team_game_log, player_game_log, .*--help"):
        detect_format(header.split(","))


def test_a_repeated_column_is_refused() -> None:
    with pytest.raises(IngestError, match="names the column\\(s\\) line twice"):
        detect_format((SNAPSHOT_HEADER + ",line").split(","))


def test_no_header_fits_two_layouts() -> None:
    for name, layout in FORMATS.items():
        columns = set(layout.required | layout.optional)
        assert [f for f in FORMATS.values() if f.matches(columns)] == [layout], name
        assert [f for f in FORMATS.values() if f.matches(set(layout.required))] == [layout], name
