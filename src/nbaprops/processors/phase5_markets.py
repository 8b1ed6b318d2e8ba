"""Phase 5's markets predicted side by side: each market reads, reviews and predicts on a warehouse
connection of its own, so one market's model work overlaps another's waits on the warehouse.

The markets share nothing: a market's review reads and writes only its own roles and decisions, and
each system keeps its fitted state per market. The rows come back in the markets' order, so they are
the same as one market after another.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

from nbaprops.processors.base import ProcessorContext

T = TypeVar("T")


def predict_markets(
    ctx: ProcessorContext, parallel: int, predict: Callable[[ProcessorContext, str], T]
) -> list[T]:
    """`predict(market_ctx, market)` for each of `ctx.markets`, in their order; up to `parallel` at
    once, each but a lone market on a connection of its own (closed after, its rows read counted on
    `ctx.warehouse`). The first market's error, in the markets' order, is raised."""
    markets = list(ctx.markets)
    if parallel <= 1 or len(markets) <= 1:
        return [predict(ctx, market) for market in markets]
    connections = [ctx.warehouse.cursor() for _ in markets]
    try:
        with ThreadPoolExecutor(max_workers=min(parallel, len(markets)),
                                thread_name_prefix="phase5-market") as pool:
            futures = [pool.submit(predict, replace(ctx, warehouse=connection), market)
                       for connection, market in zip(connections, markets, strict=True)]
            return [future.result() for future in futures]
    finally:
        for connection in connections:
            ctx.warehouse.rows_returned += connection.rows_returned
            connection.close()
