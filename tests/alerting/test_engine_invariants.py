"""Invariants of the engine over random timelines: resolved once, never before firing, no bursts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.alerting.helpers import START, RecordingChannel, make_alert

from nbaprops.alerting import AlertEngine, AlertingConfig, AlertStore, Severity
from nbaprops.clock import VirtualClock
from nbaprops.warehouse import Warehouse

POOL = (
    make_alert("phase3_data_stale"),
    make_alert("phase3_completion_low", severity=Severity.CRITICAL),
    make_alert("worker_errors_high", component="workers"),
    make_alert("grading_gap", component="grading", severity=Severity.INFO),
)
CONFIG = AlertingConfig(
    group_wait_seconds=30, group_interval_seconds=300, repeat_interval_seconds=3600
)

steps = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2000), st.sets(st.integers(0, len(POOL) - 1))),
    min_size=1,
    max_size=10,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timeline=steps)
def test_every_notified_alert_resolves_exactly_once(timeline: list[tuple[int, set[int]]]) -> None:
    clock = VirtualClock(START)
    channels = [RecordingChannel("all"), RecordingChannel("pager", min_severity=Severity.CRITICAL)]
    with Warehouse.open(Path(":memory:")) as warehouse:
        engine = AlertEngine(AlertStore(warehouse), channels, config=CONFIG, clock=clock)
        for advance, firing in timeline:
            clock.sleep(advance)
            engine.process([POOL[i] for i in sorted(firing)])
        for _ in range(3):  # a long quiet spell flushes every resolution
            clock.sleep(CONFIG.group_interval_seconds)
            engine.process([])

    for channel in channels:
        by_alert: dict[str, list[str]] = {}
        for notification in channel.received:
            for alert in notification.firing:
                by_alert.setdefault(alert.name, []).append("F")
            for alert in notification.resolved:
                by_alert.setdefault(alert.name, []).append("R")
        for name, sequence in by_alert.items():
            text = "".join(sequence)
            assert text.startswith("F") and text.endswith("R"), (channel.name, name, text)
            assert "RR" not in text, (channel.name, name, text)
        if channel.min_severity is Severity.CRITICAL:
            assert set(by_alert) <= {"phase3_completion_low"}

        sent_by_group: dict[str, list[timedelta]] = {}
        for notification in channel.received:
            sent_by_group.setdefault(notification.group_key, []).append(
                notification.sent_utc - START
            )
        for times in sent_by_group.values():
            gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
            assert all(gap >= timedelta(seconds=CONFIG.group_wait_seconds) for gap in gaps)
