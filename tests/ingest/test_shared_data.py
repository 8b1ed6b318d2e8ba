"""The real files in ../shared/data: every one recognised, loaded, and its players matched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nbaprops.ingest import IngestReport, detect_format, ingest_paths
from nbaprops.ingest._source import is_csv_path, read_header
from nbaprops.warehouse import Warehouse

ABSENT_2024_25 = frozenset(
    name for name in (Path(__file__).parent / "absent_players_2024_25.txt").read_text().splitlines()
    if name and not name.startswith("#")
)
# 2023-24 prop names that are initials shared by two players of the season: left unmatched.
AMBIGUOUS_2023_24 = frozenset({"J. Green", "C. Martin", "T. Young", "D. Jones Jr."})

EXPECTED = {
    # file                             format                  loaded  quarantined
    "2023-24/team_game_logs.csv.gz": ("nbac_team_game_log", 2766, 29),
    "2023-24/player_boxscores.csv.gz": ("boxscore_export", 25143, 0),
    "2023-24/props_player_pra.csv.gz": ("odds_event_props", 28769, 823),
    "2024-25/team_game_logs.csv.gz": ("nbac_team_game_log", 2780, 22),
    "2024-25/player_game_logs.csv.gz": ("player_game_log", 22124, 0),
    "2024-25/props_player_pra.csv.gz": ("odds_event_props", 24474, 0),
}
THREES_FILES, THREES_LINES = 163, 64567


def _csv_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and is_csv_path(p))


def test_every_shared_file_is_recognised(shared_data: Path) -> None:
    formats = {}
    for path in _csv_files(shared_data):
        header = read_header(path)
        assert header is not None, path
        formats[str(path.relative_to(shared_data))] = detect_format(header)
    assert len(formats) == len(EXPECTED) + THREES_FILES
    for name, (format_name, _, _) in EXPECTED.items():
        assert formats[name] == format_name
    threes = {f for name, f in formats.items() if name.startswith("2024-25/props_player_threes/")}
    assert threes == {"odds_player_snapshot"}


@pytest.fixture(scope="module")
def ingested(shared_data: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[Warehouse, IngestReport]]:
    with Warehouse.open(tmp_path_factory.mktemp("shared") / "warehouse.duckdb") as warehouse:
        yield warehouse, ingest_paths(warehouse, [shared_data])


@pytest.mark.slow
def test_all_shared_files_load_with_the_expected_counts(
    shared_data: Path, ingested: tuple[Warehouse, IngestReport]
) -> None:
    _, report = ingested
    by_name = {str(f.path.relative_to(shared_data.resolve())): f for f in report.files}
    assert {f.status for f in report.files} == {"loaded"}
    for name, expected in EXPECTED.items():
        found = by_name[name]
        assert (found.format, found.rows_loaded, found.rows_quarantined) == expected, name
    threes = [f for name, f in by_name.items() if "props_player_threes" in name]
    assert len(threes) == THREES_FILES
    assert sum(f.rows_loaded for f in threes) == THREES_LINES
    assert sum(f.rows_quarantined for f in threes) == 0
    teams_2023_24 = by_name["2023-24/team_game_logs.csv.gz"]
    assert teams_2023_24.quarantined_by_field == {
        "SEASON_ID": 10, "TEAM_ABBREVIATION": 9, "MATCHUP": 9, "GAME_ID": 1}
    assert by_name["2023-24/props_player_pra.csv.gz"].game_dates_corrected == 1539


@pytest.mark.slow
def test_every_game_has_two_team_rows_and_pra_lines_fall_on_scheduled_games(
    ingested: tuple[Warehouse, IngestReport],
) -> None:
    warehouse, _ = ingested
    assert warehouse.scalar(
        "SELECT count(*) FROM nba_raw.history_games g WHERE (SELECT count(*) FROM "
        "nba_raw.history_team_boxscores t WHERE t.game_id = g.game_id) <> 2") == 0
    assert warehouse.scalar(
        "SELECT count(*) FROM nba_raw.history_prop_lines p WHERE market = 'pra' AND NOT EXISTS "
        "(SELECT 1 FROM nba_raw.history_games g WHERE g.game_date = p.game_date "
        "AND g.home_team = p.home_team AND g.away_team = p.away_team)") == 0


@pytest.mark.slow
def test_prop_players_match_box_scores_of_their_season(
    ingested: tuple[Warehouse, IngestReport],
) -> None:
    _, report = ingested
    lines = {"2023-24": [0, 0], "2024-25": [0, 0]}  # [lines of players in the logs, matched]
    for f in report.files:
        if f.match_rate is None:
            continue
        season = "2023-24" if "2023-24" in str(f.path) else "2024-25"
        known_missing = AMBIGUOUS_2023_24 if season == "2023-24" else ABSENT_2024_25
        assert set(f.unmatched_players) <= known_missing, f.path
    warehouse, _ = ingested
    for row in warehouse.query(
        "SELECT p.player_name, CASE WHEN month(p.game_date) >= 8 THEN year(p.game_date) "
        "ELSE year(p.game_date) - 1 END AS start, EXISTS (SELECT 1 FROM "
        "nba_raw.history_player_boxscores b WHERE b.player_lookup = p.player_lookup AND "
        "left(b.season, 4)::INTEGER = start) AS matched FROM nba_raw.history_prop_lines p"):
        season = f"{row['start']}-{(row['start'] + 1) % 100:02d}"
        if season == "2024-25" and row["player_name"] in ABSENT_2024_25:
            continue
        lines[season][0] += 1
        lines[season][1] += row["matched"]
    for season, (in_logs, matched) in lines.items():
        assert matched / in_logs >= 0.95, season
    assert lines["2023-24"] == [28769, 28761]
    assert lines["2024-25"][0] == lines["2024-25"][1]


_TEAM_GAME_AGREEMENT = """
WITH p AS (
    SELECT game_date, team, sum(pts) AS pts, sum(stl) AS stl, sum(blk) AS blk, sum(tov) AS tov
    FROM nba_raw.history_player_boxscores WHERE season = ? GROUP BY ALL
)
SELECT count(*) AS team_games,
       count(*) FILTER (p.pts = t.pts) AS complete,
       count(*) FILTER (p.pts = t.pts AND p.stl = t.stl AND p.blk = t.blk AND p.tov = t.tov)
           AS agreeing
