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
from nbaprops.ingest import FORMATS, detect_format, match_layout

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


def _without(header: str, *dropped: str) -> str:
    return ",".join(name for name in header.split(",") if name not in dropped)


TEAM_SCRAPED = _without(TEAM_LOG_HEADER, "SEASON") + ",scraped_at,GAME_DATE_EST"
RECOGNISED = [
    # header                                              layout, extra columns, derived columns
    (TEAM_SCRAPED, "nbac_team_game_log", ("scraped_at", "GAME_DATE_EST"), ()),
    (_without(TEAM_SCRAPED, "GAME_DATE"), "nbac_team_game_log", ("scraped_at",), ("GAME_DATE",)),
    (_without(TEAM_LOG_HEADER, "SEASON_ID"), "nbac_team_game_log", (), ("SEASON_ID",)),
    (_without(TEAM_SCRAPED, "GAME_DATE", "SEASON_ID"), "nbac_team_game_log", ("scraped_at",),
     ("GAME_DATE", "SEASON_ID")),
    (_without(TEAM_LOG_HEADER, "PTS", "REB"), "nbac_team_game_log", (), ("PTS", "REB")),
    (_without(PLAYER_LOG_HEADER, "pts", "reb"), "player_game_log", (), ("pts", "reb")),
    (_without(EXPORT_HEADER, "Points") + ",Season", "boxscore_export", ("Season",), ("Points",)),
    (INJURY_HEADER + ",notes", "injury_report", ("notes",), ()),
    (SNAPSHOT_HEADER + ",sport_key", "odds_player_snapshot", ("sport_key",), ()),
    # a snapshot with an event id is the multi-market layout: it leaves fewer columns unused
    ("event_id," + SNAPSHOT_HEADER, "odds_multi_market", (), ()),
    # the derived column is there: its source is an ignored extra
    (TEAM_LOG_HEADER + ",GAME_DATE_EST", "nbac_team_game_log", ("GAME_DATE_EST",), ()),
]


@pytest.mark.parametrize(("header", "format_name", "extra", "derived"), RECOGNISED)
def test_layout_recognised_by_needed_columns(
    header: str, format_name: str, extra: tuple[str, ...], derived: tuple[str, ...]
) -> None:
    match = match_layout(header.split(","))
    assert (match.format.name, match.extra_columns, match.derived_columns) == (
        format_name, extra, derived)


LACKING = [
    # header                                     message
    (SNAPSHOT_HEADER.replace("bookmaker", "book"),
     "lacks the column\\(s\\) bookmaker that the layout odds_player_snapshot needs; it resembles "
     "odds_player_snapshot most \\(7 of its 8 needed columns are there\\)"),
    (_without(TEAM_LOG_HEADER, "GAME_ID"), "lacks the column\\(s\\) GAME_ID that the layout "
     "nbac_team_game_log needs"),
    # SEASON_ID is derived from GAME_ID, so with both gone both are missing
    (_without(TEAM_LOG_HEADER, "GAME_ID", "SEASON_ID"), "lacks the column\\(s\\) GAME_ID, SEASON_ID "
     "that the layout nbac_team_game_log needs; .* \\(21 of its 23 needed columns"),
    (_without(TEAM_LOG_HEADER, "OREB", "REB"), "lacks the column\\(s\\) OREB, REB that the layout "
     "nbac_team_game_log"),
    (_without(PLAYER_LOG_HEADER, "minutes"), "lacks the column\\(s\\) minutes that the layout "
     "player_game_log needs; .*`nbaprops ingest --help` lists every layout's columns"),
    (_without(INJURY_HEADER, "status", "reason"), "lacks the column\\(s\\) reason, status that the "
     "layout injury_report needs"),
]


@pytest.mark.parametrize(("header", "message"), LACKING)
def test_missing_column_is_named_with_the_closest_layout(header: str, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        detect_format(header.split(","))


UNKNOWN = [
    "a,b,c",
    "",
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


def test_a_header_fitting_two_layouts_equally_is_refused() -> None:
    # each layout leaves the other's 15 own columns unused
    team = FORMATS["nbac_team_game_log"].required | {"TEAM_ID", "TEAM_NAME", "FG_PCT"}
    both = sorted(set(EXPORT_HEADER.split(",")) | team)
    with pytest.raises(IngestError, match="fits both the nbac_team_game_log and the "
                                          "boxscore_export layout; drop the columns"):
        detect_format(both)


@pytest.mark.parametrize("name", FORMATS)
def test_each_layout_is_recognised_from_its_own_columns(name: str) -> None:
    layout = FORMATS[name]
    for columns in (layout.required, layout.required | layout.optional):
        match = match_layout(sorted(columns))
        assert (match.format, match.extra_columns, match.derived_columns) == (layout, (), ())
