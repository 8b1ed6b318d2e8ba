"""Exactly-once: however the days are delivered (twice, out of order) and wherever the process
dies, the predictions and their grades equal those of one clean run, row for row.

Each process of a scenario is a fork that launches the engine, delivers the work and waits;
`kill:after_step=N` makes it die (os._exit) right after the N-th step it executes. The next
fork delivers the same work again and finishes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from tests.orchestration.conftest import League, make_settings

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import Engine
from nbaprops.orchestration.requests import DailyRun, Scope, SourceKind
from nbaprops.orchestration.runtime import KILLED_EXIT_CODE
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse

EXAMPLES = 6
DAYS = 3
# About the steps a clean run of the scenario executes (3 days, then the last one's results).
STEPS = 60

pytestmark = pytest.mark.slow


def deliveries(league: League) -> list[DailyRun]:
    first = league.game_dates[0]
    days = [
        DailyRun(day, RunMode.BACKFILL, SourceKind.SIM, since=first)
        for day in league.game_dates[:DAYS]
    ]
    return [
        *days,
        DailyRun(
            league.game_dates[DAYS - 1],
            RunMode.BACKFILL,
            SourceKind.SIM,
            since=first,
            scope=Scope.RESULTS,
        ),
    ]


def run_process(
    home: Home, settings: Settings, work: list[DailyRun], *, kill_after_step: int | None
) -> int:
    """Deliver `work` in order from a forked process; its exit code (137: the fault killed it)."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            with Engine.try_launch(home, settings, kill_after_step=kill_after_step) as engine:  # type: ignore[union-attr]
                for workflow_id in [engine.start(day) for day in work]:
                    assert engine.wait(workflow_id).ok
        except BaseException:  # noqa: BLE001 - reported to the parent through the exit code and a file
            (home.root / "child-error.txt").write_text(traceback.format_exc())
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def outputs(home: Home) -> dict[str, list[dict[str, Any]]]:
    """Every row of both tables, every column: on virtual time even created_at and graded_at
    are the same in every execution, since every clock reading is replayed from the record."""
    with Warehouse.open(home.warehouse_path) as warehouse:
        return {
            table: warehouse.query(f"SELECT * FROM nba_predictions.{table} ORDER BY prediction_id")
            for table in ("player_prop_predictions", "prediction_accuracy")
        }


def fresh_home(league: League) -> Home:
    home = Home(Path(tempfile.mkdtemp(prefix="nbaprops-once-")) / "home").ensure()
    shutil.copyfile(league.warehouse_path, home.warehouse_path)
    return home


@pytest.fixture
def clean_run(league: League, backend: str | None) -> dict[str, list[dict[str, Any]]]:
    home = fresh_home(league)
    try:
        assert (
            run_process(
                home,
                make_settings(backend, predictions={"min_history_games": 2}),
                deliveries(league),
                kill_after_step=None,
            )
            == 0
        )
        result = outputs(home)
    finally:
        shutil.rmtree(home.root.parent)
    assert len(result["player_prop_predictions"]) > 0 and len(result["prediction_accuracy"]) > 0
    return result


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[int], list[bool], list[int]]:
    order = draw(st.permutations(range(DAYS + 1)))
    twice = draw(st.lists(st.booleans(), min_size=DAYS + 1, max_size=DAYS + 1))
    kills = draw(st.lists(st.integers(min_value=1, max_value=STEPS), min_size=1, max_size=2))
    return list(order), twice, kills


@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_duplicated_reordered_and_killed_deliveries_give_the_clean_run_row_for_row(
    league: League,
    backend: str | None,
    clean_run: dict[str, list[dict[str, Any]]],
    scenario: tuple[list[int], list[bool], list[int]],
) -> None:
    order, twice, kills = scenario
    work = deliveries(league)
    delivered = [work[i] for i in order for _ in range(2 if twice[i] else 1)]
    home = fresh_home(league)
    settings = make_settings(backend, predictions={"min_history_games": 2})
    try:
        for kill in kills:
            code = run_process(home, settings, delivered, kill_after_step=kill)
            assert code in (0, KILLED_EXIT_CODE), (home.root / "child-error.txt").read_text()
        assert run_process(home, settings, delivered, kill_after_step=None) == 0, (
            home.root / "child-error.txt"
        ).read_text()
        assert outputs(home) == clean_run
        with Warehouse.open(home.warehouse_path) as warehouse:
            repeated = warehouse.query(
                "SELECT processor, game_date, run_id, attempt FROM "
                "nba_orchestration.processor_run_history "
                "WHERE status = 'success' GROUP BY ALL HAVING count(*) > 1"
            )
        assert repeated == []
    finally:
        shutil.rmtree(home.root.parent)
