"""Opening night: last season's rates carry over, so the first day of a season is predicted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.processors.league import TinyLeague

from nbaprops.backtest import build_report, run_backtest
from nbaprops.backtest.runner import prior_season_days
from nbaprops.config import Settings
from nbaprops.warehouse import Warehouse

LAST_SEASON = [date(2024, 4, 1) + timedelta(days=i) for i in range(6)]
THIS_SEASON = [date(2024, 10, 22) + timedelta(days=i) for i in range(3)]
OPENING = THIS_SEASON[0]


def test_the_prior_season_is_the_season_before(warehouse: Warehouse) -> None:
    league = TinyLeague([*LAST_SEASON, *THIS_SEASON])
    assert prior_season_days(league, OPENING) == LAST_SEASON
    assert prior_season_days(league, LAST_SEASON[0]) == []


def test_last_seasons_rate_regressed_to_the_mean_is_the_opening_night_form(warehouse: Warehouse) -> None:
    league = TinyLeague([*LAST_SEASON, *THIS_SEASON])
    run_backtest(warehouse=warehouse, source=league, settings=Settings(), market="points",
                 start=OPENING, end=THIS_SEASON[-1])
    points = {lookup: [base + (day % 3) - 1 for day in range(len(LAST_SEASON))]
              for lookup, _, base in league._players()}
    league_rate = sum(map(sum, points.values())) / sum(map(len, points.values()))
    tatum = points["jaysontatum"]
    expected = (sum(tatum) + 10 * league_rate) / (len(tatum) + 10)
    row = warehouse.query(
        "SELECT stat_season, stat_last5, games_played, prior_games FROM nba_precompute.ml_feature_store "
        "WHERE game_date = ? AND player_lookup = 'jaysontatum' AND market = 'points'", [OPENING])[0]
    assert (row["games_played"], row["prior_games"]) == (0, len(LAST_SEASON))
    assert row["stat_season"] == pytest.approx(expected) and row["stat_last5"] == pytest.approx(expected)
    assert league_rate < row["stat_season"] < sum(tatum) / len(tatum), "regressed toward the league mean"

    first_day = warehouse.query(
        "SELECT DISTINCT system_id FROM nba_predictions.player_prop_predictions WHERE game_date = ?", [OPENING])
    assert {"market", "moving_average", "matchup", "ensemble"} <= {r["system_id"] for r in first_day}
    report = build_report(warehouse, market="points", start=OPENING, end=THIS_SEASON[-1], game_days=3)
    assert report.systems["moving_average"].coverage is not None
    assert report.systems["market"].to_json()["coverage"] == 1.0


def test_without_last_season_nothing_carries_over(warehouse: Warehouse) -> None:
    run_backtest(warehouse=warehouse, source=TinyLeague(THIS_SEASON), settings=Settings(), market="points",
                 start=OPENING, end=THIS_SEASON[-1])
    row = warehouse.query(
        "SELECT stat_season, prior_games FROM nba_precompute.ml_feature_store "
        "WHERE game_date = ? AND player_lookup = 'jaysontatum' AND market = 'points'", [OPENING])[0]
    assert row["stat_season"] is None and row["prior_games"] == 0
    systems = warehouse.query(
        "SELECT DISTINCT system_id FROM nba_predictions.player_prop_predictions WHERE game_date = ?", [OPENING])
    assert {r["system_id"] for r in systems} == {"market", "ensemble"}
