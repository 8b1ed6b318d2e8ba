"""Each page's numbers: the Predictions page's sums agree with `nbaprops.metrics` row by row, the
Pipeline page says what `status` says, the Today page lists the day's active picks."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from tests.cli.sim_cli import cli

from nbaprops.backtest.report import build_report
from nbaprops.home import Home
from nbaprops.warehouse import Warehouse
from nbaprops.web.pages.pipeline import pipeline_data
from nbaprops.web.pages.predictions import bankroll_curve, predictions_data, trend
from nbaprops.web.pages.system import sqlite_incidents, summarise_incidents
from nbaprops.web.pages.today import COLUMNS, picks_csv, today_data


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


def test_the_today_page_lists_the_active_picks_best_edge_first(warehouse: Warehouse) -> None:
    with warehouse:
        data = today_data(warehouse, game_date=None, today=date(2100, 1, 1))
        expected = warehouse.scalar(
            "SELECT count(*) FROM nba_predictions.player_prop_predictions WHERE game_date = $d AND is_active "
            "AND recommendation IN ('OVER', 'UNDER')", {"d": date.fromisoformat(data["game_date"])})
    assert data["count"] == len(data["picks"]) == expected > 0
    edges = [pick["edge"] for pick in data["picks"]]
    assert edges == sorted(edges, reverse=True)
    assert sum(data["per_system"].values()) == data["count"]
    rows = list(csv.DictReader(io.StringIO(picks_csv(data))))
    assert len(rows) == data["count"] and list(rows[0]) == ["game_date", *COLUMNS]
    assert rows[0]["player"] == data["picks"][0]["player"] and rows[0]["side"] in ("OVER", "UNDER")


def test_buckets_and_bankroll_fold_the_daily_sums() -> None:
    day = {"picks": 2, "wins": 1, "losses": 1, "profit_units": -0.1, "mae_rows": 2, "error_sum": 3.0,
           "line_error_sum": 4.0, "brier_rows": 2, "brier_sum": 0.5, "market_brier_sum": 0.4}
    rows = [{**day, "game_date": date(2025, 1, d)} for d in (1, 2, 9)]
    points = trend(rows, trend_days=7)
    assert [p["start"] for p in points] == ["2025-01-01", "2025-01-08"]
    assert (points[0]["mae"], points[0]["line_mae"], points[0]["brier"]) == (1.5, 2.0, 0.25)
    curve = bankroll_curve(rows, starting_units=10)
    assert [p["bankroll_units"] for p in curve] == [9.9, 9.8, 9.7]


def test_incidents_give_their_mean_time_to_recover() -> None:
    from datetime import datetime, timedelta

    opened = datetime(2025, 1, 1, 12)
    rows = [{"incident_id": "a", "opened_utc": opened, "resolved_utc": opened + timedelta(minutes=10)},
            {"incident_id": "b", "opened_utc": opened, "resolved_utc": opened + timedelta(minutes=30)},
            {"incident_id": "c", "opened_utc": opened, "resolved_utc": None}]
    summary = summarise_incidents(rows)
    assert (summary["count"], summary["resolved"], summary["mttr_seconds"]) == (3, 2, 1200.0)
    assert summarise_incidents([])["reason"] == "no incidents recorded"


def test_an_incident_table_in_the_orchestration_database_is_found(tmp_path: Path) -> None:
    path = tmp_path / "orchestration.sqlite"
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE nbaprops_incidents (incident_id TEXT, opened_at TEXT, resolved_at TEXT)")
        connection.execute("INSERT INTO nbaprops_incidents VALUES ('a', '2025-01-01T12:00:00+00:00', "
                           "'2025-01-01T12:05:00+00:00'), ('b', '2025-01-02T12:00:00', NULL)")
    found = sqlite_incidents(path)
    assert found is not None and found[0] == "nbaprops_incidents"
    summary = summarise_incidents(found[1])
    assert (summary["count"], summary["resolved"], summary["mttr_seconds"]) == (2, 1, 300.0)
    assert [row["incident_id"] for row in summary["rows"]] == ["b", "a"]  # newest first
    assert sqlite_incidents(tmp_path / "missing.sqlite") is None
