"""What nba_raw.quarantine holds, asked through `held_lines` and `nbaprops quarantine list`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ingest.samples import (
    INJURY_HEADER,
    INJURY_ROW,
    SNAPSHOT_HEADER,
    SNAPSHOT_ROW,
    line,
    write,
)
from typer.testing import CliRunner

from nbaprops.cli.main import app
from nbaprops.ingest import files_matching, held_lines, ingest_paths
from nbaprops.warehouse import Warehouse

NBAPROPS = Path(sys.executable).parent / "nbaprops"
KEYS = ["/data/2023-24/team_game_logs.csv.gz", "/data/2024-25/team_game_logs.csv.gz",
        "/data/2024-25/props/pra.csv", "/other/pra.csv"]

MATCHING = [
    # wanted                              resolved                 files
    ("/data/2024-25/props/pra.csv", "/data/2024-25/props/pra.csv", ["/data/2024-25/props/pra.csv"]),
    ("props/pra.csv", "/data/2024-25/props/pra.csv", ["/data/2024-25/props/pra.csv"]),  # relative
    ("/data/2024-25", "/data/2024-25", [KEYS[2], KEYS[1]]),  # a folder: the files under it
    ("pra.csv", "/cwd/pra.csv", ["/data/2024-25/props/pra.csv", "/other/pra.csv"]),  # a basename
    ("2024-25/team_game_logs", "/cwd/2024-25/team_game_logs", [KEYS[1]]),  # a tail
    ("team_game_logs", "/cwd/team_game_logs", KEYS[:2]),
    ("/data/2024-2", "/data/2024-2", [KEYS[2], KEYS[1]]),  # no such folder: text matches
    ("nothing", "/cwd/nothing", []),
]


@pytest.mark.parametrize(("wanted", "resolved", "expected"), MATCHING)
def test_files_matching(wanted: str, resolved: str, expected: list[str]) -> None:
    assert files_matching(KEYS, wanted, resolved=Path(resolved)) == expected


def _data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    write(folder / "b_props.csv.gz", SNAPSHOT_HEADER, [
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, over_odds="12"),
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW),
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, game="Knicks vs Jazz"),
        "a,b",
    ])
    write(folder / "a_injuries.csv", INJURY_HEADER, [
        line(INJURY_HEADER, INJURY_ROW, status="gone"), line(INJURY_HEADER, INJURY_ROW)])
    write(folder / "clean.csv", INJURY_HEADER, [line(INJURY_HEADER, INJURY_ROW)])
    return folder


def test_held_lines_by_file_and_line_with_a_limit(warehouse: Warehouse, tmp_path: Path) -> None:
    folder = _data(tmp_path)
    ingest_paths(warehouse, [folder])
    props, injuries = str(folder / "b_props.csv.gz"), str(folder / "a_injuries.csv")
    held = held_lines(warehouse)
    assert held.held_per_file == {injuries: 1, props: 3}
    assert [(q.path, q.line_number, q.field) for q in held.lines] == [
        (injuries, 2, "status"), (props, 2, "over_odds"), (props, 4, "game"), (props, 5, None)]
    assert held.lines[1].reason == (
        "over_odds '12' is not valid American odds (|price| must be 100 to 1,000,000)")
    assert held.lines[3].raw_line == "a,b"
    assert held.files_ingested == 3
    first = held_lines(warehouse, limit=2)
    assert (first.total, first.lines) == (4, held.lines[:2])
    only = held_lines(warehouse, wanted="props", resolved=tmp_path / "props")
    assert (only.held_per_file, len(only.lines)) == ({props: 3}, 3)
    clean = held_lines(warehouse, wanted="clean.csv", resolved=folder / "clean.csv")
    assert (clean.held_per_file, clean.lines, clean.files_ingested) == ({}, [], 1)


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NBAPROPS), "--home", str(home), *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_quarantine_list_through_the_console_script(tmp_path: Path) -> None:
    folder, home = _data(tmp_path), tmp_path / "home"
    assert _run(home, "ingest", str(folder), "--json").returncode == 0
    listed = _run(home, "quarantine", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert (data["file"], data["total"], data["shown"]) == (None, 4, 4)
    assert [(Path(f["path"]).name, f["lines"]) for f in data["files"]] == [
        ("a_injuries.csv", 1), ("b_props.csv.gz", 3)]
    assert data["lines"][0] == {
        "path": str(folder / "a_injuries.csv"), "line": 2, "format": "injury_report",
        "field": "status", "reason": (
            "status 'gone' is not one of out, doubtful, questionable, probable, available"),
        "raw_line": line(INJURY_HEADER, INJURY_ROW, status="gone"),
        "quarantined_utc": data["lines"][0]["quarantined_utc"],
    }
    # the path as typed, relative to where the command runs
    relative = subprocess.run(
        [str(NBAPROPS), "--home", str(home), "quarantine", "list", "--file",
         "data/b_props.csv.gz", "--limit", "1", "--json"],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path)
    data = json.loads(relative.stdout)
    assert (data["total"], data["shown"], data["lines"][0]["field"]) == (3, 1, "over_odds")


def _list(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--home", str(home), "quarantine", "list", *args],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_quarantine_list_for_people(tmp_path: Path) -> None:
    folder, home = _data(tmp_path), tmp_path / "home"
    assert CliRunner().invoke(app, ["--home", str(home), "ingest", str(folder)]).exit_code == 0
    text = _list(home, "--limit", "2")
    assert f"4 quarantined line(s) in 2 file(s) under {folder}." in text
    assert "Quarantined lines, by file and line: 2 of 4 (--limit 0 lists all)" in text
    assert "over_odds '12' is not valid American odds" in text
    assert "game 'Knicks vs Jazz'" not in text
    assert "game 'Knicks vs Jazz' is not 'Away Team @ Home Team'" in _list(home, "--limit", "0")
    assert "1 ingested file(s) match 'clean.csv'; none has quarantined lines." in _list(
        home, "--file", "clean.csv")
    assert "No ingested file matches 'gone.csv'; `nbaprops quarantine list` shows every" in _list(
        home, "--file", "gone.csv")


def test_quarantine_list_of_a_new_home_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert "Nothing has been ingested into this home yet" in _list(home)
    assert json.loads(_list(home, "--json"))["total"] == 0
    assert not home.exists()
