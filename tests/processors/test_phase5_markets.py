"""Phase 5's markets side by side: the same rows as one after another, on both backends."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.processors.league import TinyLeague

from nbaprops.backtest.runner import Walk
from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.pipeline.plan import daily_plan, final_results_plan
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.phase5 import PlayerPropPredictionsProcessor
from nbaprops.processors.phase5_markets import predict_markets
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(10)]
MARKETS = ("points", "threes")


def settings(parallel: int) -> Settings:
    base = Settings()
    return base.model_copy(update={"predictions": base.predictions.model_copy(update={"parallel_markets": parallel})})


def context(warehouse: Warehouse, parallel: int) -> ProcessorContext:
    clock = VirtualClock(datetime(2024, 11, 10, 23, tzinfo=UTC))
    return ProcessorContext(warehouse=warehouse, source=TinyLeague(DATES), clock=clock, settings=settings(parallel),
                            run_id="again", markets=MARKETS)


def comparable(rows: Any) -> list[tuple[Any, ...]]:
    return sorted(tuple(sorted(row.items())) for row in rows)


def test_two_markets_at_once_build_the_rows_one_after_another_builds(warehouse: Warehouse) -> None:
    Walk(warehouse=warehouse, source=TinyLeague(DATES), settings=settings(2), markets=MARKETS).run(
        DATES, plan=daily_plan(), results_plan=final_results_plan(), run_id_prefix="walk")
    stored = warehouse.query("SELECT DISTINCT market FROM nba_predictions.player_prop_predictions ORDER BY 1")
    assert [r["market"] for r in stored] == list(MARKETS)  # the walk itself predicted both markets at once
    one_by_one = PlayerPropPredictionsProcessor().build(context(warehouse, 1), DATES[-1])
    side_by_side = PlayerPropPredictionsProcessor().build(context(warehouse, 2), DATES[-1])
    assert {row["market"] for row in side_by_side} == set(MARKETS)
    assert [row["market"] for row in side_by_side] == [row["market"] for row in one_by_one]  # the markets' order
    assert comparable(side_by_side) == comparable(one_by_one)


def test_each_market_gets_a_connection_of_its_own_and_its_rows_read_count(warehouse: Warehouse) -> None:
    ctx = context(warehouse, 2)
    both_started = threading.Barrier(2, timeout=30)  # one after another, the first would wait here forever
    seen: dict[str, tuple[int, int]] = {}

    def predict(market_ctx: ProcessorContext, market: str) -> str:
        both_started.wait()
        rows = market_ctx.warehouse.query("SELECT 1 AS one UNION ALL SELECT 2")
        seen[market] = (id(market_ctx.warehouse), len(rows))
        return market

    before = warehouse.rows_returned
    assert predict_markets(ctx, 2, predict) == list(MARKETS)
    assert len({connection for connection, _ in seen.values()} | {id(warehouse)}) == 3
    assert warehouse.rows_returned - before == 4


def test_a_markets_error_is_raised_after_every_market_ends(warehouse: Warehouse) -> None:
    ended: list[str] = []

    def predict(market_ctx: ProcessorContext, market: str) -> str:
        if market == "points":
            raise ValueError("points failed")
        market_ctx.warehouse.query("SELECT 1 AS one")
        ended.append(market)
        return market

    with pytest.raises(ValueError, match="points failed"):
        predict_markets(context(warehouse, 2), 2, predict)
    assert ended == ["threes"]


def test_one_market_or_one_at_a_time_runs_on_the_callers_connection(warehouse: Warehouse) -> None:
    used: list[int] = []

    def predict(market_ctx: ProcessorContext, market: str) -> str:
        used.append(id(market_ctx.warehouse))
        return market

    assert predict_markets(context(warehouse, 1), 1, predict) == list(MARKETS)
    assert predict_markets(replace(context(warehouse, 2), markets=("points",)), 2, predict) == ["points"]
    assert set(used) == {id(warehouse)}
