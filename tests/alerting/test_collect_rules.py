"""The pure rules beside the collect readers: tables of cases, no warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from nbaprops.alerting.collect import (
    components_of,
    down_sources,
    first_phase4_start,
    predictions_due,
)
from nbaprops.errors import NaiveInstantError, NbaPropsError
from nbaprops.state import ScheduledDay, error_text, phase3_targets, warehouse_instant

D = date(2025, 1, 10)
TIPOFF = datetime(2025, 1, 11, 0, 30, tzinfo=UTC)
T = [TIPOFF + timedelta(hours=h) for h in range(4)]


@pytest.mark.parametrize(
    ("last_tipoff", "now", "phase5_finished", "due"),
    [
        (TIPOFF, TIPOFF - timedelta(minutes=1), False, False),
        (TIPOFF, TIPOFF, False, True),
        (TIPOFF, TIPOFF - timedelta(hours=3), True, True),
        (None, TIPOFF, False, False),
        (None, TIPOFF, True, True),
    ],
)
def test_predictions_are_due_at_the_last_tipoff_or_once_phase5_finished(
    last_tipoff: datetime | None, now: datetime, phase5_finished: bool, due: bool
) -> None:
    day = ScheduledDay(D, 2, last_tipoff)
    assert predictions_due(day, now_utc=now, phase5_finished=phase5_finished) is due


@pytest.mark.parametrize(
    ("starts", "finished", "expected"),
    [
        ([], None, None),
        ([T[1], T[2]], None, T[1]),
        ([T[0], T[2], T[3]], T[1], T[2]),
        ([T[0], T[1]], T[3], T[1]),
        ([], T[1], None),
    ],
)
def test_phase4_starts_at_the_first_start_after_phase3_else_the_latest(
    starts: list[datetime], finished: datetime | None, expected: datetime | None
) -> None:
    assert first_phase4_start(starts, phase3_finished_utc=finished) == expected


def test_results_processors_work_on_the_previous_game_day_and_drop_out_without_one() -> None:
    processors = ("upcoming_player_game_context", "player_game_summary")
    previous = date(2025, 1, 8)
    assert phase3_targets(processors, game_date=D, previous=previous) == {
        "upcoming_player_game_context": D,
        "player_game_summary": previous,
    }
    assert phase3_targets(processors, game_date=D, previous=None) == {
        "upcoming_player_game_context": D
    }


def _run(processor: str, day: date, status: str, message: str | None = "down") -> dict[str, Any]:
    return {"processor": processor, "game_date": day, "status": status,
            "error_class": "SourceError", "error_message": message}


def test_a_source_is_down_when_its_latest_run_failed_and_the_first_failure_explains_it() -> None:
    runs = [
        _run("odds", D, "failed", "503\ntraceback"),
        _run("odds", D + timedelta(days=1), "timed_out"),
        _run("schedule", D, "success", None),
    ]
    assert down_sources(runs) == (("odds", "its 2025-01-10 run failed (SourceError: 503)"),)


def test_retry_components_leave_out_phases_without_one() -> None:
    assert components_of(["phase2", "phase5", None, "phase9"]) == {"sources", "predictions"}


@pytest.mark.parametrize(
    ("error_class", "message", "limit", "text"),
    [
        ("SourceError", "late.\nmore", 160, "SourceError: late."),
        (None, None, 160, "error: no message"),
        ("E", "x" * 20, 10, "E: xxxxxx…"),
    ],
)
def test_error_text_is_one_bounded_line(
    error_class: str | None, message: str | None, limit: int, text: str
) -> None:
    assert error_text(error_class, message, limit=limit) == text


def test_a_naive_instant_is_refused_with_the_project_error() -> None:
    with pytest.raises(NaiveInstantError, match="now_utc must be timezone-aware") as raised:
        warehouse_instant(datetime(2025, 1, 10, 12))
    assert isinstance(raised.value, NbaPropsError)
    assert warehouse_instant(datetime(2025, 1, 10, 12, tzinfo=UTC)) == datetime(2025, 1, 10, 12)
