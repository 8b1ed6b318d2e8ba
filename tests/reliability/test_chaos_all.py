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
# Scenarios that miss their targets today, and why (see the closing note of issue 11): none.
KNOWN_MISSES: set[str] = set()

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
    found: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == (0 if found["ok"] else 1), done.stderr
    found["returncode"] = done.returncode
    return found


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


def test_every_recovered_scenario_recovers_within_the_time_to_recovery_target(report: dict[str, Any]) -> None:
    # stuck_running too: its 3 h stall is cut off at the processor's own deadline, not waited out.
    quick = {s["name"]: s["mttr_minutes"] for s in report["scenarios"]
             if s["recoverable"] and s["recovered"] and s["mttr_minutes"] is not None}
    assert "stuck_running" in quick
    assert max(quick.values()) <= report["targets"]["mttr_p95_minutes_max"], quick


def test_a_day_long_outage_of_the_primary_is_served_by_the_fallback_without_an_incident(
    report: dict[str, Any],
) -> None:
    # The box scores the primary could not serve came from the fallback at their first attempt: nothing
    # failed, so nothing waited and no incident opened; the rows name the fallback, their numbers the same.
    outage = next(s for s in report["scenarios"] if s["name"] == "boxscores_down_a_day")
    assert outage["recovered"] and outage["identical"] and outage["alerts"] == {}, outage
    assert outage["fallback_rows"] > 0 and outage["diagnoses"] == [] and outage["mttr_minutes"] is None, outage
    assert all(s["fallback_rows"] == 0 for s in report["scenarios"] if s["name"] != "boxscores_down_a_day")


def test_every_target_is_met_and_the_report_is_ok(report: dict[str, Any]) -> None:
    targets = report["targets"]
    assert targets["missed"] == [] and targets["recovery_rate"] == 1.0
    assert targets["mttr_p95_minutes"] <= targets["mttr_p95_minutes_max"] and report["ok"], targets
    assert report["returncode"] == 0


def test_recoveries_by_remediation_leave_their_audit_rows(report: dict[str, Any]) -> None:
    remediation = {s["name"]: s["remediation"] for s in report["scenarios"]}
    assert remediation["stuck_running"] == ["requeue_stuck ml_feature_store: success"]
    assert remediation["warehouse_write_errors"] == ["retrigger_phase player_daily_cache: success"]
