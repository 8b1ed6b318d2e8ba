"""Real processes through the real entry point: a kill during a durable wait, two commands at
once, a command handing its work to the worker."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.orchestration.conftest import League, with_history

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse

NBAPROPS = str(Path(sys.executable).parent / "nbaprops")
CONFIG = """
[predictions]
markets = ["points", "threes"]
min_history_games = 2

[orchestration.completeness_retry]
initial_delay_minutes = {delay_minutes}

[orchestration.worker]
schedules = []
poll_interval_seconds = 0.3
"""

pytestmark = pytest.mark.slow


@pytest.fixture
def cli_home(league_home: Home, league: League) -> Home:
    """The league's home with the history of its first three days built, as `run` would."""
    league_home.config_path.write_text(
        CONFIG.format(delay_minutes=0.05)
    )  # retries wait 3 s, then 6 s
    with_history(league_home, load_settings(league_home.config_path), league.game_dates[3])
    return league_home


def command(home: Home, *args: str) -> list[str]:
    return [NBAPROPS, "--home", str(home.root), *args]


def start(home: Home, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(home, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def wait_for_line(
    process: subprocess.Popen[str], needle: str, *, timeout_seconds: float = 30
) -> list[str]:
    """Read stderr lines until one contains `needle`; returns the lines read."""
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"{needle!r} never appeared on stderr: {''.join(lines)}")


def history(home: Home) -> list[dict[str, Any]]:
    """The processor runs of the test's commands (not of the history built beforehand)."""
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(
            "SELECT processor, game_date, run_id, attempt, status FROM "
            "nba_orchestration.processor_run_history WHERE run_id NOT LIKE 'history:%' "
            "ORDER BY started_at, processor"
        )


def test_a_run_killed_during_its_retry_wait_resumes_without_repeating_finished_steps(
    cli_home: Home, league: League
) -> None:
    game_date = str(league.game_dates[3])
    args = (
        "run",
        "--date",
        game_date,
        "--source",
        "sim",
        "--clock",
        "live",
        "--json",
        "--inject",
        "processor:player_daily_cache=partial:0.2:1",
    )
    first = start(cli_home, *args)
    wait_for_line(first, "waiting 3 s")
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    before = history(cli_home)
    assert [
        (r["attempt"], r["status"]) for r in before if r["processor"] == "player_daily_cache"
    ] == [(1, "partial")]

    second = subprocess.run(command(cli_home, *args), capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert (report["workflow_id"], report["status"]) == (
        f"daily:{game_date}:same_day:sim",
        "complete",
    )

    after = history(cli_home)
    assert after[: len(before)] == before  # nothing that finished before the kill ran again
    successes: dict[str, int] = {}
    for row in after:
        successes[row["processor"]] = successes.get(row["processor"], 0) + (
            row["status"] == "success"
        )
    # The features built from the partial cache were built again after its retry.
    assert successes.pop("ml_feature_store") == 2
    assert set(successes.values()) == {1} and len(successes) == 13
    assert [
        (r["attempt"], r["status"]) for r in after if r["processor"] == "player_daily_cache"
    ] == [(1, "partial"), (2, "success")]


def test_kill_after_step_stops_the_process_and_the_same_command_resumes(
    cli_home: Home, league: League
) -> None:
    args = ("run", "--date", str(league.game_dates[3]), "--source", "sim", "--json")
    killed = subprocess.run(
        command(cli_home, *args, "--inject", "kill:after_step=4"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == 137, killed.stderr
    assert "Killed after step 4 (processor:nbac_injury_report:" in killed.stderr
    assert killed.stdout == ""
    # Step 1 planned the day; steps 2 to 4 ran the first three Phase 2 feeds.
    assert {r["processor"] for r in history(cli_home)} == {
        "nbac_schedule",
        "odds_player_props",
        "nbac_injury_report",
    }
    resumed = subprocess.run(command(cli_home, *args), capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "complete"
    keys = [(r["processor"], r["attempt"]) for r in history(cli_home)]
    assert len(keys) == len(set(keys)) == 14


def test_two_commands_starting_the_same_day_at_once_run_it_once(
    cli_home: Home, league: League
) -> None:
    args = (
        "run",
        "--date",
        str(league.game_dates[3]),
        "--source",
        "sim",
        "--clock",
        "live",
        "--json",
        "--inject",
        "processor:player_daily_cache=partial:0.2:1",
    )
    processes = [start(cli_home, *args) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    reports = [json.loads(stdout) for stdout, _ in outputs]
    assert reports[0]["workflow_id"] == reports[1]["workflow_id"]
    assert {report["status"] for report in reports} == {"complete"}
    keys = [(r["processor"], r["game_date"], r["attempt"]) for r in history(cli_home)]
    # 14 processors, one retried once and the one built from it again
    assert len(keys) == len(set(keys)) == 16
    assert all("Traceback" not in stderr for _, stderr in outputs)


def test_a_command_hands_its_work_to_the_running_worker(cli_home: Home, league: League) -> None:
    worker = start(cli_home, "worker")
    try:
        wait_for_line(worker, "Worker started")
        game_date = str(league.game_dates[2])
        run = subprocess.run(
            command(cli_home, "run", "--date", game_date, "--source", "sim", "--json"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["status"] == "complete"
        assert (
            "is executing work on" in run.stderr
            and f"handed daily:{game_date}:same_day:sim to it" in run.stderr
        )
        time.sleep(3)  # the idle worker lets go of the warehouse, so other commands can read it
        status = subprocess.run(
            command(cli_home, "status", "--date", game_date, "--json"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert status.returncode == 0, status.stderr
        assert {g["decision"] for g in json.loads(status.stdout)["gates"]} == {"proceed"}
    finally:
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=30)
    assert worker.returncode == 0, stderr
    assert "Received SIGTERM; stopping after the current step." in stderr


def test_shared_config_is_valid_toml(cli_home: Home) -> None:
    shown = subprocess.run(
        command(cli_home, "config", "show", "--json"), capture_output=True, text=True
    )
    assert (
        json.loads(shown.stdout)["orchestration"]["completeness_retry"]["initial_delay_minutes"]
        == 0.05
    )
    assert shutil.which(NBAPROPS) is not None
