"""Times the prediction systems on a synthetic season of one market (target: a 165-day season in
<= 30 s, half of the backtest's 60 s budget).

Usage: python benchmarks/bench_systems.py
450 players x 80 games of points; the last four weeks carry the most history, so their mean time a
day (with the gbm retraining on its 14-day cadence) bounds the season's. Run it on a quiet machine:
a wall-clock figure measures the neighbours too when other processes load the cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.predictions.synthetic import game_dates, split_day, synthetic_season  # noqa: E402

from nbaprops.predictions.systems import build_systems, predict_all  # noqa: E402

SEASON_BUDGET_SECONDS = 30.0
SEASON_DAYS = 165
RETRAIN_DAYS = 14


def main() -> int:
    season, _ = synthetic_season(players=450, games=80, market="points", seed=1)
    systems = build_systems(retrain_days=RETRAIN_DAYS, min_history_games=5)
    dates = game_dates(season)
    window = dates[dates > dates[-1] - 2 * RETRAIN_DAYS]
    per_system = {system.system_id: 0.0 for system in systems}
    elapsed = 0.0
    for game_date in window:
        today, history = split_day(season, game_date)
        started = time.perf_counter()
        predict_all(systems, today, history, market="points")
        elapsed += time.perf_counter() - started
    per_day = elapsed / len(window)
    season_seconds = per_day * SEASON_DAYS
    print(f"systems: {', '.join(per_system)}")
    print(f"days_timed: {len(window)}")
    print(f"ms_per_day: {1000 * per_day:.1f}")
    print(f"season_seconds: {season_seconds:.1f} (target <= {SEASON_BUDGET_SECONDS:.0f})")
    return 0 if season_seconds <= SEASON_BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
