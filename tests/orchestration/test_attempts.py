"""Which attempt a command means: the latest recorded one, or for a re-run the next one, joining
an attempt that is still running, so two re-runs asked for at once make one attempt."""

from __future__ import annotations

from datetime import date

import pytest

from nbaprops.errors import ConfigError
from nbaprops.orchestration.attempts import (
    attempts_by_first_id,
    backfill_attempt,
    choose_attempt,
    day_attempt,
)
from nbaprops.orchestration.requests import Backfill, DailyRun, Scope, SourceKind, attempt_of
from nbaprops.orchestration.settings import RunMode

DAY = date(2025, 1, 10)
RUN = DailyRun(DAY, RunMode.SAME_DAY, SourceKind.REPLAY)
FIRST = "daily:2025-01-10:same_day:replay"


@pytest.mark.parametrize(
    ("own", "rerun", "parts", "attempt"),
    [
        ({}, False, 0, 1),  # nothing ran: the first attempt
        ({}, True, 0, 1),  # a re-run of what never ran is its first run
        ({1: "SUCCESS"}, False, 0, 1),  # finished: reported, not repeated
        ({1: "SUCCESS"}, True, 0, 2),
        ({1: "ERROR", 2: "SUCCESS"}, False, 0, 2),  # the latest attempt is the day's
        ({1: "SUCCESS", 2: "ERROR"}, True, 0, 3),
        ({1: "SUCCESS", 2: "PENDING"}, True, 0, 2),  # running: a second re-run joins it
        ({1: "SUCCESS", 2: "ENQUEUED"}, True, 0, 2),
        ({1: "SUCCESS", 2: "CANCELLED"}, True, 0, 3),  # cancelled: the re-run is a new attempt
        ({1: "SUCCESS"}, True, 4, 5),  # a backfill re-run passes its days' own re-runs
        ({1: "SUCCESS", 2: "PENDING"}, True, 3, 4),
        ({1: "SUCCESS"}, False, 4, 1),
    ],
)
def test_the_attempt_to_run(own: dict[int, str], rerun: bool, parts: int, attempt: int) -> None:
    assert choose_attempt(own, rerun=rerun, parts=parts) == attempt


def test_attempt_ids_extend_the_first_and_read_back() -> None:
    attempts = [DailyRun(DAY, RUN.mode, RUN.source, attempt=n) for n in (1, 2, 10)]
    assert [run.workflow_id for run in attempts] == [FIRST, f"{FIRST}:rerun2", f"{FIRST}:rerun10"]
    assert [attempt_of(i, FIRST) for i in (FIRST, f"{FIRST}:rerun2", f"{FIRST}:rerun10")] == [1, 2, 10]
    assert [attempt_of(i, FIRST) for i in (f"{FIRST}:rerun", f"{FIRST}:rerun02", f"{FIRST}x")] == [None] * 3
    rerun = DailyRun(DAY, RUN.mode, RUN.source, attempt=3)
    assert DailyRun.from_json(rerun.to_json()) == rerun
    legacy = {key: value for key, value in RUN.to_json().items() if key != "attempt"}
    assert DailyRun.from_json(legacy) == RUN  # requests recorded before re-runs existed
    with pytest.raises(ConfigError, match="attempt must be at least 1, not 0"):
        DailyRun(DAY, RUN.mode, RUN.source, attempt=0)


def test_statuses_group_by_first_attempt() -> None:
    statuses = {FIRST: "SUCCESS", f"{FIRST}:rerun2": "SUCCESS", f"{FIRST}:rerun3": "PENDING"}
    assert attempts_by_first_id(statuses) == {FIRST: {1: "SUCCESS", 2: "SUCCESS", 3: "PENDING"}}
    assert day_attempt(statuses, RUN, rerun=True) == 3
    assert day_attempt(statuses, RUN, rerun=False) == 3
    # The regrade after a day's re-run takes the day's number when its own would be lower.
    results = DailyRun(DAY, RUN.mode, RUN.source, scope=Scope.RESULTS)
    assert day_attempt(statuses, results, rerun=True, at_least=4) == 4
    assert day_attempt({results.workflow_id: "SUCCESS"}, results, rerun=True, at_least=1) == 2


def test_a_backfill_rerun_passes_every_attempt_of_its_days() -> None:
    backfill = Backfill(date(2025, 1, 8), DAY, SourceKind.SIM)
    statuses = {
        backfill.workflow_id: "SUCCESS",
        "daily:2025-01-09:backfill:sim": "SUCCESS",
        "daily:2025-01-09:backfill:sim:rerun4": "SUCCESS",
        "results:2025-01-10:backfill:sim:rerun2": "SUCCESS",
        "daily:2025-01-11:backfill:sim:rerun9": "SUCCESS",  # outside the range
        "daily:2025-01-09:same_day:sim:rerun7": "SUCCESS",  # another mode
    }
    assert backfill_attempt(statuses, backfill, rerun=True) == 5
    assert backfill_attempt(statuses, backfill, rerun=False) == 1
    rerun = Backfill(backfill.start, DAY, SourceKind.SIM, attempt=5)
    assert (rerun.workflow_id, rerun.day(DAY).workflow_id) == (
        "backfill:2025-01-08:2025-01-10:backfill:sim:rerun5",
        "daily:2025-01-10:backfill:sim:rerun5",
    )
