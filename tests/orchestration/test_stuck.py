"""Stuck work: runs left 'running' are found, recorded and retried; a dead process's runs are
abandoned by the next executor."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.processors.league import TinyLeague

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.errors import ProcessorError
from nbaprops.home import Home
from nbaprops.orchestration.engine import launched
from nbaprops.orchestration.requests import DailyRun, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.stuck import sweep_stuck_runs
from nbaprops.orchestration.worker import sweep
from nbaprops.processors.base import ProcessorContext, Rows
from nbaprops.processors.phase2 import ScheduleProcessor
from nbaprops.processors.runner import run_processor
from nbaprops.warehouse import Warehouse

NOW = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)
GAME_DATE = date(2025, 1, 10)


def insert_run(
    warehouse: Warehouse,
    processor: str,
    *,
    minutes_ago: float,
    status: str = "running",
    run_id: str = "daily:2025-01-10:same_day:sim",
    attempt: int = 1,
) -> None:
    warehouse.execute(
        "INSERT INTO nba_orchestration.processor_run_history (processor, phase, game_date, run_id, "
        "attempt, status, "
        "started_at) VALUES (?, 'phase3', ?, ?, ?, ?, ?)",
        [
            processor,
            GAME_DATE,
            run_id,
            attempt,
            status,
            (NOW - timedelta(minutes=minutes_ago)).replace(tzinfo=None),
        ],
    )


def statuses(warehouse: Warehouse) -> dict[str, str]:
    rows = warehouse.query("SELECT processor, status FROM nba_orchestration.processor_run_history")
    return {row["processor"]: row["status"] for row in rows}


@pytest.mark.parametrize(
    ("minutes_ago", "status", "expected"),
    [
        (45, "running", "timed_out"),
        (31, "running", "timed_out"),
        (29, "running", "running"),
        (120, "success", "success"),
        (120, "failed", "failed"),
    ],
)
def test_runs_running_past_the_timeout_are_recorded_timed_out(
    warehouse: Warehouse, minutes_ago: float, status: str, expected: str
) -> None:
    insert_run(warehouse, "player_game_summary", minutes_ago=minutes_ago, status=status)
    stuck = sweep_stuck_runs(warehouse, now=NOW, timeout_minutes=30)
    assert statuses(warehouse) == {"player_game_summary": expected}
    assert [run.processor for run in stuck] == (
        ["player_game_summary"] if expected == "timed_out" else []
    )
    if stuck:
        assert stuck[0].running_minutes == pytest.approx(minutes_ago)


class SweptWhileRunning(ScheduleProcessor):
    """Builds its rows while the worker's sweep declares the run timed out."""

    def build(self, ctx: ProcessorContext, game_date: date) -> Rows:
        rows = super().build(ctx, game_date)
        # Two hours later on the wall clock, whatever the run's own clock says.
        sweep_stuck_runs(
            ctx.warehouse, now=datetime.now(UTC) + timedelta(hours=2), timeout_minutes=30
        )
        return rows


def test_a_run_declared_timed_out_while_it_ran_writes_nothing(warehouse: Warehouse) -> None:
    ctx = ProcessorContext(
        warehouse=warehouse,
        source=TinyLeague([GAME_DATE]),
        clock=VirtualClock(NOW),
        settings=Settings(),
    )
    with pytest.raises(
        ProcessorError,
        match=r"Processor nbac_schedule for 2025-01-10 \(attempt 1\) was recorded "
        r"as timed out while it ran; its rows were not written",
    ):
        run_processor(SweptWhileRunning(), ctx, GAME_DATE)
    assert warehouse.scalar("SELECT count(*) FROM nba_raw.schedule") == 0
    assert statuses(warehouse) == {"nbac_schedule": "timed_out"}


def query(home: Home, sql: str) -> list[dict[str, Any]]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(sql)


def test_a_new_executor_abandons_the_runs_a_stopped_process_left_running(
    home: Home, settings: Settings
) -> None:
    with Warehouse.open(home.warehouse_path) as warehouse:
        insert_run(warehouse, "player_game_summary", minutes_ago=2)
    notes: list[str] = []
    with launched(home, settings, notify=notes.append):
        pass
    rows = query(home, "SELECT status, error_message FROM nba_orchestration.processor_run_history")
    assert rows == [
        {
            "status": "abandoned",
            "error_message": "The process running it stopped before it finished; "
            "the workflow re-runs it on recovery.",
        }
    ]
    assert notes == [
        "Marked 1 processor runs left 'running' by a stopped process as abandoned; "
        "their workflows resume now."
    ]


def test_the_worker_sweep_records_an_alerting_decision(home: Home, settings: Settings) -> None:
    with launched(home, settings) as engine:
        with engine.runtime.lease.hold() as warehouse:
            insert_run(warehouse, "upcoming_player_game_context", minutes_ago=95)
        notes: list[str] = []
        assert sweep(engine, now=NOW, notify=notes.append) == 1
    events = query(
        home,
        "SELECT kind, decision, alert, processor, mode, reason FROM "
        "nba_orchestration.orchestration_events",
    )
    assert [(e["kind"], e["decision"], e["alert"], e["processor"], e["mode"]) for e in events] == [
        ("timeout", "timed_out", True, "upcoming_player_game_context", "same_day")
    ]
    assert events[0]["reason"].startswith(
        "upcoming_player_game_context for 2025-01-10 (attempt 1 of "
        "daily:2025-01-10:same_day:sim) was still running after 95 minutes, "
        "past its 30-minute timeout"
    )
    assert notes == [events[0]["reason"]]


