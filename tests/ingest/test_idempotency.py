from pathlib import Path
from typing import Any

from tests.ingest.samples import (
    EVENT_PROPS_HEADER,
    EVENT_PROPS_ROW,
    INJURY_HEADER,
    INJURY_ROW,
    PLAYER_LOG_HEADER,
    PLAYER_LOG_ROW,
    SNAPSHOT_HEADER,
    SNAPSHOT_ROW,
    TEAM_LOG_HEADER,
    TEAM_LOG_ROW,
    line,
    rows,
    write,
)

from nbaprops.ingest import ingest_paths
from nbaprops.warehouse import Warehouse

TABLES = ("history_games", "history_team_boxscores", "history_player_boxscores",
          "history_prop_lines", "history_injuries", "quarantine", "ingested_files")


def _contents(warehouse: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: [tuple(r.values())
                for r in warehouse.query(f"SELECT * FROM nba_raw.{table} ORDER BY ALL")]
        for table in TABLES
    }


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    write(folder / "team_game_logs.csv.gz", TEAM_LOG_HEADER + ",scraped_at", [
        line(TEAM_LOG_HEADER, TEAM_LOG_ROW) + ",2025-06-23T04:00:00Z",
        line(TEAM_LOG_HEADER, TEAM_LOG_ROW, TEAM_ABBREVIATION="OKC", MATCHUP="OKC vs. IND") + ",",
        line(TEAM_LOG_HEADER, TEAM_LOG_ROW, TEAM_ABBREVIATION="XXX") + ",",
    ])
    write(folder / "player_game_logs.csv", PLAYER_LOG_HEADER,
          [line(PLAYER_LOG_HEADER, PLAYER_LOG_ROW)])
    write(folder / "props" / "pra.csv", EVENT_PROPS_HEADER, [
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, line="x"),
    ])
    return folder


def test_reingesting_unchanged_files_changes_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first = ingest_paths(warehouse, [folder])
    before = _contents(warehouse)
    second = ingest_paths(warehouse, [folder])
    assert _contents(warehouse) == before
    assert [f.status for f in first.files] == ["loaded"] * 3
    assert [f.status for f in second.files] == ["unchanged"] * 3
    for a, b in zip(first.files, second.files, strict=True):
        assert {**a.to_json(), "status": "unchanged"} == b.to_json()
        assert a.quarantined == b.quarantined


def test_a_changed_file_replaces_its_rows(warehouse: Warehouse, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    ingest_paths(warehouse, [folder])
    pra = write(folder / "props" / "pra.csv", EVENT_PROPS_HEADER, [
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, player_name="Jordan Poole"),
        line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, player_name="Kyle Kuzma"),
    ])
    report = ingest_paths(warehouse, [folder])
    assert [f.status for f in report.files] == ["unchanged", "loaded", "unchanged"]
    assert rows(warehouse, "nba_raw.history_prop_lines", pra, "player_name") == [
        ("Jordan Poole",), ("Kyle Kuzma",)]
    assert rows(warehouse, "nba_raw.quarantine", pra, "line_number", order="line_number") == []
    assert warehouse.scalar("SELECT rows_loaded FROM nba_raw.ingested_files WHERE source_key = ?",
                            [str(pra)]) == 2


def test_a_file_that_changes_layout_leaves_nothing_in_its_old_table(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = write(tmp_path / "today.csv", INJURY_HEADER, [line(INJURY_HEADER, INJURY_ROW),
                                                        line(INJURY_HEADER, INJURY_ROW, team="?")])
    ingest_paths(warehouse, [path])
    assert len(rows(warehouse, "nba_raw.history_injuries", path, "player_name")) == 1
    write(path, SNAPSHOT_HEADER, [line(SNAPSHOT_HEADER, SNAPSHOT_ROW)])
    report = ingest_paths(warehouse, [path])
    assert report.files[0].format == "odds_player_snapshot"
    assert rows(warehouse, "nba_raw.history_injuries", path, "player_name") == []
    assert rows(warehouse, "nba_raw.quarantine", path, "line_number", order="line_number") == []
    assert len(rows(warehouse, "nba_raw.history_prop_lines", path, "player_name")) == 1
