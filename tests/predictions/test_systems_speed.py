from __future__ import annotations

import time

import pytest
from tests.predictions.synthetic import game_dates, split_day, synthetic_season

from nbaprops.predictions.systems import build_systems, predict_all
from nbaprops.predictions.systems.gbm import retrain_anchor

# The full backtest has 60 s for everything; the six systems get at most half of it for one
# market's season of about 165 game days.
SEASON_BUDGET_SECONDS = 30.0
SEASON_DAYS = 165
RETRAIN_DAYS = 14


# Slow, and a wall-clock budget: it measures the neighbours too when other processes load the
# two cores (LightGBM's two threads then wait on each other), so run it on a quiet machine.
@pytest.mark.slow
def test_a_season_of_one_market_fits_the_backtest_budget() -> None:
    # 450 players x 80 games; the last four weeks have the most history, so their mean time a
    # day (with the gbm retraining on its cadence) bounds the season's.
    season, _ = synthetic_season(players=450, games=80, market="points", seed=1)
    systems = build_systems(retrain_days=RETRAIN_DAYS, min_history_games=5)
    dates = game_dates(season)
    window = dates[dates > dates[-1] - 2 * RETRAIN_DAYS]
    elapsed = 0.0
    for game_date in window:
        today, history = split_day(season, game_date)
        started = time.perf_counter()
        predict_all(systems, today, history, market="points")
        elapsed += time.perf_counter() - started
    assert systems[4].trainings == len({retrain_anchor(d, retrain_days=RETRAIN_DAYS) for d in window})
    per_day = elapsed / len(window)
    assert per_day * SEASON_DAYS < SEASON_BUDGET_SECONDS, f"{1000 * per_day:.0f} ms a day"