def insert_successes(warehouse: Warehouse, processor: str, *, minutes: float, runs: int = 3) -> None:
    """`runs` earlier successful runs of `processor`, each `minutes` long."""
    for day in range(1, runs + 1):
        started = (NOW - timedelta(days=day)).replace(tzinfo=None)
        warehouse.execute(
            "INSERT INTO nba_orchestration.processor_run_history (processor, phase, game_date, run_id, attempt, "
            "status, started_at, finished_at) VALUES (?, 'phase3', ?, ?, 1, 'success', ?, ?)",
            [processor, GAME_DATE - timedelta(days=day), f"daily:{day}", started,
             started + timedelta(minutes=minutes)],
        )


def test_the_worker_sweep_holds_each_run_to_its_processors_own_deadline(home: Home, settings: Settings) -> None:
    with launched(home, settings) as engine:
        with engine.runtime.lease.hold() as warehouse:
            insert_successes(warehouse, "player_game_summary", minutes=1)  # quick: a 5-minute deadline (floor)
            insert_successes(warehouse, "ml_feature_store", minutes=40)  # long: 3 x 40 = 120 minutes
            insert_run(warehouse, "player_game_summary", minutes_ago=10)
            insert_run(warehouse, "ml_feature_store", minutes_ago=95)
        notes: list[str] = []
        assert sweep(engine, now=NOW, notify=notes.append) == 1
    assert [note.split(" for ")[0] for note in notes] == ["player_game_summary"]
    assert "still running after 10 minutes, past its 5-minute timeout" in notes[0]
    rows = query(home, "SELECT processor, status FROM nba_orchestration.processor_run_history "
                       "WHERE status <> 'success' ORDER BY processor")
    assert [(r["processor"], r["status"]) for r in rows] == [
        ("ml_feature_store", "running"), ("player_game_summary", "timed_out")
    ]


class HangingInjuries(TinyLeague):
    """TinyLeague whose first injury report request hangs until released."""

    def __init__(self, dates: list[date]) -> None:
        super().__init__(dates)
        self.hanging = threading.Event()
        self.release = threading.Event()

    def injuries(self, game_date: date, *, as_of: datetime) -> list[dict[str, Any]]:
        if not self.hanging.is_set():
            self.hanging.set()
            assert self.release.wait(timeout=30)
        return super().injuries(game_date, as_of=as_of)


def test_the_sweep_gets_past_a_hung_processor_whose_write_is_then_refused_and_retried(
    home: Home, settings: Settings
) -> None:
    league = HangingInjuries([GAME_DATE - timedelta(days=1), GAME_DATE])
    with launched(
        home, settings, source_factory=lambda kind, warehouse, _settings, _home: league
    ) as engine:
        day = DailyRun(GAME_DATE, RunMode.SAME_DAY, SourceKind.SIM)
        workflow_id = engine.start(day)
        assert league.hanging.wait(timeout=30)
        # Hung for two hours on the wall clock: stuck, whatever the run's own (virtual) clock says.
        assert sweep(engine, now=datetime.now(UTC) + timedelta(hours=2), notify=lambda _m: None) == 1
        league.release.set()
        outcome = engine.wait(workflow_id)
    assert outcome.ok, outcome.error
    rows = query(
        home,
        "SELECT attempt, status, error_message FROM nba_orchestration.processor_run_history "
        "WHERE processor = 'nbac_injury_report' ORDER BY attempt",
    )
    assert [(r["attempt"], r["status"]) for r in rows] == [(1, "timed_out"), (2, "success")]
    assert re.match(r"Still running after 12[01] minutes, past the 30-minute timeout", rows[0]["error_message"])


def test_a_run_on_a_virtual_clock_is_aged_on_the_wall_clock(warehouse: Warehouse) -> None:
    """A backfill's run starts in the past on its own clock; the worker's sweep, on the wall clock,
    once took every such run it saw 'running' for stuck (a million minutes) and cut it off."""
    now = datetime.now(UTC)
    insert_run(warehouse, "player_prop_predictions", minutes_ago=60 * 24 * 700)  # its clock: 2 years back
    warehouse.execute("UPDATE nba_orchestration.processor_run_history SET started_utc = ?",
                      [(now - timedelta(seconds=20)).replace(tzinfo=None)])
    assert sweep_stuck_runs(warehouse, now=now, timeout_minutes=30) == []
    (stuck,) = sweep_stuck_runs(warehouse, now=now + timedelta(minutes=45), timeout_minutes=30)
    assert stuck.running_minutes == pytest.approx(45 + 20 / 60)
    assert statuses(warehouse) == {"player_prop_predictions": "timed_out"}
