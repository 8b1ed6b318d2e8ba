"""`nbaprops usage` through the real entry point: every processor run of a simulated day, grouped and priced."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from tests.cli.sim_cli import cli

from nbaprops.home import Home


def test_usage_counts_each_recorded_run_once_whatever_the_grouping(
    cli_home: Home, league_file: tuple[Path, list[str]]
) -> None:
    day = league_file[1][2]
    done = cli(cli_home, "run", "--date", day, "--source", "sim", "--mode", "overnight")
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(cli_home.warehouse_path), read_only=True) as connection:
        (runs,) = connection.execute(
            "SELECT count(*) FROM nba_orchestration.processor_run_history WHERE status <> 'running'").fetchone()
        (written,) = connection.execute(
            "SELECT coalesce(sum(records), 0) FROM nba_orchestration.processor_run_history").fetchone()
    reports = {by: json.loads(cli(cli_home, "usage", "--by", by, "--json").stdout)
               for by in ("day", "phase", "processor", "source")}
    for by, report in reports.items():
        assert report["by"] == by and report["total"]["runs"] == runs > 0, by
        assert report["total"] == reports["day"]["total"], by
    # the sim league's rows are served by the replay source over its synthetic files; it sends no request
    assert [(g["key"], g["requests"]) for g in reports["source"]["groups"]] == [("replay", 0)]
    assert reports["processor"]["total"]["rows_written"] >= written > 0
    # The cost is priced on the exact CPU seconds, which the report rounds to 3 decimals: recomputed from
    # the rounded seconds it may differ by those 0.0005 s' price, then by its own rounding to 6 decimals.
    total = reports["day"]["total"]
    assert abs(total["cpu_cost"] - total["cpu_seconds"] / 3600 * 0.04) <= 0.5e-6 + 0.0005 / 3600 * 0.04

    later = json.loads(cli(cli_home, "usage", "--since", "2099-01-01", "--json").stdout)
    assert later["groups"] == [] and later["total"]["runs"] == 0
    text = cli(cli_home, "usage", "--by", "phase")
    assert text.returncode == 0, text.stderr
    assert "Usage by phase" in text.stdout and "phase3" in text.stdout
    assert "Prices ([usage]): CPU hour 0.04" in text.stdout
    assert "No processor run or source request recorded since 2099-01-01." in cli(
        cli_home, "usage", "--since", "2099-01-01").stdout


def test_an_unknown_grouping_is_a_usage_error(cli_home: Home) -> None:
    done = cli(cli_home, "usage", "--by", "week")
    assert done.returncode == 2 and "'week' is not one of" in done.stderr
