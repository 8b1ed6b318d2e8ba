"""The engine: DBOS launched as the home's one executor; daily runs with deterministic IDs."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from tests.orchestration.conftest import League, make_settings

from nbaprops.config import Settings
from nbaprops.errors import OrchestrationError
from nbaprops.home import Home
from nbaprops.orchestration.engine import Engine, EngineClient, launched, system_database_url, system_schema
from nbaprops.orchestration.requests import DailyRun, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        (None, "sqlite:///{home}/orchestration.sqlite"),
        (
            "postgresql://postgres@127.0.0.1:5432/nbaprops",
            "postgresql://postgres@127.0.0.1:5432/nbaprops",
        ),
    ],
)
def test_system_database_is_sqlite_under_the_home_unless_configured(
    tmp_path: Path, database_url: str | None, expected: str
) -> None:
    home = Home(tmp_path)
    assert system_database_url(home, make_settings(database_url)) == expected.format(home=tmp_path)


def test_homes_sharing_a_postgres_database_each_get_a_schema(tmp_path: Path) -> None:
    shared = make_settings("postgresql://postgres@127.0.0.1:5432/nbaprops")
    a, b = Home(tmp_path / "a"), Home(tmp_path / "b")
    assert system_schema(a, shared) != system_schema(b, shared)
    assert system_schema(a, shared) == system_schema(Home(tmp_path / "a"), shared)
    assert system_schema(a, make_settings()) == "dbos"


def test_a_day_runs_once_under_its_deterministic_id(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(league.game_dates[2], RunMode.SAME_DAY, SourceKind.SIM)
    with launched(league_home, settings) as engine:
        first = engine.run(day)
        second = engine.run(day)
    assert first.workflow_id == second.workflow_id == f"daily:{league.game_dates[2]}:same_day:sim"
    assert first.ok and first.result is not None and first.result["status"] == "complete"
    assert second.result == first.result
    with Warehouse.open(league_home.warehouse_path) as warehouse:
        runs = warehouse.query(
            "SELECT processor, count(*) AS n FROM nba_orchestration.processor_run_history GROUP BY "
            "processor"
        )
        phases = warehouse.query(
            "SELECT phase, status, processors FROM nba_orchestration.phase_completions ORDER BY "
            "completed_utc"
        )
        gates = warehouse.query(
            "SELECT gate, decision, reason, inputs, workflow_id, game_date, mode, decided_at "
            "FROM nba_orchestration.orchestration_events WHERE kind = 'gate' ORDER BY gate"
        )
    assert {row["n"] for row in runs} == {1} and len(runs) == 14
    assert [p["phase"] for p in phases] == ["phase2", "phase3", "phase4", "phase5", "grading"]
    assert {p["status"] for p in phases} == {"complete"}
    assert set(json.loads(phases[1]["processors"])) == {
        "player_game_summary",
        "team_offense_game_summary",
        "team_defense_game_summary",
        "upcoming_player_game_context",
        "upcoming_team_game_context",
    }
    assert [(g["gate"], g["decision"]) for g in gates] == [
        ("phase3_to_grading", "proceed"),
        ("phase3_to_phase4", "proceed"),
        ("phase4_to_phase5", "proceed"),
    ]
    inputs = json.loads(gates[1]["inputs"])
    assert inputs["run_mode"] == "same_day" and inputs["min_completeness"] == 0.8
    assert inputs["processors"]["upcoming_player_game_context"]["verdict"] == "complete"
    assert gates[1]["reason"].startswith(
        "Every processor is complete: upcoming_player_game_context at "
    )
    assert {(g["workflow_id"], g["game_date"], g["mode"]) for g in gates} == {
        (first.workflow_id, league.game_dates[2], "same_day")
    }


def test_one_executor_per_home(league_home: Home, settings: Settings) -> None:
    with launched(league_home, settings):
        assert Engine.try_launch(league_home, settings) is None
        with (
            pytest.raises(
                OrchestrationError,
                match=r"Another nbaprops process \(pid \d+\) is executing workflows",
            ),
            launched(league_home, settings),
        ):
            pass
    with launched(league_home, settings):
        pass


def test_handing_over_before_the_executor_made_its_tables_waits_then_says_so(tmp_path: Path) -> None:
    """The executor creates the system database file before DBOS creates its tables: a command
    handing work over in that moment waits (bounded) instead of crashing."""
    home = Home(tmp_path / "home").ensure()
    sqlite3.connect(home.orchestration_db_path).close()
    client = EngineClient(home, Settings())
    started = time.monotonic()
    with pytest.raises(OrchestrationError, match=r"Could not hand daily:2025-01-10:same_day:sim to the executor"):
        client.enqueue(DailyRun(date(2025, 1, 10), RunMode.SAME_DAY, SourceKind.SIM, virtual=True),
                       ready_timeout_seconds=0.3)
    assert time.monotonic() - started >= 0.3
