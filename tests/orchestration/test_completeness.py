"""Completeness-driven retry: the plan per attempt, the backoff schedule, and their invariants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from nbaprops.orchestration import (
    Backoff,
    RetryAction,
    RetryPolicy,
    backoff_delays,
    plan_retry,
    retry_delay_seconds,
)

POLICY = RetryPolicy()

COMPLETE = RetryAction.COMPLETE
RETRY = RetryAction.RETRY
GIVE_UP = RetryAction.GIVE_UP


@pytest.mark.parametrize(
    ("records", "expected", "attempt", "action", "delay_seconds", "message"),
    [
        (156, 156, 1, COMPLETE, None,
         "Wrote 156 of 156 expected records (100.0%), meeting the 50% completeness threshold, "
         "on attempt 1."),
        (78, 156, 1, COMPLETE, None,
         "Wrote 78 of 156 expected records (50.0%), meeting the 50% completeness threshold, "
         "on attempt 1."),
        (200, 156, 3, COMPLETE, None,
         "Wrote 200 of 156 expected records (128.2%), meeting the 50% completeness threshold, "
         "on attempt 3."),
        (0, 0, 1, COMPLETE, None,
         "Wrote 0 of 0 expected records (100.0%), meeting the 50% completeness threshold, "
         "on attempt 1."),
        (77, 156, 1, RETRY, 1800.0,
         "Wrote 77 of 156 expected records (49.3%), below the 50% completeness threshold, "
         "on attempt 1 of 3; retrying in 30 minutes."),
        (1, 156, 2, RETRY, 3600.0,
         "Wrote 1 of 156 expected records (0.6%), below the 50% completeness threshold, "
         "on attempt 2 of 3; retrying in 60 minutes."),
        (1, 156, 3, GIVE_UP, None,
         "Wrote 1 of 156 expected records (0.6%), still below the 50% completeness threshold "
         "after 3 attempts (the policy allows 3); no retries are left, so check whether the "
         "source data has arrived."),
        (0, 156, 4, GIVE_UP, None,
         "Wrote 0 of 156 expected records (0.0%), still below the 50% completeness threshold "
         "after 4 attempts (the policy allows 3); no retries are left, so check whether the "
         "source data has arrived."),
    ],
)
def test_plan_per_attempt(
    records: int,
    expected: int,
    attempt: int,
    action: RetryAction,
    delay_seconds: float | None,
    message: str,
) -> None:
    plan = plan_retry(records=records, expected=expected, attempt=attempt, policy=POLICY)
    assert (plan.action, plan.delay_seconds, plan.message) == (action, delay_seconds, message)
    assert (plan.records, plan.expected, plan.attempt) == (records, expected, attempt)


def test_threshold_and_schedule_come_from_the_policy() -> None:
    policy = RetryPolicy(threshold=0.9, initial_delay_minutes=10, backoff_multiplier=3)
    plans = [plan_retry(records=85, expected=100, attempt=n, policy=policy) for n in (1, 2, 3)]
    assert [(p.action, p.delay_seconds) for p in plans] == [
        (RETRY, 600.0),
        (RETRY, 1800.0),
        (GIVE_UP, None),
    ]
    assert "below the 90% completeness threshold" in plans[0].message


@pytest.mark.parametrize(
    ("initial_delay_minutes", "multiplier", "max_attempts", "delays"),
    [
        (5, 2, 3, [300.0, 600.0]),
        (30, 2, 3, [1800.0, 3600.0]),
        (1, 3, 4, [60.0, 180.0, 540.0]),
        (0.5, 1.5, 3, [30.0, 45.0]),
        (5, 2, 1, []),
    ],
)
def test_backoff_delays(
    initial_delay_minutes: float, multiplier: float, max_attempts: int, delays: list[float]
) -> None:
    assert (
        backoff_delays(initial_delay_minutes, multiplier=multiplier, max_attempts=max_attempts)
        == delays
    )


@pytest.mark.parametrize(
    ("attempt", "delay_seconds"), [(1, 300.0), (2, 600.0), (3, None), (7, None)]
)
def test_retry_delay_after_an_attempt(attempt: int, delay_seconds: float | None) -> None:
    assert retry_delay_seconds(Backoff(), attempt=attempt) == delay_seconds


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: backoff_delays(0, multiplier=2, max_attempts=3),
         "initial_delay_minutes must be positive, got 0."),
        (lambda: backoff_delays(5, multiplier=1, max_attempts=3),
         "multiplier must be greater than 1 so waits grow, got 1."),
        (lambda: backoff_delays(5, multiplier=2, max_attempts=0),
         "max_attempts must be at least 1, got 0."),
        (lambda: retry_delay_seconds(Backoff(), attempt=0), "attempt counts from 1, got 0."),
        (lambda: plan_retry(records=-1, expected=5, attempt=1, policy=POLICY),
         "records must not be negative, got -1."),
        (lambda: plan_retry(records=1, expected=-5, attempt=1, policy=POLICY),
         "expected must not be negative, got -5."),
        (lambda: plan_retry(records=1, expected=5, attempt=0, policy=POLICY),
         "attempt counts from 1, got 0."),
    ],
)
def test_misuse_is_refused_by_name(call, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"backoff_multiplier": 1}, "backoff_multiplier"),
        ({"initial_delay_minutes": 0}, "initial_delay_minutes"),
        ({"max_attempts": 0}, "max_attempts"),
    ],
)
def test_policy_config_refuses_schedules_that_do_not_grow_or_end(fields: dict, field: str) -> None:
    with pytest.raises(ValidationError, match=rf"{field}\n  Input should be"):
        RetryPolicy(**fields)


MINUTES = st.floats(min_value=0.1, max_value=120, allow_nan=False)
MULTIPLIERS = st.floats(min_value=1.01, max_value=5, allow_nan=False)
ATTEMPTS = st.integers(min_value=1, max_value=8)


@given(initial=MINUTES, multiplier=MULTIPLIERS, max_attempts=ATTEMPTS)
def test_delays_strictly_grow_and_number_one_fewer_than_attempts(
    initial: float, multiplier: float, max_attempts: int
) -> None:
    delays = backoff_delays(initial, multiplier=multiplier, max_attempts=max_attempts)
    assert len(delays) == max_attempts - 1
    assert all(earlier < later for earlier, later in zip(delays, delays[1:], strict=False))
    if delays:
        assert delays[0] == pytest.approx(initial * 60)


@st.composite
def policies(draw: st.DrawFn) -> RetryPolicy:
    return RetryPolicy(
        threshold=draw(st.floats(min_value=0.01, max_value=1)),
        initial_delay_minutes=draw(MINUTES),
        backoff_multiplier=draw(MULTIPLIERS),
        max_attempts=draw(ATTEMPTS),
    )


def run_until_settled(policy: RetryPolicy, records_per_attempt) -> tuple[RetryAction, list[float]]:
    """Re-run as the plans say; the action that ended it and the waits in between."""
    waits: list[float] = []
    attempt = 1
    while True:
        records, expected = records_per_attempt(attempt)
        plan = plan_retry(records=records, expected=expected, attempt=attempt, policy=policy)
        if plan.action is not RETRY:
            return plan.action, waits
        assert plan.delay_seconds is not None
        waits.append(plan.delay_seconds)
        attempt += 1


@given(policy=policies(), expected=st.integers(min_value=1, max_value=500), data=st.data())
def test_never_more_runs_than_max_attempts_and_waits_follow_the_schedule(
    policy: RetryPolicy, expected: int, data: st.DataObject
) -> None:
    def records_per_attempt(attempt: int) -> tuple[int, int]:
        return data.draw(st.integers(min_value=0, max_value=expected)), expected

    action, waits = run_until_settled(policy, records_per_attempt)
    schedule = backoff_delays(
        policy.initial_delay_minutes,
        multiplier=policy.backoff_multiplier,
        max_attempts=policy.max_attempts,
    )
    assert len(waits) <= policy.max_attempts - 1
    assert waits == schedule[: len(waits)]
    assert action is COMPLETE or len(waits) == policy.max_attempts - 1


@given(policy=policies(), expected=st.integers(min_value=1, max_value=500))
def test_a_processor_that_writes_nothing_uses_every_attempt_then_gives_up(
    policy: RetryPolicy, expected: int
) -> None:
    action, waits = run_until_settled(policy, lambda attempt: (0, expected))
    assert action is GIVE_UP
    assert waits == backoff_delays(
        policy.initial_delay_minutes,
        multiplier=policy.backoff_multiplier,
        max_attempts=policy.max_attempts,
    )


@given(
    policy=policies(),
    expected=st.integers(min_value=0, max_value=500),
    records=st.integers(min_value=0, max_value=600),
    more=st.integers(min_value=0, max_value=600),
    attempt=st.integers(min_value=1, max_value=10),
)
def test_complete_is_monotone_in_records(
    policy: RetryPolicy, expected: int, records: int, more: int, attempt: int
) -> None:
    fewer = plan_retry(records=records, expected=expected, attempt=attempt, policy=policy)
    most = plan_retry(records=records + more, expected=expected, attempt=attempt, policy=policy)
    if fewer.action is COMPLETE:
        assert most.action is COMPLETE
    assert (fewer.action is RETRY) == (fewer.delay_seconds is not None)
