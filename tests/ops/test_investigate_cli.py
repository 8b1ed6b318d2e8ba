"""`nbaprops investigate grading` through the real entry point."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.ops.test_investigate_builder import D, GradingDays, spread
from typer.testing import CliRunner, Result

from nbaprops.cli import main
from nbaprops.cli.investigate_cmd import BREAKDOWN_HEADINGS, exit_code
from nbaprops.home import Home
from nbaprops.ops import GradingVerdict
from nbaprops.ops.investigate import BREAKDOWNS
from nbaprops.warehouse import Warehouse

Build = Callable[[GradingDays], None]


@pytest.fixture(scope="module")
def history_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding the fourteen days before D, built once and copied by each test."""
    path = tmp_path_factory.mktemp("history") / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        GradingDays(warehouse).history(D)
    return path


def _with_history(home: Home, history_file: Path, build: Build) -> None:
    shutil.copyfile(history_file, home.warehouse_path)
    with Warehouse.open(home.warehouse_path) as warehouse:
        build(GradingDays(warehouse))


@pytest.fixture
def investigate(home: Home, history_file: Path) -> Callable[..., Result]:
    """Write D into a copy of the history (closed again before the CLI opens it), then run
    `nbaprops --home HOME investigate grading --date D ARGS`."""

    def run(build: Build | None = None, *args: str) -> Result:
        if build is not None:
            _with_history(home, history_file, build)
        command = ["--home", str(home.root), "investigate", "grading", "--date", str(D), *args]
        return CliRunner().invoke(main.app, command, env={"COLUMNS": "160"})

    return run


def _day(picks: Mapping[str, tuple[int, int]], **options: Any) -> Build:
    return lambda days: days.day(D, picks, **options)


CASES = {
    # name: (build, exit code, verdict)
    "9 of 48 is model drift": (_day(spread(9, 12), passes=1, voids=1), 2, "MODEL_DRIFT"),
    "3 of 12 is variance": (_day(spread(3, 3)), 1, "VARIANCE"),
    "26 of 48 is normal": (_day(spread(26, 12)), 0, "NORMAL"),
    "stale Phase 3 is scheduling": (_day(spread(26, 12), phase3_lead_hours=30), 2, "SCHEDULING"),
    "20 of 100 graded is a regrade": (_day(spread(52, 25), graded=20), 2, "REGRADE"),
    "nothing on the day is no data": (lambda days: None, 1, "NO_DATA"),
}


@pytest.mark.parametrize(("build", "code", "verdict"), CASES.values(), ids=CASES.keys())
def test_json_verdicts_and_exit_codes(
    investigate: Callable[..., Result], build: Build, code: int, verdict: str
) -> None:
    result = investigate(build, "--json")
    assert result.exit_code == code, result.output
    document = json.loads(result.stdout)
    assert document["verdict"] == verdict
    assert {"p_value", "reason", "action", "accuracy", "freshness", "coverage", "breakdowns",
            "latest_runs", "history"} <= document.keys()


def test_the_incident_day_in_json(investigate: Callable[..., Result]) -> None:
    result = investigate(_day(spread(9, 12), passes=1, voids=1), "--json")
    document = json.loads(result.stdout)
    assert document["p_value"] < 0.001
    assert document["accuracy"]["overall"]["day"]["wins"] == 9
    assert document["accuracy"]["overall"]["day_interval"][1] < 0.55
    sides = {row["key"]: row for row in document["breakdowns"]["recommendation"]}
    assert set(sides) == {"OVER", "UNDER", "PASS"}
    assert sides["OVER"]["day"]["wins"] + sides["UNDER"]["day"]["wins"] == 9


def test_one_system_regression_is_named(investigate: Callable[..., Result]) -> None:
    picks = {"gbm": (10, 40), "matchup": (28, 22), "moving_average": (27, 23),
             "similarity": (28, 22)}
    result = investigate(_day(picks), "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert (document["verdict"], document["named_systems"]) == ("SYSTEM_REGRESSION", ["gbm"])


def test_human_report_has_the_sections_and_the_verdict(
    investigate: Callable[..., Result],
) -> None:
    result = investigate(_day(spread(9, 12), passes=1, voids=1))
    assert result.exit_code == 2
    out = result.stdout
    for heading in ("Grading investigation for 2025-01-15", "(a) Accuracy by system",
                    "(b) Data freshness", "(c) Predictions created vs graded",
                    "Latest runs for 2025-01-15", "By side", "By market", "By bookmaker",
                    "By line source"):
        assert heading in out
    assert "9-39" in out and "18.8% (10%-32%)" in out and "REGRESSION" in out
    assert "FRESH: first prediction 2025-01-15 17:00 UTC" in out
    verdict_line = next(line for line in out.splitlines() if line.startswith("Verdict:"))
    assert verdict_line.startswith("Verdict: MODEL_DRIFT. All systems fell together")
    assert "Action: A shared cause is likely" in out


def test_history_days_is_passed_through(investigate: Callable[..., Result]) -> None:
    result = investigate(_day(spread(26, 12)), "--json", "--history-days", "3")
    document = json.loads(result.stdout)
    assert document["history"]["start"] == str(D - timedelta(days=3))
    assert document["accuracy"]["overall"]["history"]["wins"] + \
        document["accuracy"]["overall"]["history"]["losses"] == 3 * 48


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2025-13-01"],
         "error: --date '2025-13-01' is not a date; use YYYY-MM-DD, e.g. 2025-01-15."),
        (["--date", "2025-01-15", "--history-days", "0"],
         "Error: Invalid value for '--history-days': Input should be greater than or equal to 1"),
    ],
)
def test_bad_options_exit_2_through_the_console_script(
    home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:
    argv = ["nbaprops", "--home", str(home.root), "investigate", "grading", *args]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        main.run()
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().endswith(message)


def test_the_console_script_keeps_the_verdict_exit_code(
    home: Home, history_file: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _with_history(home, history_file, _day(spread(3, 3)))
    argv = ["nbaprops", "--home", str(home.root), "investigate", "grading", "--date", str(D),
            "--json"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exited:
        main.run()
    assert exited.value.code == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "VARIANCE"


EXIT_CODES = {
    GradingVerdict.NORMAL: 0,
    GradingVerdict.VARIANCE: 1,
    GradingVerdict.DEGRADED: 1,
    GradingVerdict.NO_DATA: 1,
    GradingVerdict.REGRADE: 2,
    GradingVerdict.SCHEDULING: 2,
    GradingVerdict.MODEL_DRIFT: 2,
    GradingVerdict.SYSTEM_REGRESSION: 2,
}


def test_every_breakdown_has_a_heading() -> None:
    assert set(BREAKDOWN_HEADINGS) == set(BREAKDOWNS)


def test_every_verdict_has_an_exit_code() -> None:
    assert set(EXIT_CODES) == set(GradingVerdict)
    assert {verdict: exit_code(verdict) for verdict in GradingVerdict} == EXIT_CODES
