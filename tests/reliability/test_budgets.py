"""Retry budgets: the per-processor, per-day budget and the storm guard, as a table of cases, a
replay of the 7,139-run storm through them, and the counts read from a real warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbaprops.alerting.config import RetryBudgetExhaustedRule
from nbaprops.alerting.rules import retry_budget_exhausted
from nbaprops.alerting.signals import AlertSignals
from nbaprops.reliability.budgets import (
    AttemptCounts,
    AttemptLedger,
    BudgetVerdict,
    attempt_counts,
    judge_attempt,
)
from nbaprops.reliability.config import RetryBudgetConfig
from nbaprops.warehouse import Warehouse

DAY = date(2024, 11, 12)
START = datetime(2024, 11, 12, 0, 0, tzinfo=UTC)
STORM_RUNS = 7139  # the runs of one processor before the day's games existed, in the incident


@pytest.mark.parametrize(
    ("processor_day", "window", "verdict"),
    [
        (0, 0, BudgetVerdict.ALLOW),
        (29, 599, BudgetVerdict.ALLOW),
        (30, 0, BudgetVerdict.PROCESSOR_DAY_EXHAUSTED),
        (0, 600, BudgetVerdict.STORM),
        (30, 600, BudgetVerdict.STORM),  # the storm guard is named first: it explains the rest
    ],
)
def test_judge_attempt_table(processor_day: int, window: int, verdict: BudgetVerdict) -> None:
    decision = judge_attempt(
        AttemptCounts(processor_day, window), RetryBudgetConfig(), processor="player_game_summary", game_date=DAY
    )
    assert decision.verdict is verdict
    if verdict is not BudgetVerdict.ALLOW:
        assert "player_game_summary" in decision.message and str(DAY) in decision.message
        assert decision.error_class in ("RetryBudgetExhausted", "RetryStormGuard")


def test_budget_off_allows_everything() -> None:
    decision = judge_attempt(
        AttemptCounts(10_000, 10_000), RetryBudgetConfig(enabled=False), processor="p", game_date=DAY
    )
    assert decision.allowed


def storm(config: RetryBudgetConfig, *, triggers: int, every_seconds: float, dates: int = 1) -> AttemptLedger:
    """`triggers` triggers of player_game_summary, one every `every_seconds`, over `dates` dates."""
    ledger = AttemptLedger(config)
    for n in range(triggers):
        ledger.trigger(
            processor="player_game_summary",
            game_date=DAY + timedelta(days=n % dates),
            now=START + timedelta(seconds=n * every_seconds),
        )
    return ledger


def test_the_7139_run_storm_is_bounded_by_the_day_budget_with_one_alert() -> None:
    # Without a budget every trigger runs the processor: the storm as it happened.
    unbounded = storm(RetryBudgetConfig(enabled=False), triggers=STORM_RUNS, every_seconds=12)
    assert len(unbounded.attempts) == STORM_RUNS
    bounded = storm(RetryBudgetConfig(), triggers=STORM_RUNS, every_seconds=12)
    assert len(bounded.attempts) == 30
    assert len(bounded.refusals) == STORM_RUNS - 30
    refusals = tuple(
        ("player_game_summary", DAY, decision.message, START + timedelta(hours=23)) for decision in bounded.refusals
    )
    signals = AlertSignals(now_utc=START + timedelta(hours=24), budget_refusals=refusals)
    alerts = retry_budget_exhausted(signals, RetryBudgetExhaustedRule())
    assert len(alerts) == 1
    assert alerts[0].details["refusals"] == STORM_RUNS - 30


def test_a_storm_over_many_dates_is_bounded_by_the_storm_guard() -> None:
    # Four triggers a second, each for another date, so no day budget is reached: the guard holds.
    config = RetryBudgetConfig()
    ledger = storm(config, triggers=STORM_RUNS, every_seconds=0.25, dates=STORM_RUNS)
    window = timedelta(minutes=config.storm_window_minutes)
    times = sorted(at for _, _, at in ledger.attempts)
    assert max(sum(1 for t in times if start - window < t <= start) for start in times) <= config.storm_max_attempts
    assert len(ledger.attempts) < STORM_RUNS
    assert all(decision.verdict is BudgetVerdict.STORM for decision in ledger.refusals)


@settings(max_examples=50, deadline=None)
@given(
    budget=st.integers(1, 8),
    storm_max=st.integers(1, 40),
    gaps=st.lists(st.integers(0, 900), min_size=1, max_size=120),
    dates=st.integers(1, 4),
)
def test_no_trigger_sequence_exceeds_either_budget(budget: int, storm_max: int, gaps: list[int], dates: int) -> None:
    config = RetryBudgetConfig(max_attempts_per_processor_day=budget, storm_max_attempts=storm_max,
                               storm_window_minutes=10)
    ledger = AttemptLedger(config)
    now = START
    for n, gap in enumerate(gaps):
        now += timedelta(seconds=gap)
        ledger.trigger(processor=f"p{n % 2}", game_date=DAY + timedelta(days=n % dates), now=now)
    per_key: dict[tuple[str, date], int] = {}
    for processor, game_date, _ in ledger.attempts:
        per_key[(processor, game_date)] = per_key.get((processor, game_date), 0) + 1
    assert max(per_key.values()) <= budget
    window = timedelta(minutes=10)
    for _, _, at in ledger.attempts:
        assert sum(1 for _, _, t in ledger.attempts if at - window < t <= at) <= storm_max


def test_attempt_counts_read_the_run_history(any_warehouse: Warehouse) -> None:
    """On both backends: the day's attempts of the processor, and every run started in the window."""
    warehouse = any_warehouse
    rows = [
        ("player_game_summary", DAY, "r1", 1, START),
        ("player_game_summary", DAY, "r1", 2, START + timedelta(minutes=5)),
        ("player_game_summary", DAY + timedelta(days=1), "r2", 1, START + timedelta(minutes=6)),
        ("team_offense_game_summary", DAY, "r1", 1, START - timedelta(hours=1)),
    ]
    for processor, game_date, run_id, attempt, started in rows:
        warehouse.execute(
            "INSERT INTO nba_orchestration.processor_run_history (processor, phase, game_date, run_id, attempt, "
            "status, started_at) VALUES (?, 'phase3', ?, ?, ?, 'success', ?)",
            [processor, game_date, run_id, attempt, started.replace(tzinfo=None)],
        )
    counts = attempt_counts(
        warehouse, processor="player_game_summary", game_date=DAY, now=START + timedelta(minutes=7),
        window_minutes=10,
    )
    assert counts == AttemptCounts(processor_day=2, window=3)
