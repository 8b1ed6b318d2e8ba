"""`nbaprops picks` on a home whose synthetic league was walked forward: the table, the JSON keys a
bettor's tools read, CSV, and the exit codes (in-process for speed; the usage errors' exit 2 through the
entry point is in test_usage_errors)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.cli.sim_cli import CONFIG
from typer.testing import CliRunner, Result

from nbaprops.backtest.runner import Walk
from nbaprops.cli import main
from nbaprops.config import load_settings
from nbaprops.errors import UsageError
from nbaprops.home import Home
from nbaprops.pipeline.plan import daily_plan, final_results_plan
from nbaprops.sources.replay import ReplaySource
from nbaprops.state import PICK_CSV_COLUMNS as CSV_COLUMNS
from nbaprops.warehouse import Warehouse

# Picks need a record: two graded days suffice here, and any positive expected value.
PICKS_CONFIG = CONFIG + "\n[picks]\nevidence_min_days = 2\nmin_expected_value = 0.0\n"
PICK_KEYS = {"player", "market", "line", "side", "bookmaker", "price", "p", "fair_p", "edge", "ev", "stake"}


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory, league_file: tuple[Path, list[str]]) -> tuple[Path, list[str]]:
    """The league's warehouse with every day predicted and graded, as a daily run would leave it."""
    path = tmp_path_factory.mktemp("picks") / "warehouse.duckdb"
    shutil.copyfile(league_file[0], path)
    home = Home(path.parent / "config-home").ensure()
    home.config_path.write_text(PICKS_CONFIG)
    settings = load_settings(home.config_path)
    dates = [date.fromisoformat(d) for d in league_file[1]]
    with Warehouse.open(path) as warehouse:
        Walk(warehouse=warehouse, source=ReplaySource(warehouse, settings.replay), settings=settings,
             markets=tuple(settings.predictions.markets)).run(
            dates, plan=daily_plan(), results_plan=final_results_plan(), run_id_prefix="daily")
    return path, league_file[1]


def picks(home: Home, *args: str) -> Result:
    return CliRunner().invoke(main.app, ["--home", str(home.root), "picks", *args], env={"COLUMNS": "250"})


@pytest.fixture
def home(tmp_path: Path, walked: tuple[Path, list[str]]) -> Home:
    home = Home(tmp_path / "home").ensure()
    shutil.copyfile(walked[0], home.warehouse_path)
    home.config_path.write_text(PICKS_CONFIG)
    return home


def test_json_gives_one_object_per_prediction_with_the_keys_a_bettor_reads(
    home: Home, walked: tuple[Path, list[str]]
) -> None:
    day = walked[1][-1]
    done = picks(home, "--date", day, "--all", "--json")
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    assert document["game_date"] == day and document["system_id"] == "champion" and document["problem"] is None
    assert document["picks"] and len(document["picks"]) == document["predictions"]
    assert {pick["system_id"] for pick in document["picks"]} == {"ensemble"}  # the champion; the rest are shadows
    for pick in document["picks"]:
        assert set(pick) >= PICK_KEYS
        assert pick["side"] in ("OVER", "UNDER", "PASS", "NO_LINE")
        assert (pick["pass_reason"] is None) == (pick["side"] in ("OVER", "UNDER"))
        assert (pick["stake"] > 0) == (pick["side"] in ("OVER", "UNDER"))
    only_bets = json.loads(picks(home, "--date", day, "--json").stdout)["picks"]
    assert only_bets == [pick for pick in document["picks"] if pick["side"] in ("OVER", "UNDER")]


def test_the_table_lists_the_columns_and_the_reasons_with_all(home: Home, walked: tuple[Path, list[str]]) -> None:
    day = walked[1][-1]
    done = picks(home, "--date", day, "--all")
    assert done.exit_code == 0, done.output
    text = done.stdout
    assert f"Picks {day} (champion)" in text
    for column in ("player", "team", "market", "line", "side", "book", "price", "fair p", "edge", "EV", "stake",
                   "why not"):
        assert column in text
    assert "low_ev" in text or "no_evidence" in text


def test_csv_has_a_header_and_a_row_per_pick(home: Home, walked: tuple[Path, list[str]]) -> None:
    day = walked[1][-1]
    done = picks(home, "--date", day, "--all", "--csv")
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    document = json.loads(picks(home, "--date", day, "--all", "--json").stdout)
    assert len(lines) - 1 == len(document["picks"])


def test_a_date_without_predictions_exits_1_and_names_the_run_command(
    home: Home, walked: tuple[Path, list[str]]
) -> None:
    later = (date.fromisoformat(walked[1][-1]) + timedelta(days=30)).isoformat()
    done = picks(home, "--date", later)
    assert done.exit_code == 1
    assert f"`nbaprops run --date {later}`" in " ".join(done.stdout.split())
    as_json = picks(home, "--date", later, "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["picks"] == []


@pytest.mark.parametrize(("args", "message"), [
    (("--date", "2025-13-01"), "--date"),
    (("--system", "nosuch"), "'nosuch' made no prediction on .*; the day's systems are .*ensemble"),
])
def test_usage_errors_name_the_option(home: Home, walked: tuple[Path, list[str]], args: tuple[str, ...],
                                      message: str) -> None:
    done = picks(home, "--date", walked[1][-1], *args)
    assert isinstance(done.exception, UsageError)
    assert re.search(message, str(done.exception))
