"""A pipelined backfill: each day takes Phases 2-4 from its date's history run (which another worker's
history backfill may have built ahead), then predicts and grades. It builds what a plain backfill builds,
each processor once a date, and a day whose history run ran nothing builds its Phases 2-4 itself."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.orchestration.conftest import League, make_settings

from nbaprops.errors import ConfigError
from nbaprops.home import Home
from nbaprops.orchestration.chaos_run import snapshot
from nbaprops.orchestration.distribute import stages
from nbaprops.orchestration.engine import launched
from nbaprops.orchestration.requests import Backfill, Scope, SourceKind
from nbaprops.orchestration.worker_processes import differences
from nbaprops.warehouse import Warehouse

SETTINGS = make_settings(predictions={"min_history_games": 3})
HISTORY_PHASES = {"phase2", "phase3", "phase4"}


def fresh_home(folder: Path, league: League) -> Home:
    home = Home(folder).ensure()
    shutil.copyfile(league.warehouse_path, home.warehouse_path)
    return home


def run_history(home: Home) -> list[dict[str, object]]:
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        return warehouse.query(
            "SELECT processor, phase, game_date, attempt, run_id FROM nba_orchestration.processor_run_history "
            "ORDER BY game_date, processor, attempt"
        )


def test_a_pipelined_backfill_builds_what_a_plain_one_builds_each_processor_once(
    tmp_path: Path, league: League
) -> None:
    plain, pipelined = fresh_home(tmp_path / "plain", league), fresh_home(tmp_path / "pipelined", league)
    backfill = Backfill(league.game_dates[0], league.game_dates[-1], SourceKind.SIM)
    with launched(plain, SETTINGS) as engine:
        assert engine.run(backfill).ok
    with launched(pipelined, SETTINGS) as engine:
        for stage in stages(backfill, pipelined=True):
            outcome = engine.run(stage)
            assert outcome.ok and outcome.result is not None
    assert outcome.result["complete"] == len(league.game_dates)
    assert differences(snapshot(plain.warehouse_path), snapshot(pipelined.warehouse_path)) == {}

    runs = run_history(pipelined)
    per_date = [(r["processor"], r["game_date"]) for r in runs]
    assert len(per_date) == len(set(per_date)), "each processor ran once a date"
    assert len(runs) == len(run_history(plain))
    for run in runs:  # the last day's results run closes the season itself
        expected = "history:" if run["phase"] in HISTORY_PHASES else "daily:"
        assert str(run["run_id"]).startswith((expected, "results:")), run


def test_a_pipelined_day_adopts_its_history_runs_attempts_and_clock(tmp_path: Path, league: League) -> None:
    home = fresh_home(tmp_path / "home", league)
    backfill = Backfill(league.game_dates[0], league.game_dates[3], SourceKind.SIM, pipelined=True)
    with launched(home, SETTINGS) as engine:  # no history backfill first: each day starts its own
        outcome = engine.run(backfill)
        assert outcome.ok
        day = engine.wait(backfill.day(league.game_dates[3]).workflow_id)
        history = engine.wait(backfill.day(league.game_dates[3], scope=Scope.HISTORY).workflow_id)
    assert day is not None and history is not None and day.result is not None and history.result is not None
    assert history.result["processors"]
    assert {name: day.result["processors"][name] for name in history.result["processors"]} == (
        history.result["processors"]
    )
    assert set(history.result["phases"]) == HISTORY_PHASES
    assert {"phase5", "grading"} <= set(day.result["phases"])
    finished = max(p["finished_at"] for p in history.result["processors"].values())
    predicted = day.result["processors"]["player_prop_predictions"]
    assert predicted["started_at"] >= finished, "predictions start where the history run's clock ended"


def test_a_day_whose_history_run_built_nothing_builds_phases_2_to_4_itself(tmp_path: Path, league: League) -> None:
    home = fresh_home(tmp_path / "home", league)
    dates = league.game_dates
    with launched(home, SETTINGS) as engine:
        assert engine.run(Backfill(dates[0], dates[3], SourceKind.SIM)).ok
        # Re-run pipelined: each day's history run finds its days built and runs nothing.
        rerun = Backfill(dates[0], dates[3], SourceKind.SIM, pipelined=True, attempt=2)
        assert engine.run(rerun).ok
    runs = [r for r in run_history(home) if str(r["run_id"]).endswith(":rerun2")]
    assert {r["processor"] for r in runs if r["phase"] == "phase4"} == {"player_daily_cache", "ml_feature_store"}
    assert all(str(r["run_id"]).startswith(("daily:", "results:")) for r in runs)
    with Warehouse.open(home.warehouse_path, read_only=True) as warehouse:
        reasons = [r["reason"] for r in warehouse.query(
            "SELECT reason FROM nba_orchestration.orchestration_events WHERE decision = 'history_not_adopted' "
            "ORDER BY game_date")]
    assert len(reasons) == 4
    assert all("it ran no processor" in reason and "builds Phases 2-4 itself" in reason for reason in reasons)


def test_a_history_backfill_cannot_be_pipelined() -> None:
    with pytest.raises(ConfigError, match="builds history only"):
        Backfill(date_of(0), date_of(1), SourceKind.SIM, history=True, pipelined=True)


def test_pipelined_stages_are_the_history_then_the_days() -> None:
    backfill = Backfill(date_of(0), date_of(5), SourceKind.REPLAY)
    history, days = stages(backfill, pipelined=True)
    assert history.workflow_id == "history:2025-01-01:2025-01-06:backfill:replay" and history.history
    assert days.workflow_id == backfill.workflow_id and days.pipelined
    assert all(day.history_first for day in [days.day(date_of(1)), days.day(date_of(5), scope=Scope.RESULTS)])
    assert stages(backfill, pipelined=False) == [backfill]
    assert stages(history, pipelined=True) == [history]


def date_of(offset: int) -> date:
    return date(2025, 1, 1) + timedelta(days=offset)
