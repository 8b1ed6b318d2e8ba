from datetime import date, datetime
from pathlib import Path

import pytest
from tests.ingest.samples import (
    EVENT_PROPS_HEADER,
    EVENT_PROPS_ROW,
    MULTI_MARKET_HEADER,
    MULTI_MARKET_ROW,
    SNAPSHOT_HEADER,
    SNAPSHOT_HEADER_SWAPPED,
    SNAPSHOT_HEADER_UPDATES,
    SNAPSHOT_HEADER_UPDATES_SWAPPED,
    SNAPSHOT_ROW,
    TEAM_LOG_HEADER,
    TEAM_LOG_ROW,
    ingest,
    line,
    quarantined,
    rows,
    write,
)

from nbaprops.warehouse import Warehouse

PROP = "nba_raw.history_prop_lines"
COLUMNS = ("game_date, event_id, player_name, player_lookup, market, bookmaker, line, over_price, "
           "under_price, snapshot_utc, tipoff_utc, home_team, away_team")


def _reasons(warehouse: Warehouse, path: Path) -> list[str]:
    return [r["reason"] for r in warehouse.query(
        "SELECT reason FROM nba_raw.quarantine WHERE source_key = ? ORDER BY line_number",
        [str(path)])]


@pytest.mark.parametrize(("header", "snapshot_utc"), [
    (SNAPSHOT_HEADER, None),
    (SNAPSHOT_HEADER_SWAPPED, None),
    (SNAPSHOT_HEADER_UPDATES, datetime(2024, 11, 23, 19, 51, 25)),
    (SNAPSHOT_HEADER_UPDATES_SWAPPED, datetime(2024, 11, 23, 19, 51, 25)),
])
def test_every_snapshot_header_variant_reads_columns_by_name(
    warehouse: Warehouse, tmp_path: Path, header: str, snapshot_utc: datetime | None
) -> None:
    path = write(tmp_path / "props_2024-11-23_player_threes.csv.gz", header, [
        line(header, SNAPSHOT_ROW),
        # a late tip-off: 03:30 UTC on the 24th is the evening of the 23rd in New York
        line(header, SNAPSHOT_ROW, player="Luka Dončić", game="Dallas Mavericks @ LA Clippers",
             game_time="2024-11-24T03:30:00Z", line="2.5", bookmaker="williamhill_us",
             over_odds="-105.0", under_odds=""),
    ])
    report = ingest(warehouse, path)
    assert (report.format, report.rows_loaded, report.rows_quarantined) == (
        "odds_player_snapshot", 2, 0)
    assert rows(warehouse, PROP, path, COLUMNS) == [
        (date(2024, 11, 23), None, "Jalen Brunson", "jalenbrunson", "threes", "fanduel", 3.5, 136,
         -174, snapshot_utc, datetime(2024, 11, 23, 22, 10), "UTA", "NYK"),
        (date(2024, 11, 23), None, "Luka Dončić", "lukadoncic", "threes", "williamhill_us", 2.5,
         -105, None, snapshot_utc, datetime(2024, 11, 24, 3, 30), "LAC", "DAL"),
    ]


def test_snapshot_without_market_update_uses_the_bookmaker_update(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = write(tmp_path / "props.csv", SNAPSHOT_HEADER_UPDATES, [
        line(SNAPSHOT_HEADER_UPDATES, SNAPSHOT_ROW, market_last_update=""),
    ])
    ingest(warehouse, path)
    assert rows(warehouse, PROP, path, "snapshot_utc") == [(datetime(2024, 11, 23, 19, 49, 30),)]


BAD_SNAPSHOT_LINES = [
    # overrides                                                       field         reason
    ({"over_odds": "50"}, "over_odds",
     "over_odds '50' is not valid American odds (|price| must be 100 to 1,000,000)"),
    ({"under_odds": "-110.5"}, "under_odds", "under_odds '-110.5' is not whole American odds"),
    ({"over_odds": "", "under_odds": ""}, "over_odds", "both over_odds and under_odds are empty"),
    ({"game": "Knicks vs Jazz"}, "game", "game 'Knicks vs Jazz' is not 'Away Team @ Home Team'"),
    ({"game": "Seattle SuperSonics @ Utah Jazz"}, "game",
     "game 'Seattle SuperSonics @ Utah Jazz' names 'Seattle SuperSonics', no NBA team; "
     "only the 30 NBA teams load"),
    ({"game_time": "tonight"}, "game_time", "game_time 'tonight' is not an ISO-8601 timestamp"),
    ({"line": "-1.5"}, "line", "line '-1.5' is below 0"),
    ({"line": "nan"}, "line", "line 'nan' is not a finite number"),
    ({"bookmaker": "Some New Book"}, "bookmaker",
     "bookmaker 'Some New Book' is no known sportsbook"),
    ({"player": " "}, "player", "player is empty"),
]


@pytest.mark.parametrize(("overrides", "field", "reason"), BAD_SNAPSHOT_LINES)
def test_bad_snapshot_line_is_quarantined(
    warehouse: Warehouse, tmp_path: Path, overrides: dict[str, str], field: str, reason: str
) -> None:
    path = write(tmp_path / "props.csv", SNAPSHOT_HEADER, [
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW), line(SNAPSHOT_HEADER, SNAPSHOT_ROW, **overrides)])
    report = ingest(warehouse, path)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert quarantined(warehouse, path) == [(3, field)]
    assert _reasons(warehouse, path) == [reason]


