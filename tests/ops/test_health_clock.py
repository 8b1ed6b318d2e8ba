"""Which clock `nbaprops health` judges by: the table of choices, and the runs a warehouse recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.ops.test_health_builder import D, P, PipelineDays, at

from nbaprops.ops import ClockKind, RecordedRun, choose_clock, home_clock, read_recorded_runs
from nbaprops.ops.health_clock import source_of
from nbaprops.orchestration.requests import DailyRun, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse

WALL = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
AS_OF = datetime(2025, 1, 10, 17, 30, tzinfo=UTC)
REACHED = datetime(2025, 1, 11, 3, 10, tzinfo=UTC)
DAY_REACHED = datetime(2025, 1, 10, 23, 59, tzinfo=UTC)


def run(run_id: str, reached: datetime = REACHED, *, gap_seconds: float | None) -> RecordedRun:
    return RecordedRun(run_id=run_id, reached_utc=reached, closest_to_wall_seconds=gap_seconds)


REPLAY = run("daily:2025-01-10:backfill:replay", gap_seconds=60 * 86400.0)
EARLIER_REPLAY = run(
    "daily:2025-01-09:backfill:replay", REACHED - timedelta(days=1), gap_seconds=61 * 86400.0
)
SIM = run("daily:2025-01-10:overnight:sim", gap_seconds=3600.0)
BACKTEST = run("backtest:threes:2025-01-10", gap_seconds=None)
LIVE = run("daily:2026-12-06:same_day:live", WALL, gap_seconds=2.0)
REPLAY_ON_WALL = run("daily:2025-01-10:same_day:replay", WALL, gap_seconds=0.5)
UNRECORDED = run("run-2025-01-10-1600", gap_seconds=None)

CASES = {
    # name: (runs, as_of, game_date, day_reached, kind, now, words in the reason)
    "no runs": ((), None, None, None, ClockKind.WALL, WALL, "no run recorded a virtual clock"),
    "runs that recorded no clock": (
        (UNRECORDED,), None, None, None, ClockKind.WALL, WALL, "no run recorded a virtual clock"
    ),
    "live runs": ((LIVE,), None, None, None, ClockKind.WALL, WALL, "live runs"),
    "replay runs on the wall clock": (
        (REPLAY_ON_WALL,), None, None, None, ClockKind.WALL, WALL, "replay runs"
    ),
    "replay runs": (
        (EARLIER_REPLAY, REPLAY, UNRECORDED), None, None, None, ClockKind.VIRTUAL, REACHED,
        "replay runs; as of 2025-01-11T03:10Z, the latest they reached",
    ),
    "a backtest": (
        (BACKTEST,), None, None, None, ClockKind.VIRTUAL, REACHED, "backtest runs; as of",
    ),
    "replay and sim runs": (
        (REPLAY, SIM), None, None, None, ClockKind.VIRTUAL, REACHED, "1 replay and 1 sim runs",
    ),
    "a game date asked for": (
        (REPLAY,), None, D, DAY_REACHED, ClockKind.VIRTUAL, DAY_REACHED,
        "as of 2025-01-10T23:59Z, when they last worked on 2025-01-10",
    ),
    "a game date the runs never worked on": (
        (REPLAY,), None, D, None, ClockKind.VIRTUAL, REACHED, "the latest they reached",
    ),
    "live beside replay runs": (
        (REPLAY, LIVE), None, None, None, ClockKind.WALL, WALL,
        "live runs beside replay runs: a home that runs on the wall clock is judged by it",
    ),
    "--as-of over replay runs": (
        (REPLAY,), AS_OF, None, None, ClockKind.GIVEN, AS_OF,
        "--as-of 2025-01-10T17:30Z, instead of the virtual clock (replay runs; as of",
    ),
    "--as-of over live runs": (
        (LIVE,), AS_OF, None, None, ClockKind.GIVEN, AS_OF,
        "--as-of 2025-01-10T17:30Z, instead of the wall clock (live runs)",
    ),
}


@pytest.mark.parametrize(
    ("runs", "as_of", "game_date", "day_reached", "kind", "now", "words"),
    CASES.values(),
    ids=CASES.keys(),
)
def test_choose_clock(
    runs: tuple[RecordedRun, ...],
    as_of: datetime | None,
    game_date: date | None,
    day_reached: datetime | None,
    kind: ClockKind,
    now: datetime,
    words: str,
) -> None:
    clock = choose_clock(
        runs, wall_now=WALL, as_of=as_of, game_date=game_date, day_reached_utc=day_reached
    )
    assert (clock.kind, clock.now_utc) == (kind, now)
    assert words in clock.reason
    assert clock.header == f"clock: {kind.value} ({clock.reason})"
    assert clock.to_json() == {"kind": kind.value, "now_utc": now.isoformat(), "reason": clock.reason}


@pytest.mark.parametrize("source", list(SourceKind))
@pytest.mark.parametrize("mode", [RunMode.BACKFILL, RunMode.SAME_DAY])
def test_source_of_reads_the_workflow_ids_orchestration_makes(
    source: SourceKind, mode: RunMode
) -> None:
    request = DailyRun(D, mode, source)
    assert source_of(request.workflow_id) == source.value
    assert source_of(request.for_date(P).workflow_id) == source.value


@pytest.mark.parametrize(
    ("run_id", "source"),
    [("backtest:threes:2025-01-10", "backtest"), ("backtest:points:final", "backtest"),
     ("run-2025-01-10-1600", None), ("daily:2025-01-10:backfill", None)],
)
def test_source_of_other_run_ids(run_id: str, source: str | None) -> None:
    assert source_of(run_id) == source


def _completed(
    days: PipelineDays, workflow_id: str, day: date, *, run_at: datetime, wall_at: datetime
) -> None:
    """One phase completion of `workflow_id`, on its clock (`run_at`) and the wall's."""
    naive = [instant.astimezone(UTC).replace(tzinfo=None) for instant in (run_at, wall_at)]
    days.warehouse.execute(
        "INSERT INTO nba_orchestration.phase_completions (workflow_id, run_id, game_date, mode, "
        "phase, status, processors, started_at, completed_at, started_utc, completed_utc) "
        "VALUES (?, ?, ?, 'backfill', 'phase3', 'complete', '{}', ?, ?, ?, ?)",
        [workflow_id, workflow_id, day, naive[0], naive[0], naive[1], naive[1]],
    )


