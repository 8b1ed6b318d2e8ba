from datetime import date
from pathlib import Path

from tests.ingest.samples import (
    EXPORT_HEADER,
    EXPORT_ROW,
    PLAYER_LOG_HEADER,
    PLAYER_LOG_ROW,
    ingest,
    line,
    quarantined,
    rows,
    shifted_export,
    team_log_of_days,
    write,
)

from nbaprops.warehouse import Warehouse

COLUMNS = ("source_line, game_date, season, player_name, player_lookup, player_id, team, opponent, "
           "is_home, minutes, pts, reb, ast, fg3m, fg3a, tov, plus_minus")


def log(**overrides: str) -> str:
    return line(PLAYER_LOG_HEADER, PLAYER_LOG_ROW, **overrides)


def export(**overrides: str) -> str:
    return line(EXPORT_HEADER, EXPORT_ROW, **overrides)


def test_game_log_layout(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write(tmp_path / "player_game_logs.csv", PLAYER_LOG_HEADER, [
        log(),
        log(player="Chris Livingston", player_id="1641753", matchup="MIL vs. DET", minutes="18.0",
            pts="6", threes_made="1", threes_attempted="3", plus_minus="-7"),
        log(player="Luka Dončić", player_id="1629029", date="2025-02-10", matchup="LAL vs. UTA",
            minutes="30.5", pts="14", plus_minus=""),
        log(player="Jaren Jackson Jr.", player_id="1628991", matchup="MEM @ POR", reb="-1"),
        log(player="Nobody", player_id="1", date="2025-13-01"),
        log(player="Someone", player_id="2", matchup="DET vs. XYZ"),
        log(),  # the same player, team and date as line 2
        log(player="Luka Dončić", player_id="1629029", date="2025-02-10", matchup="LAL vs. UTA",
            minutes="thirty"),
    ])
    report = ingest(warehouse, path)
    assert (report.format, report.rows_loaded, report.rows_quarantined) == ("player_game_log", 3, 5)
    assert rows(warehouse, "nba_raw.history_player_boxscores", path, COLUMNS) == [
        (2, date(2025, 4, 13), "2024-25", "Jalen Duren", "jalenduren", "1631105", "DET", "MIL",
         False, 8.0, 4, 1, 2, 0, 1, 1, -14.0),
        (3, date(2025, 4, 13), "2024-25", "Chris Livingston", "chrislivingston", "1641753", "MIL",
         "DET", True, 18.0, 6, 1, 2, 1, 3, 1, -7.0),
        (4, date(2025, 2, 10), "2024-25", "Luka Dončić", "lukadoncic", "1629029", "LAL", "UTA",
         True, 30.5, 14, 1, 2, 0, 1, 1, None),
    ]
    assert quarantined(warehouse, path) == [
        (5, "reb"), (6, "date"), (7, "matchup"), (8, "player"), (9, "minutes"),
    ]


def test_export_layout(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write(tmp_path / "player_boxscores.csv.gz", EXPORT_HEADER, [
        export(),
        export(Player="Isaiah Hartenstein", Team="NYK", Opponent="NYK vs. MIL", Date="04/06/2024",
               Minutes="29", Points="18", REB="10", AST="1", TO="1", **{"3PM": "0", "3PA": "0",
                                                                         "3P%": "-", "+/-": "7"}),
        export(Player="Nicolas Batum", Team="SAS", Opponent="PHI @ SAS", **{"+/-": "-1"}),
        export(Player="Wrong Team", Team="BOS", Opponent="PHI @ SAS"),
        export(Player="Bad Date", Date="2024-04-07"),
        export(Player="Bad Steals", STL="1.5"),
    ])
    report = ingest(warehouse, path)
    assert (report.format, report.rows_loaded, report.rows_quarantined) == ("boxscore_export", 3, 3)
    assert rows(warehouse, "nba_raw.history_player_boxscores", path, COLUMNS) == [
        (2, date(2024, 4, 7), "2023-24", "Kelly Oubre Jr.", "kellyoubre", None, "PHI", "SAS",
         False, 48.0, 26, 8, 5, 2, 6, 2, 1.0),
        (3, date(2024, 4, 6), "2023-24", "Isaiah Hartenstein", "isaiahhartenstein", None, "NYK",
         "MIL", True, 29.0, 18, 10, 1, 0, 0, 1, 7.0),
        (4, date(2024, 4, 7), "2023-24", "Nicolas Batum", "nicolasbatum", None, "SAS", "PHI",
         True, 48.0, 26, 8, 5, 2, 6, 2, -1.0),
    ]
    assert quarantined(warehouse, path) == [(5, "Opponent"), (6, "Date"), (7, "STL")]
    reasons = [r["reason"] for r in warehouse.query(
        "SELECT reason FROM nba_raw.quarantine WHERE source_key = ? ORDER BY line_number",
        [str(path)])]
    assert reasons == [
        "Opponent 'PHI @ SAS' does not include the Team BOS",
        "Date '2024-04-07' is not a valid MM/DD/YYYY date",
        "STL '1.5' is not a whole number",
    ]


def test_misnamed_steals_blocks_and_turnovers_are_read_as_the_team_log_says(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    ingest(warehouse, team_log_of_days(tmp_path, 5))
    path = shifted_export(tmp_path, 5)
    report = ingest(warehouse, path)
    assert report.status == "loaded"
    assert report.to_json()["column_check"] == {
        "columns": ["stl", "blk", "tov"], "team_games_compared": 10, "agreeing_as_named": 0,
        "agreeing": 10}
    assert [(c["column"], c["read_from"]) for c in report.corrections] == [
        ("stl", "TO"), ("blk", "STL"), ("tov", "BLK")]
    assert rows(warehouse, "nba_raw.history_player_boxscores", path, "stl, blk, tov")[:3] == [
        (5, 2, 12), (5, 2, 12), (6, 3, 13)]


def test_without_a_team_log_the_columns_load_as_named(warehouse: Warehouse, tmp_path: Path
                                                      ) -> None:
    path = shifted_export(tmp_path, 5)
    report = ingest(warehouse, path)
    assert (report.status, report.column_check, report.corrections) == ("loaded", None, [])
    assert rows(warehouse, "nba_raw.history_player_boxscores", path, "stl, blk, tov")[0] == (
        2, 12, 5)


def test_too_few_team_games_keep_the_names(warehouse: Warehouse, tmp_path: Path) -> None:
    ingest(warehouse, team_log_of_days(tmp_path, 4))
    path = shifted_export(tmp_path, 4)
    report = ingest(warehouse, path)
    assert report.to_json()["column_check"]["team_games_compared"] == 8
    assert report.corrections == []
    assert rows(warehouse, "nba_raw.history_player_boxscores", path, "stl, blk, tov")[0] == (
        2, 12, 5)
