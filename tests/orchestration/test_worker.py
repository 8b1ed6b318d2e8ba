"""The worker's schedules: which daily runs fall due between two looks at the clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nbaprops.config import load_settings
from nbaprops.home import Home
from nbaprops.orchestration.settings import RunMode, WorkerSchedule
from nbaprops.orchestration.worker import WorkerReport, due_runs, run_worker

SCHEDULES = (
    WorkerSchedule(mode=RunMode.OVERNIGHT, hour_utc=9.0, date_offset_days=-1),
    WorkerSchedule(mode=RunMode.SAME_DAY, hour_utc=16.5, date_offset_days=0),
    WorkerSchedule(mode=RunMode.TOMORROW, hour_utc=22.0, date_offset_days=1),
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "until", "expected"),
    [
        (at(10, 8), at(10, 8, 30), []),
        (at(10, 8), at(10, 9), [("overnight", date(2025, 1, 9))]),
        (at(10, 9), at(10, 9, 1), []),  # due exactly at `after`: started on the look before
        (at(10, 16), at(10, 17), [("same_day", date(2025, 1, 10))]),
        (
            at(10, 8),
            at(10, 23),
            [
                ("overnight", date(2025, 1, 9)),
                ("same_day", date(2025, 1, 10)),
                ("tomorrow", date(2025, 1, 11)),
            ],
        ),
        (at(10, 23), at(11, 10), [("overnight", date(2025, 1, 10))]),
    ],
)
def test_runs_due_between_two_looks(
    after: datetime, until: datetime, expected: list[tuple[str, date]]
) -> None:
    runs = due_runs(SCHEDULES, after=after, until=until)
    assert [(run.schedule.mode.value, run.game_date) for run in runs] == expected
    assert all(after < run.due_at <= until for run in runs)


class FollowingClock:
    """Real time moving on from a chosen instant, so a schedule falls due a moment after start.

    The chosen instant is the first reading, not the clock's creation: a worker that is slow to
    launch (a loaded machine) must not find the schedule already past when it first looks."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._t0: float | None = None

    def now(self) -> datetime:
        if self._t0 is None:
            self._t0 = time.monotonic()
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def test_the_worker_runs_the_daily_health_check_and_notifies(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    home.config_path.write_text(
        '[health]\ndaily_at_utc = "14:00"\nnotify = true\n'
        "[orchestration.worker]\nschedules = []\npoll_interval_seconds = 0.05\n"
        '[[alerting.channels]]\nname = "log"\nurl = "jsonl://alerts.jsonl"\nmin_severity = "info"\n',
        encoding="utf-8",
    )
    settings = load_settings(home.config_path)
    stop = threading.Event()
    notes: list[str] = []
    reports: list[WorkerReport] = []

    def work() -> None:
        reports.append(run_worker(home, settings, stop=stop, notify=notes.append,
                                  clock=FollowingClock(datetime(2025, 1, 10, 13, 59, 59, 500000, tzinfo=UTC))))

    thread = threading.Thread(target=work)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not any(note.startswith("Daily health check") for note in notes) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    (report,) = reports
    assert report.health_checks == ["warning"]  # an empty home: nothing run yet is a warning, not a crash
    assert any("Daily health check: WARNING" in note for note in notes), notes
