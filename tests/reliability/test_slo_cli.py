"""`nbaprops slo` through the real entry point: every target met exits 0, one missed exits 1."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from tests.cli.sim_cli import cli

from nbaprops.home import Home
from nbaprops.orchestration.store import PhaseCompletion, record_phase
from nbaprops.reliability.incidents import Failure, IncidentStore, Recovery
from nbaprops.warehouse import Warehouse

DAY = date(2024, 11, 12)
T0 = datetime(2024, 11, 12, 22, 0, tzinfo=UTC)


def fill(home: Home, *, open_incident: bool) -> None:
    with Warehouse.open(home.warehouse_path) as warehouse:
        for phase, start, end in (("phase3", 0, 10), ("phase4", 11, 20)):
            record_phase(warehouse, PhaseCompletion(
                "daily:2024-11-12:same_day:sim", "daily:2024-11-12:same_day:sim", DAY, "same_day", phase, "complete",
                {}, T0 + timedelta(minutes=start), T0 + timedelta(minutes=end), T0, T0,
            ))
        store = IncidentStore(warehouse)
        store.observe(Failure("player_game_summary", "ProcessorError", DAY, "wf#1", T0, T0, workflow_id="wf"))
        store.observe(Recovery("player_game_summary", DAY, T0 + timedelta(minutes=5), workflow_id="wf"))
        if open_incident:
            store.observe(Failure("ml_feature_store", "Timeout", DAY, "wf#2", T0, T0, workflow_id="wf"))


def test_met_targets_exit_0(home: Home) -> None:
    fill(home, open_incident=False)
    done = cli(home, "slo", "--since", "2024-11-01", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["met"] and report["since"] == "2024-11-01" and report["until"] == "2024-11-12"
    metrics = {m["name"]: m for m in report["metrics"]}
    assert metrics["recovery_rate"]["value"] == 1.0
    assert metrics["time_to_recovery_p95"]["value"] == 5.0
    assert metrics["phase3_to_phase4_p50"]["value"] == 1.0


def test_a_missed_target_exits_1_and_names_it(home: Home) -> None:
    fill(home, open_incident=True)
    done = cli(home, "slo")
    assert done.returncode == 1, done.stderr
    assert "recovery_rate" in done.stdout and "MISSED" in done.stdout
    assert "Missed: recovery_rate, recovered_within_target." in done.stdout
