"""Promotion and rollback over the real 2024-25 season through the orchestrator (replay source): the
moving average starts as champion in every market, a degraded copy of it (its own probabilities,
without the market blend) as canary, every other system as shadow. Prints each decision with the
game days it took and its evidence, then each system's Brier against the first champion's and the
last one's on the same rows over the whole season (the paired, day-clustered test of the review).

Usage: python benchmarks/bench_system_review.py [--data ../shared/data/2024-25] [--start D] [--end D]
       [--markets threes,pra] [--home DIR]   (--home keeps the home, for `nbaprops --home DIR systems list`)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.ingest import ingest_paths
from nbaprops.metrics.paired_brier import paired_brier
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import run_backfill
from nbaprops.processors.system_roles import read_decisions, versus_champion
from nbaprops.warehouse import Warehouse

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "2024-25"
CHAMPION, CANARY = "moving_average", "moving_average_unblended"
SYSTEMS = {"roles": {CHAMPION: "champion", CANARY: "canary"},
           "variants": {CANARY: {"base": CHAMPION, "blend_with_market": False}}}
GAME_DAYS = """
    SELECT count(DISTINCT game_date) FILTER (WHERE system_id = $system AND game_date <= $day) AS own,
           count(DISTINCT game_date) FILTER (WHERE game_date <= $day) AS season
    FROM nba_predictions.player_prop_predictions WHERE market = $market
"""


def print_decisions(warehouse: Warehouse, market: str) -> None:
    for row in read_decisions(warehouse, market=market):
        days = warehouse.query(GAME_DAYS, {"system": CANARY if row["action"] == "rollback" else row["system_id"],
                                           "day": row["game_date"], "market": market})[0]
        evidence = json.loads(row["evidence"])
        counted = "the canary's" if row["action"] == "rollback" else "its own"
        print(f"  {row['game_date']} {row['action']:8} {row['system_id']:26} game day {days['own']} of {counted} "
              f"predictions ({days['season']} of the market's season); {row['reason']}")
        if row["action"] == "decay":
            evidence = evidence["versus_market"]
        print(f"    evidence: rows {evidence['rows']}, days {evidence['days']}, Brier {evidence['first_brier']:.4f} "
              f"vs {evidence['second_brier']:.4f}, difference {evidence['mean_difference']:+.4f}, "
              f"bounds [{evidence['lower']:+.4f}, {evidence['upper']:+.4f}]")


def print_season_records(warehouse: Warehouse, market: str, champion: str, last_day: date) -> None:
    print(f"  whole season against {champion} on the same rows (95% one-sided bounds, clustered by day):")
    records = versus_champion(warehouse, market=market, champion=champion, game_date=last_day, window_days=366)
    for system_id, days in sorted(records.items()):
        print(f"    {system_id:26} {paired_brier(days, confidence=0.95).describe()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--start", type=date.fromisoformat, default=None)
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    parser.add_argument("--markets", default="threes,pra")
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Home(args.home or Path(folder) / "home").ensure()
        markets = args.markets.split(",")
        home.config_path.write_text(f"[predictions]\nmarkets = {json.dumps(markets)}\n\n[systems]\n"
                                    f'roles = {{ {CHAMPION} = "champion", {CANARY} = "canary" }}\n\n'
                                    f"[systems.variants.{CANARY}]\nbase = \"{CHAMPION}\"\nblend_with_market = false\n")
        with Warehouse.open(home.warehouse_path) as warehouse:
            ingest_paths(warehouse, [args.data])
            first, last = warehouse.query("SELECT min(game_date) AS first, max(game_date) AS last FROM "
                                          "nba_raw.history_prop_lines")[0].values()
        started = time.perf_counter()
        summary = run_backfill(home, Settings(predictions={"markets": markets}, systems=SYSTEMS),
                               start=args.start or first, end=args.end or last, source=SourceKind.REPLAY)
        seconds = time.perf_counter() - started
        totals = summary.to_json()
        print(f"data: {args.data}, markets: {', '.join(markets)}, range {totals['start']} .. {totals['end']}: "
              f"{totals['game_days']} game days, {totals['complete']} complete, {totals['failed']} failed, "
              f"{seconds:.0f} s")
        with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
            for market in markets:
                roles = warehouse.query("SELECT system_id FROM nba_predictions.system_roles WHERE market = ? "
                                        "AND role = 'champion'", [market])
                print(f"{market}: decisions (champion {CHAMPION}, canary {CANARY}, the rest shadows)")
                print_decisions(warehouse, market)
                day_after = (args.end or last) + date.resolution
                print_season_records(warehouse, market, CHAMPION, day_after)
                if roles and roles[0]["system_id"] != CHAMPION:
                    print_season_records(warehouse, market, roles[0]["system_id"], day_after)


if __name__ == "__main__":
    main()
