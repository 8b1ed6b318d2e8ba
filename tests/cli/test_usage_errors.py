"""Every command's usage errors: exit 2 with one line naming the option, through the console-script entry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli.sim_cli import NBAPROPS

from nbaprops.cli.main import run

# command line ({home}: a fresh home, {file}: a plain file, {folder}: a folder) -> the message's start
ONE_LINE = {
    "home is a file": ("--home {file} config show", "error: --home (or NBAPROPS_HOME) {file} cannot be a home: {file} "
                       "is a file, not a folder. Pass a folder (it is created if missing)."),
    "home under a file": ("--home {file}/sub db migrate", "error: --home (or NBAPROPS_HOME) {file}/sub cannot be a "
                          "home: {file} is a file, not a folder."),
    "run --date": ("run --date 10/23/2024",
                   "error: --date '10/23/2024' is not a date; use YYYY-MM-DD, e.g. 2025-01-15."),
    "run --clock": ("run --date 2024-10-23 --clock sideways", "error: --clock 'sideways' is not one of virtual, live."),
    "run --inject": ("run --date 2024-10-23 --inject processor:nope=fail",
                     "error: --inject: Unknown processor 'nope' in 'processor:nope=fail'; use one of nbac_schedule, "),
    "backfill --start": ("backfill --start 2024-10-xx --end 2024-10-30", "error: --start '2024-10-xx' is not a date"),
    "backfill --end": ("backfill --start 2024-10-23 --end soon", "error: --end 'soon' is not a date"),
    "backfill reversed": ("backfill --start 2024-10-30 --end 2024-10-23", "error: --start/--end: The backfill ends "
                          "(2024-10-23) before it starts (2024-10-30); pass --start on or before --end."),
    "backfill --inject": ("backfill --start 2024-10-23 --end 2024-10-24 --inject kill:soon",
                          "error: --inject: Cannot read fault spec 'kill:soon'"),
    "status --date": ("status --date 2024-02-30", "error: --date '2024-02-30' is not a date"),
    "chaos --data": ("chaos --data --all", "error: --data replays the season ingested into {home}/warehouse.duckdb, "
                     "which does not exist: run nbaprops ingest ../shared/data/2024-25 first."),
    "picks --date": ("picks --date 2025-13-01", "error: --date '2025-13-01' is not a date"),
    "picks --json --csv": ("picks --date 2025-01-10 --json --csv",
                           "error: --json and --csv print different documents; give one of them."),
    "demo --inject": ("demo --inject deliver:twice", "error: --inject: Unknown delivery fault 'twice'"),
    "backtest --market": ("backtest --data {folder} --market steals",
                          "error: --market 'steals' is not one of points, rebounds, assists, threes, pra."),
    "backtest --start": ("backtest --data {folder} --market points --start 1/1/25", "error: --start '1/1/25' is not"),
    "health --date": ("health --date 10/01/2025", "error: --date '10/01/2025' is not a date"),
    "health --as-of": ("health --as-of yesterday", "error: --as-of 'yesterday' is not a date and time"),
    "usage --since": ("usage --since last-week", "error: --since 'last-week' is not a date"),
    "health --notify --as-of": ("health --notify --as-of 2025-01-10T12:00",
                                "error: --notify sends what is wrong now and cannot be combined with --as-of"),
    "investigate grading --date": ("investigate grading --date 2025-13-01", "error: --date '2025-13-01' is not a"),
    "alerts silence matcher": ("alerts silence na_me~x", "error: MATCHERS: Matcher 'na_me~x' is not valid"),
    "alerts silence --for": ("alerts silence x --for 2q", "error: --for: Duration '2q' is not valid"),
    "events watch --date": ("events watch --date tomorrow", "error: --date 'tomorrow' is not a date"),
    "events watch --as-of": ("events watch --date 2024-11-04 --as-of soon", "error: --as-of 'soon' is not a date"),
    "events list --date": ("events list --date 2024/11/04", "error: --date '2024/11/04' is not a date"),
    "workflows list --status": ("workflows list --status done", "error: --status 'done' is not one of PENDING, "
                                "ENQUEUED, DELAYED, SUCCESS, ERROR, CANCELLED, MAX_RECOVERY_ATTEMPTS_EXCEEDED."),
}

# Values typer checks from the option's declared type; its usage text ends in this line.
DECLARED = {
    "run --mode": ("run --date 2024-10-23 --mode nightly", "Invalid value for '--mode'"),
    "backfill --source": ("backfill --start 2024-10-23 --end 2024-10-24 --source web", "Invalid value for '--source'"),
    "demo --days": ("demo --days 0", "Invalid value for '--days'"),
    "backtest --data": ("backtest --data {home}/none --market points", "Invalid value for '--data'"),
    "investigate --history-days": ("investigate grading --date 2025-01-15 --history-days 0",
                                   "Invalid value for '--history-days'"),
    "workflows list --limit": ("workflows list --limit 0", "Invalid value for '--limit'"),
    "audit-deps PATH": ("audit-deps {home}/none", "Invalid value for 'PATH'"),
    "quarantine list --limit": ("quarantine list --limit -1", "Invalid value for '--limit'"),
    "unknown option": ("status --day 2025-01-15", "No such option: --day"),
}


def _nbaprops(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, dict[str, str]]:
    places = {"home": str(tmp_path / "home"), "file": str(tmp_path / "plain.txt"), "folder": str(tmp_path)}
    Path(places["file"]).write_text("not a folder\n", encoding="utf-8")
    args = command.format(**places).split()
    home = [] if args[0] == "--home" else ["--home", places["home"]]
    monkeypatch.setattr(sys, "argv", ["nbaprops", *home, *args])
    with pytest.raises(SystemExit) as exited:
        run()
    captured = capsys.readouterr()
    assert captured.out == ""
    return int(exited.value.code or 0), captured.err, places


@pytest.mark.parametrize(("command", "message"), ONE_LINE.values(), ids=ONE_LINE.keys())
def test_a_bad_value_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, message: str
) -> None:
    code, err, places = _nbaprops(command, tmp_path, monkeypatch, capsys)
    assert code == 2, err
    assert err.startswith(message.format(**places)), err
    assert err.count("\n") == 1, err


@pytest.mark.parametrize(("command", "message"), DECLARED.values(), ids=DECLARED.keys())
def test_a_value_against_the_declared_type_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, message: str
) -> None:
    code, err, _ = _nbaprops(command, tmp_path, monkeypatch, capsys)
    assert code == 2, err
    assert message in err.splitlines()[-1], err
    assert "Traceback" not in err


def test_a_home_that_is_a_file_exits_2_from_the_installed_script(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("not a folder\n", encoding="utf-8")
    done = subprocess.run([str(NBAPROPS), "--home", str(plain), "db", "migrate"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr == (f"error: --home (or NBAPROPS_HOME) {plain} cannot be a home: {plain} is a file, not a "
                           "folder. Pass a folder (it is created if missing).\n")