FROM p JOIN nba_raw.history_team_boxscores t USING (game_date, team)
"""


@pytest.mark.slow
def test_player_steals_blocks_and_turnovers_add_up_to_the_team_log(
    shared_data: Path, ingested: tuple[Warehouse, IngestReport],
) -> None:
    """The 2023-24 export wrote steals under TO, blocks under STL and turnovers under BLK (3 of
    its 2,346 team-games add up as named); ingest reads them as the team log says."""
    warehouse, report = ingested
    assert warehouse.query(_TEAM_GAME_AGREEMENT, ["2023-24"]) == [
        {"team_games": 2346, "complete": 2346, "agreeing": 2346}]
    by_name = {str(f.path.relative_to(shared_data.resolve())): f for f in report.files}
    export = by_name["2023-24/player_boxscores.csv.gz"].to_json()
    assert export["column_check"] == {"columns": ["stl", "blk", "tov"],
                                      "team_games_compared": 2346, "agreeing_as_named": 3,
                                      "agreeing": 2346}
    assert [(c["column"], c["read_from"]) for c in export["corrections"]] == [
        ("stl", "TO"), ("blk", "STL"), ("tov", "BLK")]
    # the 2024-25 game logs (only players still rostered a season later) agree as named
    logs = by_name["2024-25/player_game_logs.csv.gz"].to_json()
    assert logs["column_check"] == {"columns": ["stl", "blk", "tov"], "team_games_compared": 517,
                                    "agreeing_as_named": 497, "agreeing": 497}
    assert logs["corrections"] == []
