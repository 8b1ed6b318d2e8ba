from datetime import date
from pathlib import Path

import pytest
from tests.ingest.samples import (
    TEAM_LOG_HEADER,
    TEAM_LOG_ROW,
    ingest,
    line,
    quarantined,
    rows,
    write,
)

from nbaprops.warehouse import Warehouse


def team(**overrides: str) -> str:
    return line(TEAM_LOG_HEADER, TEAM_LOG_ROW, **overrides)


FINALS = {"SEASON_ID": "42024", "GAME_ID": "0042400407", "GAME_DATE": "2025-06-22"}
NEUTRAL = {"GAME_ID": "0022401229", "GAME_DATE": "2024-12-14", "MATCHUP": "ATL @ MIL"}
PRESEASON = {"SEASON_ID": "12024", "GAME_ID": "0012400036", "GAME_DATE": "2024-10-14"}

LINES = [
    # line 2-3: a playoff game; "IND @ OKC" is the away row
    team(**FINALS, TEAM_ABBREVIATION="IND", MATCHUP="IND @ OKC", WL="L", PLUS_MINUS="-12.0"),
    team(**FINALS, TEAM_ABBREVIATION="OKC", MATCHUP="OKC vs. IND", WL="W", PTS="103"),
    # line 4-5: a neutral-site game, both rows written "away @ home"
    team(**NEUTRAL, TEAM_ABBREVIATION="ATL", WL="L"),
    team(**NEUTRAL, TEAM_ABBREVIATION="MIL", WL="W"),
    # line 6: a three-minute fragment repeating line 7's team and game
    team(**PRESEASON, TEAM_ABBREVIATION="NYK", MATCHUP="NYK vs. MIN", WL="", MIN="3"),
    team(**PRESEASON, TEAM_ABBREVIATION="NYK", MATCHUP="NYK vs. MIN", WL="L", MIN="236"),
    team(**PRESEASON, TEAM_ABBREVIATION="MIN", MATCHUP="MIN @ NYK", WL="W", MIN="242"),
    # line 9-16: lines that must not load
    team(SEASON_ID="32024", TEAM_ABBREVIATION="EST", MATCHUP="EST vs. WST", GAME_ID="0032400001"),
    team(SEASON_ID="12024", TEAM_ABBREVIATION="NZB", TEAM_NAME="New Zealand Breakers",
         MATCHUP="NZB @ UTA", GAME_ID="0012400050", GAME_DATE="2024-10-10"),
    team(SEASON_ID="12024", TEAM_ABBREVIATION="UTA", MATCHUP="UTA vs. NZB", GAME_ID="0012400050",
         GAME_DATE="2024-10-10"),
    team(TEAM_ABBREVIATION="BOS", MATCHUP="BOS vs. NYK", GAME_ID="0022400002", PTS="-5"),
    team(TEAM_ABBREVIATION="BOS", MATCHUP="BOS vs. NYK", GAME_ID="0022400003",
         GAME_DATE="2025-02-30"),
    "22024,1610612738,BOS,Boston Celtics,0022400004,2024-10-22",
    team(TEAM_ABBREVIATION="BOS", MATCHUP="BOS vs. NYK", GAME_ID="0022400005",
         GAME_DATE="2023-12-01"),
    team(TEAM_ABBREVIATION="BOS", MATCHUP="BOS vs. NYK", GAME_ID="0022400006", FGA="many"),
]


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    return write(tmp_path / "team_game_logs.csv.gz", TEAM_LOG_HEADER, LINES)


def test_report_counts_every_line_once(warehouse: Warehouse, loaded: Path) -> None:
    report = ingest(warehouse, loaded)
    assert (report.format, report.status) == ("nbac_team_game_log", "loaded")
    assert (report.rows_loaded, report.rows_quarantined) == (6, 9)
    assert report.match_rate is None


def test_games_fold_two_rows_into_one_with_the_home_side(
    warehouse: Warehouse, loaded: Path
) -> None:
    ingest(warehouse, loaded)
    assert rows(warehouse, "nba_raw.history_games", loaded,
                "game_id, game_date, season, season_type, home_team, away_team, tipoff_utc",
                order="game_id") == [
        ("0012400036", date(2024, 10, 14), "2024-25", "preseason", "NYK", "MIN", None),
        ("0022401229", date(2024, 12, 14), "2024-25", "regular", "MIL", "ATL", None),
        ("0042400407", date(2025, 6, 22), "2024-25", "playoffs", "OKC", "IND", None),
    ]


