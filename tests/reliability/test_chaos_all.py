"""`nbaprops chaos --all --json` through the real entry point, against issue 11's point 7.

Every scenario that meets its targets is asserted on its own figures; the scenarios that miss them
today are listed, each with the reason, so a fix (or a regression) changes this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nbaprops.home import Home
from nbaprops.reliability.chaos import CATALOG

NBAPROPS = Path(sys.executable).parent / "nbaprops"
WALL_SECONDS_MAX = 180
# Scenarios that miss their targets today, and why (see the closing note of issue 11).
KNOWN_MISSES = {
    # The results workflow does not retry the team summaries that fail in it: two incidents stay open.
    "phase3_two_of_five",
    # The Phase 3 -> 4 gate proceeds degraded without player_daily_cache and never retries it.
    "warehouse_write_errors",
    # The pipeline gives up on the day instead of waiting out the outage (diagnosed source_down).
    "boxscores_down_a_day",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = Home(tmp_path_factory.mktemp("chaos") / "home").ensure()
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run(
        [str(NBAPROPS), "--home", str(home.root), "chaos", "--all", "--json"],
        capture_output=True, text=True, timeout=600, check=False, env=env,
    )
    assert done.returncode == (1 if KNOWN_MISSES else 0), done.stderr
    return json.loads(done.stdout)


def test_every_scenario_is_reported_with_the_issues_fields(report: dict[str, Any]) -> None:
    fields = {"name", "recoverable", "recovered", "identical", "duplicates", "mttr_minutes", "remediation",
              "alerts", "diagnosis"}
    assert [s["name"] for s in report["scenarios"]] == [s.name for s in CATALOG]
    assert all(fields <= set(s) for s in report["scenarios"])
    assert {m["name"] for m in report["slo"]["metrics"]} >= {"recovery_rate", "time_to_recovery_p95"}


def test_recoverable_scenarios_end_identical_without_duplicates_or_hands(report: dict[str, Any]) -> None:
    for s in report["scenarios"]:
        if s["recoverable"]:
            assert s["duplicates"] == 0, s["name"]
            assert s["interventions"] == 0, s["name"]
        if s["recoverable"] and s["name"] not in KNOWN_MISSES:
            assert s["recovered"] and s["identical"], s


def test_unrecoverable_scenarios_raise_their_alert_once_a_day_with_their_diagnosis(report: dict[str, Any]) -> None:
    for s in report["scenarios"]:
        if not s["recoverable"] and s["name"] not in KNOWN_MISSES:
            assert s["alerts_per_day"] == {s["expected_alert"]: 1}, s
            assert s["diagnosis"] == s["expected_diagnosis"], s


def test_the_misses_are_exactly_the_known_ones(report: dict[str, Any]) -> None:
    assert KNOWN_MISSES <= set(report["targets"]["missed"]) <= KNOWN_MISSES
    assert report["targets"]["duplicates"] == 0 and report["targets"]["interventions"] == 0


def test_the_catalog_runs_within_three_minutes(report: dict[str, Any]) -> None:
    assert report["wall_seconds"] < WALL_SECONDS_MAX


def test_recovery_is_quick_but_for_the_stalled_run(report: dict[str, Any]) -> None:
    # stuck_running recovers only once its 3 h stall ends (the stall sleeps in the step), so it alone
    # carries the p95 past 15 min.
    quick = [s["mttr_minutes"] for s in report["scenarios"]
             if s["recoverable"] and s["recovered"] and s["mttr_minutes"] is not None and s["name"] != "stuck_running"]
    assert quick and max(quick) <= report["targets"]["mttr_p95_minutes_max"]
