"""Completeness-driven retry: re-run a processor that wrote too few records, with growing waits."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from nbaprops.orchestration.settings import Backoff, RetryPolicy


class RetryAction(StrEnum):
    """What to do after a processor run, judged by its records."""

    COMPLETE = "complete"  # enough records: no retry
    RETRY = "retry"  # too few: run again after delay_seconds
    GIVE_UP = "give_up"  # too few and no attempts left: the caller raises an error for alerting


@dataclass(frozen=True)
class RetryPlan:
    """The verdict on one attempt; `message` names no processor: the caller adds it and the date."""

    action: RetryAction
    records: int
    expected: int
    attempt: int
    completeness: float
    delay_seconds: float | None
    message: str


def backoff_delays(
    initial_delay_minutes: float, *, multiplier: float, max_attempts: int
) -> list[float]:
    """Seconds to wait before each retry: max_attempts - 1 waits (every run is an attempt, the
    first included), the first `initial_delay_minutes` long, each next `multiplier` times longer."""
    if initial_delay_minutes <= 0:
        raise ValueError(f"initial_delay_minutes must be positive, got {initial_delay_minutes}.")
    if multiplier <= 1:
        raise ValueError(f"multiplier must be greater than 1 so waits grow, got {multiplier}.")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}.")
    return [initial_delay_minutes * 60 * multiplier**retry for retry in range(max_attempts - 1)]


def retry_delay_seconds(backoff: Backoff, *, attempt: int) -> float | None:
    """Seconds to wait after `attempt` (1-based) before the next one; None when none is left."""
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}.")
    delays = backoff_delays(
        backoff.initial_delay_minutes,
        multiplier=backoff.backoff_multiplier,
        max_attempts=backoff.max_attempts,
    )
    return delays[attempt - 1] if attempt <= len(delays) else None


def completeness(records: int, expected: int) -> float:
    """records / expected; 1.0 when nothing is expected, since then nothing can exist."""
    if records < 0:
        raise ValueError(f"records must not be negative, got {records}.")
    if expected < 0:
        raise ValueError(f"expected must not be negative, got {expected}.")
    return 1.0 if expected == 0 else records / expected


def format_percent(ratio: float) -> str:
    """The ratio as a percentage with one decimal, rounded down: 0.7996 is 79.9%, never 80.0%."""
    # Rounding first absorbs float noise, so 0.575 stays 57.5% rather than 57.4%.
    return f"{math.floor(round(ratio * 1000, 6)) / 10:.1f}%"


def plan_retry(*, records: int, expected: int, attempt: int, policy: RetryPolicy) -> RetryPlan:
    """Judge attempt number `attempt` (1-based), which wrote `records` of `expected` records."""
    ratio = completeness(records, expected)
    delay_seconds = retry_delay_seconds(policy, attempt=attempt)
    wrote = f"Wrote {records} of {expected} expected records ({format_percent(ratio)})"
    threshold = f"the {policy.threshold * 100:g}% completeness threshold"

    def plan(action: RetryAction, message: str, delay: float | None = None) -> RetryPlan:
        return RetryPlan(action, records, expected, attempt, ratio, delay, message)

    if ratio >= policy.threshold:
        return plan(RetryAction.COMPLETE, f"{wrote}, meeting {threshold}, on attempt {attempt}.")
    if delay_seconds is None:
        return plan(
            RetryAction.GIVE_UP,
            f"{wrote}, still below {threshold} after {attempt} attempts "
            f"(the policy allows {policy.max_attempts}); no retries are left, "
            "so check whether the source data has arrived.",
        )
    return plan(
        RetryAction.RETRY,
        f"{wrote}, below {threshold}, on attempt {attempt} of {policy.max_attempts}; "
        f"retrying in {delay_seconds / 60:g} minutes.",
        delay_seconds,
    )
