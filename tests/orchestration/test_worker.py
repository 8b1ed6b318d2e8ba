"""The worker's schedules: which daily runs fall due between two looks at the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from nbaprops.orchestration.settings import RunMode, WorkerSchedule
from nbaprops.orchestration.worker import due_runs

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
