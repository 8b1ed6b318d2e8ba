"""A run's deadline from its processor's own history, the clock that cuts a stall off there, and the
schedule an outage is waited out on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.clock import VirtualClock
from nbaprops.errors import ProcessorError
from nbaprops.orchestration.settings import OutageConfig, StuckConfig
from nbaprops.orchestration.stuck import DeadlineClock, expected_timeout_minutes

STUCK = StuckConfig()
START = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("durations_minutes", "config", "timeout_minutes"),
    [
        ([], STUCK, 30.0),  # no history: the configured timeout
        ([0.0, 0.0], STUCK, 30.0),  # fewer than min_history_runs successes
        ([0.0, 0.0, 0.0], STUCK, 5.0),  # instant work: the floor
        ([1.0, 2.0, 1.5], STUCK, 6.0),  # 3 times the longest
        ([100.0, 120.0, 90.0], STUCK, 360.0),  # long work keeps a long deadline, past the 30-minute default
        ([1.0, 2.0, 1.5], StuckConfig(adaptive_timeout=False), 30.0),
        ([1.0, 2.0, 1.5], StuckConfig(expected_duration_factor=2, min_timeout_minutes=1), 4.0),
    ],
)
def test_a_runs_deadline_comes_from_its_processors_recent_successes(
    durations_minutes: list[float], config: StuckConfig, timeout_minutes: float
) -> None:
    assert expected_timeout_minutes(durations_minutes, config) == timeout_minutes


@given(st.lists(st.floats(min_value=0, max_value=10_000), min_size=3, max_size=20))
def test_no_usual_run_is_ever_cut_off(durations_minutes: list[float]) -> None:
    timeout = expected_timeout_minutes(durations_minutes, STUCK)
    assert timeout >= STUCK.min_timeout_minutes
    assert max(durations_minutes) < timeout


def test_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="durations must not be negative"):
        expected_timeout_minutes([1.0, -1.0, 2.0], STUCK)


def test_a_stall_past_the_deadline_is_cut_off_at_the_deadline() -> None:
    inner = VirtualClock(START)
    clock = DeadlineClock(inner, deadline=START + timedelta(minutes=5), processor="ml_feature_store",
                          timeout_minutes=5)
    clock.sleep(60)
    assert clock.now() == START + timedelta(minutes=1)
    with pytest.raises(ProcessorError, match="ml_feature_store stalled past its 5-minute deadline"):
        clock.sleep(3 * 3600)
    assert clock.now() == START + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("attempt", "waited_minutes", "delay_minutes"),
    [
        (1, 0, 15.0),
        (2, 15, 30.0),
        (3, 45, 60.0),
        (4, 105, 60.0),  # capped at max_delay_minutes: a source back is noticed within the hour
        (20, 35 * 60, 60.0),
        (21, 36 * 60, None),  # the outage lasted max_wait_hours: give up
    ],
)
def test_an_outage_is_waited_out_on_a_capped_schedule(
    attempt: int, waited_minutes: float, delay_minutes: float | None
) -> None:
    delay = OutageConfig().delay_seconds(attempt=attempt, waited_seconds=waited_minutes * 60)
    assert delay == (None if delay_minutes is None else delay_minutes * 60)


def test_an_outage_attempt_counts_from_one() -> None:
    with pytest.raises(ValueError, match="attempt counts from 1, got 0"):
        OutageConfig().delay_seconds(attempt=0, waited_seconds=0)
