"""Retry budgets: a per-processor, per-game_date attempt budget and a global storm guard.

Completeness retries and gate re-runs are bounded inside one workflow, but nothing bounded the
workflows themselves: re-runs and data-availability events for a date whose games did not exist
yet once ran one processor 7,139 times. The budget counts every attempt the warehouse recorded
(`processor_run_history`), whichever workflow made it, so no trigger can get past it.

`judge_attempt` is the pure rule; `attempt_counts` reads what it needs; `AttemptLedger` is the
in-memory stand-in a simulation replays a storm through.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from nbaprops.reliability.config import RetryBudgetConfig
from nbaprops.warehouse import Warehouse

BUDGET_ERROR_CLASS = "RetryBudgetExhausted"
STORM_ERROR_CLASS = "RetryStormGuard"
_RUN_HISTORY = "nba_orchestration.processor_run_history"


class BudgetVerdict(StrEnum):
    ALLOW = "allow"
    PROCESSOR_DAY_EXHAUSTED = "processor_day_exhausted"
    STORM = "storm"


@dataclass(frozen=True)
class AttemptCounts:
    """Attempts already made: of the processor for the date, and of everything in the window."""

    processor_day: int
    window: int


@dataclass(frozen=True)
class BudgetDecision:
    verdict: BudgetVerdict
    message: str

    @property
    def allowed(self) -> bool:
        return self.verdict is BudgetVerdict.ALLOW

    @property
    def error_class(self) -> str | None:
        """The class a refused attempt is recorded under (None when allowed)."""
        if self.verdict is BudgetVerdict.ALLOW:
            return None
        return STORM_ERROR_CLASS if self.verdict is BudgetVerdict.STORM else BUDGET_ERROR_CLASS


def judge_attempt(
    counts: AttemptCounts, config: RetryBudgetConfig, *, processor: str, game_date: date
) -> BudgetDecision:
    """May one more attempt of `processor` for `game_date` run, given the attempts made?"""
    if not config.enabled:
        return BudgetDecision(BudgetVerdict.ALLOW, "Retry budgets are off.")
    if counts.window >= config.storm_max_attempts:
        return BudgetDecision(
            BudgetVerdict.STORM,
            f"Retry storm guard: {counts.window} processor attempts in the last "
            f"{config.storm_window_minutes:g} minutes reached the limit of {config.storm_max_attempts} "
            f"([reliability.budgets] storm_max_attempts); {processor} for {game_date} is refused until "
            "the window slides.",
        )
    if counts.processor_day >= config.max_attempts_per_processor_day:
        return BudgetDecision(
            BudgetVerdict.PROCESSOR_DAY_EXHAUSTED,
            f"Retry budget exhausted: {processor} for {game_date} already ran {counts.processor_day} "
            f"times, the budget of {config.max_attempts_per_processor_day} a processor and date "
            "([reliability.budgets] max_attempts_per_processor_day); it is refused for that date.",
        )
    return BudgetDecision(BudgetVerdict.ALLOW, "Within the retry budget.")


def attempt_counts(
    warehouse: Warehouse, *, processor: str, game_date: date, now: datetime, window_minutes: float
) -> AttemptCounts:
    """The recorded attempts the budget judges: of `processor` for `game_date`, and of every
    processor started within `window_minutes` before `now` (the run's clock)."""
    now_naive = _naive(now)
    since = now_naive - timedelta(minutes=window_minutes)
    rows = warehouse.query(
        f"SELECT count(*) FILTER (WHERE processor = ? AND game_date = ?) AS processor_day, "
        f"count(*) FILTER (WHERE started_at > ? AND started_at <= ?) AS window FROM {_RUN_HISTORY} "
        # The same filters again, so only those rows are read (by index on PostgreSQL), not the whole history.
        "WHERE (processor = ? AND game_date = ?) OR (started_at > ? AND started_at <= ?)",
        [processor, game_date, since, now_naive] * 2,
    )
    return AttemptCounts(int(rows[0]["processor_day"] or 0), int(rows[0]["window"] or 0))


@dataclass
class AttemptLedger:
    """Attempts in memory, for replaying a trigger sequence (in time order) through the budget."""

    config: RetryBudgetConfig
    attempts: list[tuple[str, date, datetime]] = field(default_factory=list)
    refusals: list[BudgetDecision] = field(default_factory=list)
    _per_day: dict[tuple[str, date], int] = field(default_factory=dict, repr=False)
    _window: deque[datetime] = field(default_factory=deque, repr=False)

    def counts(self, *, processor: str, game_date: date, now: datetime) -> AttemptCounts:
        since = now - timedelta(minutes=self.config.storm_window_minutes)
        while self._window and self._window[0] <= since:
            self._window.popleft()
        return AttemptCounts(self._per_day.get((processor, game_date), 0), len(self._window))

    def trigger(self, *, processor: str, game_date: date, now: datetime) -> BudgetDecision:
        """One trigger: recorded as an attempt when the budget allows it, as a refusal otherwise."""
        if self.attempts and now < self.attempts[-1][2]:
            raise ValueError(f"triggers must come in time order; {now} is before {self.attempts[-1][2]}.")
        decision = judge_attempt(
            self.counts(processor=processor, game_date=game_date, now=now),
            self.config,
            processor=processor,
            game_date=game_date,
        )
        if decision.allowed:
            self.attempts.append((processor, game_date, now))
            self._per_day[(processor, game_date)] = self._per_day.get((processor, game_date), 0) + 1
            self._window.append(now)
        else:
            self.refusals.append(decision)
        return decision


def _naive(instant: datetime) -> datetime:
    return instant if instant.tzinfo is None else instant.astimezone(UTC).replace(tzinfo=None)
