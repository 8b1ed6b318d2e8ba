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


def test_report_lists_quarantined_lines_first_few_in_text_all_in_json(tmp_path: Path) -> None:
    path = write(tmp_path / "props.csv", SNAPSHOT_HEADER + ",sport_key", [
        line(SNAPSHOT_HEADER, SNAPSHOT_ROW, line=f"x{n}") + ",nba" for n in range(7)])
    args = ["--home", str(tmp_path / "home"), "ingest", str(path)]
    text = CliRunner().invoke(app, args, env={"COLUMNS": "200"}).stdout
    assert "Quarantined in props.csv: 5 of 7" in text
    assert "(`nbaprops quarantine list --file props.csv` or --json lists all)" in text
    assert "line 'x4' is not a number" in text
    assert "line 'x5'" not in text
    assert "props.csv: extra columns ignored: sport_key" in text
    path.write_text(path.read_text() + "\n")  # changed bytes: loaded again, not unchanged
    report = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)["files"][0]
    assert report["quarantined"] == [
        {"line": n + 2, "field": "line", "reason": f"line 'x{n}' is not a number"}
        for n in range(7)]
    assert (report["extra_columns"], report["derived_columns"]) == (["sport_key"], [])


def test_a_path_that_does_not_exist_creates_no_warehouse(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = subprocess.run(
        [str(NBAPROPS), "--home", str(home), "ingest", str(tmp_path / "gone.csv"),
         str(tmp_path / "gone_folder")], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stderr
    assert not home.exists()
    assert f"failed gone.csv: {tmp_path / 'gone.csv'} does not exist; check the path." in (
        " ".join(result.stdout.split()))


def test_a_file_with_a_header_and_no_rows_fails_as_no_rows(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    write(folder / "header_only.csv", SNAPSHOT_HEADER, [])
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "home"), "ingest", str(folder), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["status"]) for f in report["files"]] == [
        ("header_only.csv", "no rows"), ("logs.csv", "loaded"), ("props.csv.gz", "loaded")]
    assert report["files"][0]["error"].endswith(
        "header_only.csv has a header and no rows; nothing was loaded from it (check that the "
        "export or download finished).")
    assert report["totals"]["failed"] == 1
    text = CliRunner().invoke(
        app, ["--home", str(tmp_path / "home"), "ingest", str(folder / "header_only.csv")],
        env={"COLUMNS": "200"}).stdout
    assert "no rows header_only.csv: " in text
    assert "1 file(s): 0 loaded, 0 unchanged, 1 failed" in text