def test_event_props_layout(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write(tmp_path / "props_player_pra.csv.gz", EVENT_PROPS_HEADER, [
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, player_name="Jordan Poole",
             bookmaker="PointsBet (US)", line="20.5", over_price="100.0", under_price=""),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, bookmaker="Boston Celtics"),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW),  # a repeat of line 2
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, away_team="Washington Wizards"),
    ])
    report = ingest(warehouse, path)
    assert (report.format, report.rows_loaded, report.rows_quarantined) == (
        "odds_event_props", 2, 3)
    event = "9e5c6a9f958653c964712b118e07f6ab"
    assert rows(warehouse, PROP, path, COLUMNS) == [
        (date(2024, 10, 24), event, "Al Horford", "alhorford", "pra", "draftkings", 18.5, -105,
         -125, datetime(2024, 10, 24, 23, 5, 39), None, "WAS", "BOS"),
        (date(2024, 10, 24), event, "Jordan Poole", "jordanpoole", "pra", "pointsbetus", 20.5, 100,
         None, datetime(2024, 10, 24, 23, 5, 39), None, "WAS", "BOS"),
    ]
    assert quarantined(warehouse, path) == [(4, "bookmaker"), (5, None), (6, "away_team")]
    assert _reasons(warehouse, path) == [
        "bookmaker 'Boston Celtics' is a team name (BOS), not a sportsbook; "
        "the line is mislabelled",
        "repeats line 2 (the same prop line)",
        "away_team 'Washington Wizards' is also the home team",
    ]


def _schedule(tmp_path: Path) -> Path:
    """A team log with WAS hosting BOS on 2024-10-24."""
    return write(tmp_path / "team_game_logs.csv", TEAM_LOG_HEADER, [
        line(TEAM_LOG_HEADER, TEAM_LOG_ROW, TEAM_ABBREVIATION="WAS", MATCHUP="WAS vs. BOS",
             GAME_DATE="2024-10-24"),
        line(TEAM_LOG_HEADER, TEAM_LOG_ROW, TEAM_ABBREVIATION="BOS", MATCHUP="BOS @ WAS",
             GAME_DATE="2024-10-24"),
    ])


@pytest.mark.parametrize(("with_schedule", "game_dates", "corrected"), [
    (True, [date(2024, 10, 24), date(2024, 10, 24), date(2024, 10, 27)], 1),
    (False, [date(2024, 10, 24), date(2024, 10, 25), date(2024, 10, 27)], 0),
])
def test_event_date_a_day_late_moves_to_the_scheduled_game(
    warehouse: Warehouse, tmp_path: Path, with_schedule: bool, game_dates: list[date],
    corrected: int,
) -> None:
    if with_schedule:
        ingest(warehouse, _schedule(tmp_path))
    path = write(tmp_path / "props.csv", EVENT_PROPS_HEADER, [
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, event_date="2024-10-25", player_name="Sarr"),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, event_date="2024-10-27", player_name="Kuzma"),
    ])
    report = ingest(warehouse, path)
    assert report.game_dates_corrected == corrected
    assert [r[0] for r in rows(warehouse, PROP, path, "game_date")] == game_dates


MARKETS = [
    ("player_points", "points"),
    ("player_rebounds", "rebounds"),
    ("player_assists", "assists"),
    ("player_threes", "threes"),
    ("player_points_rebounds_assists", "pra"),
    ("player_blocks", "blocks"),
    ("player_points_alternate", "points_alternate"),
    ("PLAYER_STEALS", "steals"),
]


def test_multi_market_layout(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [line(MULTI_MARKET_HEADER, MULTI_MARKET_ROW, market=raw) for raw, _ in MARKETS]
    lines.append(line(MULTI_MARKET_HEADER, MULTI_MARKET_ROW, market="", bookmaker="FanDuel"))
    path = write(tmp_path / "multi.csv", MULTI_MARKET_HEADER, lines)
    report = ingest(warehouse, path)
    assert (report.format, report.rows_loaded, report.rows_quarantined) == (
        "odds_multi_market", len(MARKETS), 1)
    assert [r[0] for r in rows(warehouse, PROP, path, "market")] == [m for _, m in MARKETS]
    assert rows(warehouse, PROP, path, COLUMNS)[0] == (
        date(2025, 2, 10), "abc123", "Luka Dončić", "lukadoncic", "points", "draftkings", 28.5,
        -110, -110, None, datetime(2025, 2, 11, 3, 30), "LAL", "DAL")
    assert quarantined(warehouse, path) == [(len(MARKETS) + 2, "market")]
