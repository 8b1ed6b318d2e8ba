"""Walks a season forward one game day at a time on virtual time: a backtest, or the earlier
history of a season (built, not predicted)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.pipeline.plan import (
    PhaseSteps,
    daily_plan,
    final_results_plan,
    history_plan,
    history_results_plan,
)
from nbaprops.pipeline.sequential import run_plan
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.runner import ProcessorRun
from nbaprops.seasons import season_start
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
    if game_dates:
        result.runs.extend(build_prior_season(warehouse=warehouse, source=source, settings=settings,
                                              first_day=game_dates[0]))
    walk = Walk(warehouse=warehouse, source=source, settings=settings, markets=(market,))
    result.runs.extend(walk.run(game_dates, plan=daily_plan(), results_plan=final_results_plan(),
                                run_id_prefix=f"backtest:{market}", on_day=on_day))
    return result


def build_history(
    *,
    warehouse: Warehouse,
    source: Source,
    settings: Settings,
    game_dates: Sequence[date],
    on_day: Callable[[date], None] | None = None,
) -> list[ProcessorRun]:
    """Phases 2 to 4 of each game day, and the results of the last, without predicting or grading:
    the look-back (game summaries, rolling form, feature rows) that the days after them read."""
    walk = Walk(warehouse=warehouse, source=source, settings=settings,
                markets=tuple(settings.predictions.markets))
    return walk.run(game_dates, plan=history_plan(), results_plan=history_results_plan(),
                    run_id_prefix="history", on_day=on_day)


def prior_season_days(source: Source, first_day: date) -> list[date]:
    """The game days of the season before the one `first_day` belongs to, as the source knows them."""
    this_season = season_start(first_day)
    return source.game_dates(season_start(this_season - timedelta(days=1)), this_season - timedelta(days=1))


def build_prior_season(
    *, warehouse: Warehouse, source: Source, settings: Settings, first_day: date
) -> list[ProcessorRun]:
    """The box scores and game summaries of last season's game days not summarised yet: the rates
    Phase 4 carries over into a new season's first weeks. Nothing when the source has no such days."""
    days = prior_season_days(source, first_day)
    if not days:
        return []
    summarised = {row["game_date"] for row in warehouse.query(
        "SELECT DISTINCT game_date FROM nba_analytics.player_game_summary WHERE game_date BETWEEN $first AND $last",
        {"first": days[0], "last": days[-1]})}
    missing = [day for day in days if day not in summarised]
    if not missing:
        return []
    walk = Walk(warehouse=warehouse, source=source, settings=settings,
                markets=tuple(settings.predictions.markets))
    return walk.run(missing, plan=history_results_plan(), results_plan=history_results_plan(),
                    run_id_prefix="prior-season")


def history_built(warehouse: Warehouse, game_dates: Sequence[date]) -> bool:
    """Whether every one of `game_dates` already has its game summaries and feature rows."""
    if not game_dates:
        return True
    built = warehouse.scalar(
        "SELECT count(DISTINCT game_date) FROM nba_precompute.ml_feature_store "
        "WHERE list_contains($dates, game_date) AND game_date IN "
        "(SELECT game_date FROM nba_analytics.player_game_summary WHERE list_contains($dates, game_date))",
        {"dates": list(game_dates)},
    )
    return int(built or 0) == len(set(game_dates))


@dataclass(frozen=True)
class Walk:
    """What a walk forward runs processors against."""

    warehouse: Warehouse
    source: Source
    settings: Settings
    markets: tuple[str, ...]

    def run(
        self,
        game_dates: Sequence[date],
        *,
        plan: Sequence[PhaseSteps],
        results_plan: Sequence[PhaseSteps],
        run_id_prefix: str,
        on_day: Callable[[date], None] | None = None,
    ) -> list[ProcessorRun]:
        """Run `plan` for each game day in order on virtual time, just before its last tip-off,
        then `results_plan` for the last day once its games have ended. Run IDs are
        `<prefix>:<date>`, then `<prefix>:final`."""
        runs: list[ProcessorRun] = []
        if not game_dates:
            return runs
        clock = VirtualClock(datetime.combine(game_dates[0], time(0), tzinfo=UTC))
        ctx = ProcessorContext(warehouse=self.warehouse, source=self.source, clock=clock,
                               settings=self.settings, markets=self.markets)
        previous: date | None = None
        for game_date in game_dates:
            clock.advance_to(max(clock.now(), prediction_time(self.source, game_date)))
            ctx.run_id = f"{run_id_prefix}:{game_date.isoformat()}"
            runs.extend(run_plan(ctx, plan, game_date=game_date, previous_game_date=previous))
            previous = game_date
            if on_day is not None:
                on_day(game_date)
        clock.advance_to(clock.now() + RESULTS_DELAY)
        ctx.run_id = f"{run_id_prefix}:final"
        runs.extend(run_plan(ctx, results_plan, game_date=None, previous_game_date=previous))
        return runs