def test_team_rows_keep_the_fullest_line_of_a_repeated_team(
    warehouse: Warehouse, loaded: Path
) -> None:
    ingest(warehouse, loaded)
    assert rows(warehouse, "nba_raw.history_team_boxscores", loaded,
                "source_line, game_id, team, opponent, is_home, win, minutes, pts, plus_minus") == [
        (2, "0042400407", "IND", "OKC", False, False, 240.0, 91, -12.0),
        (3, "0042400407", "OKC", "IND", True, True, 240.0, 103, -12.0),
        (4, "0022401229", "ATL", "MIL", False, False, 240.0, 91, -12.0),
        (5, "0022401229", "MIL", "ATL", True, True, 240.0, 91, -12.0),
        (7, "0012400036", "NYK", "MIN", True, False, 236.0, 91, -12.0),
        (8, "0012400036", "MIN", "NYK", False, True, 242.0, 91, -12.0),
    ]


def test_bad_lines_are_quarantined_with_field_and_reason(
    warehouse: Warehouse, loaded: Path
) -> None:
    ingest(warehouse, loaded)
    assert quarantined(warehouse, loaded) == [
        (6, "GAME_ID"), (9, "SEASON_ID"), (10, "TEAM_ABBREVIATION"), (11, "MATCHUP"), (12, "PTS"),
        (13, "GAME_DATE"), (14, None), (15, "GAME_DATE"), (16, "FGA"),
    ]
    reasons = {r["line_number"]: r["reason"] for r in warehouse.query(
        "SELECT line_number, reason FROM nba_raw.quarantine WHERE source_key = ?", [str(loaded)])}
    assert reasons[6] == "repeats GAME_ID 0012400036 for NYK; line 7 (236 minutes) was kept"
    assert "is an All-Star event" in reasons[9]
    assert reasons[10].startswith("TEAM_ABBREVIATION 'NZB' (New Zealand Breakers) is no NBA team")
    assert reasons[11] == ("MATCHUP 'UTA vs. NZB' names 'NZB', no NBA team; "
                           "only the 30 NBA teams load")
    assert reasons[12] == "PTS '-5' is a negative count"
    assert reasons[13] == "GAME_DATE '2025-02-30' is not a valid YYYY-MM-DD date"
    assert reasons[14] == "the line has 6 fields where the header has 29"
    assert reasons[15] == "GAME_DATE 2023-12-01 is not in the season 2024-25 of SEASON_ID"
    assert reasons[16] == "FGA 'many' is not a number"


DERIVING_HEADER = ",".join(
    c for c in TEAM_LOG_HEADER.split(",") if c not in {"SEASON_ID", "GAME_DATE", "PTS"}
) + ",GAME_DATE_EST"
DERIVING = [
    # overrides                                         quarantined field, reason (None: loads)
    ({}, None, None),
    ({"GAME_DATE_EST": "someday"}, "GAME_DATE_EST", "GAME_DATE_EST 'someday' is not a YYYY-MM-DD date"),
    ({"GAME_ID": "0032400001"}, "SEASON_ID", "SEASON_ID 32024 is an All-Star event; only "),
    ({"GAME_ID": "G1"}, "GAME_ID", "GAME_ID 'G1' is not a game id of up to ten digits"),
    ({"FG3M": "x"}, "FG3M", "FG3M 'x' is not a number"),
]


@pytest.mark.parametrize(("overrides", "field", "reason"), DERIVING)
def test_derived_columns_load_or_quarantine_on_their_sources(
    warehouse: Warehouse, tmp_path: Path, overrides: dict[str, str], field: str | None,
    reason: str | None,
) -> None:
    values = {"GAME_DATE_EST": "2024-10-23T00:00:00", **overrides}
    path = write(tmp_path / "scraped.csv", DERIVING_HEADER, [
        line(DERIVING_HEADER, TEAM_LOG_ROW, **values),
        line(DERIVING_HEADER, TEAM_LOG_ROW, **values, TEAM_ABBREVIATION="OKC",
             MATCHUP="OKC vs. IND")])
    report = ingest(warehouse, path)
    assert report.derived_columns == ["GAME_DATE", "SEASON_ID", "PTS"]
    if field is None:
        assert rows(warehouse, "nba_raw.history_team_boxscores", path,
                    "game_date, season, season_type, team, pts") == [
            (date(2024, 10, 23), "2024-25", "regular", "IND", 91),
            (date(2024, 10, 23), "2024-25", "regular", "OKC", 91)]
        return
    assert quarantined(warehouse, path) == [(2, field), (3, field)]
    assert report.quarantined[0].reason.startswith(reason or "")
