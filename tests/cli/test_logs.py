"""Log records go to <home>/logs/nbaprops.log, never to the terminal unless --verbose asks for them."""

from __future__ import annotations

import logging
import re
import subprocess
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from tests.cli.sim_cli import NBAPROPS, cli

from nbaprops.cli.logs import configure_logging
from nbaprops.home import Home

# A log record as a handler prints it: DBOS's console format "[ WARNING] (dbos:_sys_db.py:1429)", ours
# "... 1234 WARNING dbos: ...", or Python's last resort, which prints the bare message.
RAW_RECORD = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b|\(dbos:|Workflow already exists")


def test_two_concurrent_backfills_keep_log_records_off_the_terminal(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    dates = league_file[1]
    command = [str(NBAPROPS), "--home", str(cli_home.root), "backfill", "--start", dates[0], "--end", dates[-1]]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for out, err in outputs:
        assert not RAW_RECORD.search(out + err), out + err
    # A process that hands its backfill over (when the two overlap, which the scheduler decides)
    # and `workflows list` talk to the system database through a DBOS client, which logs as it
    # connects; every process appends to the one log file of the home, none to the terminal.
    listed = cli(cli_home, "workflows", "list", "--json")
    assert listed.returncode == 0 and not RAW_RECORD.search(listed.stderr), listed.stderr
    records = cli_home.log_path.read_text(encoding="utf-8").splitlines()
    assert any(" dbos: " in record for record in records), records


def test_verbose_prints_the_records_too(cli_home: Home, league_file: tuple[Path, list[str]]) -> None:
    day = league_file[1][2]  # the first days have lines but too little history: not complete, exit 1
    assert cli(cli_home, "run", "--date", day, "--json").returncode == 0
    quiet = cli(cli_home, "workflows", "list", "--json")
    assert quiet.returncode == 0 and not RAW_RECORD.search(quiet.stderr), quiet.stderr
    verbose = cli(cli_home, "--verbose", "workflows", "list", "--json")
    assert verbose.returncode == 0
    assert re.search(r"^\S+ \S+ \d+ INFO dbos: ", verbose.stderr, re.MULTILINE), verbose.stderr
    assert verbose.stdout == quiet.stdout


def test_records_go_to_the_file_and_to_stderr_only_when_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_path = tmp_path / "home" / "logs" / "nbaprops.log"
    configure_logging(log_path, verbose=False)
    assert not log_path.parent.exists()  # nothing logged, nothing created
    logging.getLogger("some.library").warning("disk is %s", "full")
    configure_logging(log_path, verbose=True)
    logging.getLogger("some.library").info("retrying")
    logging.getLogger("some.library").debug("not at INFO")
    assert capsys.readouterr().err.splitlines()[-1].endswith("INFO some.library: retrying")
    text = log_path.read_text(encoding="utf-8")
    assert [line.split(" ", 3)[3] for line in text.splitlines()] == [
        "WARNING some.library: disk is full",
        "INFO some.library: retrying",
    ]
    assert len([h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]) == 1