def test_a_replayed_home_is_judged_on_its_virtual_clock(warehouse: Warehouse) -> None:
    days = PipelineDays(warehouse)
    replay = DailyRun(D, RunMode.BACKFILL, SourceKind.REPLAY).workflow_id
    days.run("player_game_summary", P, started=at(16), run_id=replay)
    days.run("upcoming_player_game_context", D, started=at(16, 5), run_id=replay)
    days.run("player_game_summary", D, started=at(16, day=D + timedelta(days=1)), run_id="backtest:x:y")
    _completed(days, replay, D, run_at=at(16, 10), wall_at=WALL)

    runs = {run.run_id: run for run in read_recorded_runs(warehouse)}
    assert runs[replay].reached_utc == at(16, 10)  # the phase completion, after both processors
    assert runs[replay].clock is ClockKind.VIRTUAL
    assert runs["backtest:x:y"].clock is ClockKind.VIRTUAL

    clock = home_clock(warehouse, wall_now=WALL)
    assert clock.kind is ClockKind.VIRTUAL
    assert clock.now_utc == at(16, 2, day=D + timedelta(days=1))  # the backtest run's finish
    on_p = home_clock(warehouse, wall_now=WALL, game_date=P)
    assert on_p.now_utc == at(16, 2)
    assert "when they last worked on 2025-01-09" in on_p.reason


def test_a_live_run_makes_the_home_a_wall_clock_home(warehouse: Warehouse) -> None:
    days = PipelineDays(warehouse)
    replay = DailyRun(D, RunMode.BACKFILL, SourceKind.REPLAY).workflow_id
    live = DailyRun(WALL.date(), RunMode.SAME_DAY, SourceKind.LIVE, virtual=False).workflow_id
    _completed(days, replay, D, run_at=at(16, 10), wall_at=WALL - timedelta(days=1))
    _completed(days, live, WALL.date(), run_at=WALL - timedelta(seconds=3), wall_at=WALL)
    clock = home_clock(warehouse, wall_now=WALL)
    assert (clock.kind, clock.now_utc) == (ClockKind.WALL, WALL)
    assert clock.reason.startswith("live runs beside replay runs")
