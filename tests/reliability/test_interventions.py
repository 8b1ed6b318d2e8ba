"""Operators' commands are manual interventions: a re-run is recorded on the one clock, and an
incident it ends is resolved `manual`, where the orchestrator's own retries resolve `auto`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.processors.league import TinyLeague

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.interventions import game_date_of
from nbaprops.orchestration.requests import SourceKind
from nbaprops.orchestration.service import run_day
from nbaprops.reliability.incidents import IncidentStore
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(3)]
OPERATOR_AT = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)


def test_a_rerun_is_an_intervention_and_resolves_its_incident_manually(home: Home) -> None:
    settings = Settings(predictions={"markets": ["points"], "min_history_games": 1})
    league = TinyLeague(DATES)

    def run(**options: object) -> None:
        run_day(home, settings, game_date=DATES[0], source=SourceKind.SIM,
                source_factory=lambda kind, warehouse, _settings, _home: league, **options)  # type: ignore[arg-type]

    run(faults=["processor:nbac_injury_report=fail:2"])  # fails, then the orchestrator's retry works
    run(faults=["processor:nbac_injury_report=fail"], rerun=True, clock=VirtualClock(OPERATOR_AT))
    run(rerun=True, clock=VirtualClock(OPERATOR_AT + timedelta(hours=1)))
    with Warehouse.open(home.warehouse_path) as warehouse:
        store = IncidentStore(warehouse)
        incidents = sorted(store.incidents(game_date=DATES[0]), key=lambda incident: incident.failures)
        interventions = store.interventions()
    assert [(i.component, i.failures, i.status, i.resolved_by) for i in incidents] == [
        ("nbac_injury_report", 2, "resolved", "auto"),  # the first run's retry recovered by itself
        ("nbac_injury_report", 3, "resolved", "manual"),  # the operator's second re-run ended it
    ]
    assert incidents[1].diagnosis_rule == "injected_fault"
    assert [(i.command, i.at, i.game_date) for i in interventions] == [
        ("rerun", OPERATOR_AT, DATES[0]),
        ("rerun", OPERATOR_AT + timedelta(hours=1), DATES[0]),
    ]
    assert interventions[0].target == "daily:2024-11-01:same_day:sim:rerun2"


def test_the_game_date_of_a_workflow_id() -> None:
    assert game_date_of("daily:2024-11-01:same_day:sim:rerun2") == date(2024, 11, 1)
    assert game_date_of("event:props:2024-11-03:same_day:sim:ab12") == date(2024, 11, 3)
    assert game_date_of("backfill-7f3a") is None
