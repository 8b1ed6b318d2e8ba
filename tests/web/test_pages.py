"""Each page's numbers: the Predictions page's sums agree with `nbaprops.metrics` row by row, the
Pipeline page says what `status` says, the Today page lists the day's active picks."""

from __future__ import annotations

import json
from datetime import date

import pytest
from tests.cli.sim_cli import cli

from nbaprops.backtest.report import build_report
from nbaprops.home import Home
from nbaprops.state import PICK_CSV_COLUMNS, DayPick, picks_csv
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages.pipeline import pipeline_data
from nbaprops.web.pages.predictions import bankroll_curve, predictions_data, trend
from nbaprops.web.pages.today import today_data


@pytest.fixture
def warehouse(demo_home: Home) -> Warehouse:
    return Warehouse.open(demo_home.warehouse_path, read_only=True, migrate=False)


@pytest.mark.parametrize("market", ["points", "threes"])
def test_each_system_agrees_with_the_backtest_report(warehouse: Warehouse, market: str) -> None:
    with warehouse:
        data = predictions_data(warehouse, market=market, trend_days=7, starting_bankroll_units=100)
        report = build_report(warehouse, market=market, start=date(2000, 1, 1), end=date(2100, 1, 1), game_days=0)
    assert [s["system_id"] for s in data["systems"]] == list(report.systems)
    for shown in data["systems"]:
        result = report.systems[shown["system_id"]]
        picks, versus = result.picks, result.versus_line
        assert (shown["picks"], shown["wins"], shown["losses"]) == (picks.picks, picks.wins, picks.losses)
        assert shown["hit_rate"] == pytest.approx(picks.hit_rate, abs=1e-4)
        assert (shown["hit_rate_low"], shown["hit_rate_high"]) == pytest.approx(picks.hit_rate_interval, abs=1e-4)
        assert shown["roi"] == pytest.approx(picks.roi, abs=1e-4)
        assert shown["mae"] == pytest.approx(versus.mae, abs=1e-4)
        assert shown["line_mae"] == pytest.approx(versus.line_mae, abs=1e-4)
        assert shown["brier"] == pytest.approx(versus.brier, abs=1e-4)
        assert shown["market_brier"] == pytest.approx(versus.market_brier, abs=1e-4)
        bins = {(b.bin_low, b.count) for b in picks.calibration if b.count}
        assert {(b["bin_low"], b["count"]) for b in data["calibration"][shown["system_id"]]} == bins
        curve = data["bankroll"]["curves"][shown["system_id"]]
        assert curve[-1]["bankroll_units"] == pytest.approx(100 + picks.profit_units, abs=1e-4)


def test_the_pipeline_page_says_what_status_says(demo_home: Home) -> None:
    status = json.loads(cli(demo_home, "status", "--json").stdout)
    with Warehouse.open(demo_home.warehouse_path, read_only=True, migrate=False) as warehouse:
        data = pipeline_data(warehouse, game_date=None)
    assert data["game_date"] == status["game_date"] == data["dates"][-1]
    for key in ("processors", "gates", "phases", "retries", "predictions", "graded"):
        assert data[key] == status[key], key
    workflows = {phase["workflow_id"] for phase in data["timeline"]["phases"]}
    assert status["latest_workflow_id"] in workflows
    assert data["next_date"] is None and data["previous_date"] == data["dates"][-2]


def test_the_today_page_holds_what_picks_json_prints(picked_home: Home) -> None:
    with Warehouse.open(picked_home.warehouse_path, read_only=True, migrate=False) as warehouse:
        data = today_data(warehouse, game_date=None, today=date(2100, 1, 1), system_id="ensemble")
    day = data["game_date"]
    shown = json.loads(json.dumps(data))  # as the API serves it
    bets = json.loads(cli(picked_home, "picks", "--date", day, "--json").stdout)
    every = json.loads(cli(picked_home, "picks", "--date", day, "--all", "--json").stdout)
    assert shown["picks"] == bets["picks"] and data["count"] > 0
    assert shown["picks"] + shown["passes"] == every["picks"] and data["pass_count"] > 0
    assert (data["predictions"], data["problem"]) == (bets["predictions"], bets["problem"])
    assert all(p["pass_reason"] for p in data["passes"]) and sum(data["pass_reasons"].values()) == data["pass_count"]
    assert sum(data["per_market"].values()) == data["count"]
    printed = cli(picked_home, "picks", "--date", day, "--csv").stdout
    assert picks_csv(DayPick(**p) for p in data["picks"]) == printed
    assert printed.splitlines()[0] == ",".join(PICK_CSV_COLUMNS)


def test_a_date_without_predictions_says_what_picks_says(demo_home: Home, warehouse: Warehouse) -> None:
    with warehouse:
        data = today_data(warehouse, game_date=date(2031, 1, 1), today=date(2100, 1, 1), system_id="ensemble")
    printed = json.loads(cli(demo_home, "picks", "--date", "2031-01-01", "--json").stdout)
    assert (data["count"], data["pass_count"]) == (0, 0)
    assert data["problem"] == printed["problem"] and "nbaprops run --date 2031-01-01" in data["problem"]


def test_buckets_and_bankroll_fold_the_daily_sums() -> None:
    day = {"picks": 2, "wins": 1, "losses": 1, "profit_units": -0.1, "mae_rows": 2, "error_sum": 3.0,
           "line_error_sum": 4.0, "brier_rows": 2, "brier_sum": 0.5, "market_brier_sum": 0.4}
    rows = [{**day, "game_date": date(2025, 1, d)} for d in (1, 2, 9)]
    points = trend(rows, trend_days=7)
    assert [p["start"] for p in points] == ["2025-01-01", "2025-01-08"]
    assert (points[0]["mae"], points[0]["line_mae"], points[0]["brier"]) == (1.5, 2.0, 0.25)
    curve = bankroll_curve(rows, starting_units=10)
    assert [p["bankroll_units"] for p in curve] == [9.9, 9.8, 9.7]
