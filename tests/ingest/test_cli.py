"""`nbaprops ingest` through its real entry points (kept here, beside the ingest it drives)."""

import json
import subprocess
import sys
from pathlib import Path

from tests.ingest.samples import (
    PLAYER_LOG_HEADER,
    PLAYER_LOG_ROW,
    SNAPSHOT_HEADER,
    SNAPSHOT_ROW,
    line,
    write,
)
from typer.testing import CliRunner

from nbaprops.cli.main import app

NBAPROPS = Path(sys.executable).parent / "nbaprops"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    write(folder / "logs.csv", PLAYER_LOG_HEADER, [
        line(PLAYER_LOG_HEADER, PLAYER_LOG_ROW, player="Jalen Brunson", matchup="NYK @ UTA")])
    write(folder / "props.csv.gz", SNAPSHOT_HEADER, [
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW),
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, player="Zaccharie Risacher"),
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, over_odds="12"),
    ])
    return folder


def test_json_report_and_exit_code_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "home"), "ingest", str(_folder(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(f["format"], f["status"], f["rows_loaded"], f["rows_quarantined"], f["match_rate"],
             f["unmatched_players"], f["error"]) for f in report["files"]] == [
        ("player_game_log", "loaded", 1, 0, None, [], None),
        ("odds_player_snapshot", "loaded", 2, 1, 0.5, ["Zaccharie Risacher"], None),
    ]
    assert report["totals"] == {"files": 2, "loaded": 2, "unchanged": 0, "failed": 0,
                                "rows_loaded": 3, "rows_quarantined": 1}


def test_human_report_lists_files_and_unmatched_players(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "home"), "ingest", str(_folder(tmp_path))],
        env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Ingested files (under " in result.stdout
    assert "props.csv.gz" in result.stdout
    assert "50.00%" in result.stdout
    assert "Zaccharie Risacher" in result.stdout
    assert "2 file(s): 2 loaded, 0 unchanged, 0 failed; 3 rows loaded, 1 quarantined." in (
        result.stdout.replace("\n", " "))


def test_console_script_exits_one_when_a_file_failed(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "bad.csv").write_text("a,b\n1,2\n")
    home = tmp_path / "home"
    command = [str(NBAPROPS), "--home", str(home), "ingest", str(folder), "--json"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert first.returncode == 1, first.stderr
    statuses = {Path(f["path"]).name: f["status"] for f in json.loads(first.stdout)["files"]}
    assert statuses == {"bad.csv": "failed", "logs.csv": "loaded", "props.csv.gz": "loaded"}
    (folder / "bad.csv").unlink()
    second = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert second.returncode == 0, second.stderr
    assert [f["status"] for f in json.loads(second.stdout)["files"]] == ["unchanged"] * 2
