"""Walks a season forward one game day at a time on virtual time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.pipeline.plan import daily_plan, final_results_plan
from nbaprops.pipeline.sequential import run_plan
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.runner import ProcessorRun
from nbaprops.sources.base import Source
from nbaprops.warehouse import Warehouse

# Predictions for a day are made just before its last tip-off: every game's pre-game lines are out,
# and the replay source never serves a line snapped at or after its own game's tip.
PREDICT_BEFORE_LAST_TIP = timedelta(minutes=1)
RESULTS_DELAY = timedelta(hours=12)


@dataclass
class BacktestRun:
    market: str
    game_dates: list[date]
    runs: list[ProcessorRun] = field(default_factory=list)

    @property
    def failed_runs(self) -> list[ProcessorRun]:
        return [run for run in self.runs if run.status == "failed"]


def prediction_time(source: Source, game_date: date) -> datetime:
    """The instant the day's predictions are made: one minute before its last tip-off."""
    probe = datetime.combine(game_date, time(0), tzinfo=UTC)
    tipoffs = [row["tipoff_utc"] for row in source.schedule(game_date, as_of=probe)]
    if not tipoffs:
        return datetime.combine(game_date, time(16), tzinfo=UTC)
    last = max(tipoffs)
    last = last.replace(tzinfo=UTC) if last.tzinfo is None else last.astimezone(UTC)
    return last - PREDICT_BEFORE_LAST_TIP


def run_backtest(
    *,
    warehouse: Warehouse,
    source: Source,
    settings: Settings,
    market: str,
    start: date,
    end: date,
    on_day: Callable[[date], None] | None = None,
) -> BacktestRun:
    """Run the daily pipeline for every game day in [start, end], then grade the last day."""
    game_dates = source.game_dates(start, end)
    result = BacktestRun(market=market, game_dates=game_dates)
    if not game_dates:
        return result
    clock = VirtualClock(datetime.combine(game_dates[0], time(0), tzinfo=UTC))
    ctx = ProcessorContext(warehouse=warehouse, source=source, clock=clock, settings=settings, markets=(market,))
    plan = daily_plan()
    previous: date | None = None
    for game_date in game_dates:
        clock.advance_to(max(clock.now(), prediction_time(source, game_date)))
        ctx.run_id = f"backtest:{market}:{game_date.isoformat()}"
        result.runs.extend(run_plan(ctx, plan, game_date=game_date, previous_game_date=previous))
        previous = game_date
        if on_day is not None:
            on_day(game_date)
    clock.advance_to(clock.now() + RESULTS_DELAY)
    ctx.run_id = f"backtest:{market}:final"
    result.runs.extend(run_plan(ctx, final_results_plan(), game_date=None, previous_game_date=previous))
    return result
