"""The remediation executor on a real engine: late props re-trigger Phase 3+, changed box scores
regrade the date as its next attempt, and past a limit one page replaces any further action."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.orchestration.conftest import make_settings
from tests.processors.league import Row, TinyLeague

from nbaprops.alerting.model import Alert, Severity
from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import Engine, launched
from nbaprops.orchestration.poll_store import PollRecord, record_poll
from nbaprops.orchestration.remediate import Remediator
from nbaprops.orchestration.remediation_facts import paused_poll_kinds
from nbaprops.orchestration.requests import DailyRun, Scope, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.orchestration.windows import PollKind
from nbaprops.reliability.incidents import IncidentStore
from nbaprops.reliability.remediation import Action, Outcome
from nbaprops.reliability.remediation_log import RemediationLog
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(4)]
LATE_DATE = DATES[3]
GRADED = DATES[2]
EARLY_PLAYERS = ["jaysontatum", "jalenbrunson"]
LATE_LINES_AT = datetime(2024, 11, 5, 20, 30, tzinfo=UTC)  # 21 h late: after the day run gave up


@dataclass
class ChangingLeague(TinyLeague):
    """TinyLeague whose last date's lines come late, and whose box scores of GRADED can be corrected."""

    corrections: int = 0

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        rows = super().prop_lines(game_date, as_of=as_of)
        if game_date == LATE_DATE and as_of < LATE_LINES_AT:
            rows = [row for row in rows if row["player_lookup"] in EARLY_PLAYERS]
        return rows

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        rows = super().player_boxscores(game_date, as_of=as_of)
        if game_date == GRADED:
            rows = [{**row, "pts": row["pts"] + 7 * self.corrections} for row in rows]
        return rows


@dataclass
class Run:
    engine: Engine
    league: ChangingLeague
    settings: Settings
    home: Home
    pages: list[Alert]

    def remediate(self, now: datetime, *, with_source: bool = False) -> list[Any]:
        with Warehouse.open(self.home.warehouse_path) as warehouse:
            remediator = Remediator(warehouse, self.settings.reliability.remediation, self.engine, SourceKind.SIM, now,
                                    page=self.pages.append)
            return remediator.run(source=self.league if with_source else None)

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with Warehouse.open(self.home.warehouse_path) as warehouse:
            return warehouse.query(sql, params)


def run_of(home: Home, backend: str | None, **reliability: Any) -> Iterator[Run]:
    settings = make_settings(backend, predictions={"min_history_games": 2})
    settings = settings.model_copy(update={"reliability": settings.reliability.model_validate(reliability)})
    league = ChangingLeague(DATES)
    with launched(home, settings, source_factory=lambda kind, warehouse, _settings, _home: league) as engine:
        yield Run(engine, league, settings, home, [])


@pytest.fixture
def run(home: Home, backend: str | None) -> Iterator[Run]:
    yield from run_of(home, backend)


def test_late_props_retrigger_phase3_on_and_the_incident_resolves_by_itself(run: Run) -> None:
    day = DailyRun(LATE_DATE, RunMode.SAME_DAY, SourceKind.SIM, since=DATES[0])
    failed = run.engine.run(day)
    assert not failed.ok and "gate phase3_to_phase4: upcoming_player_game_context at 2/3 records" in str(failed.error)
    with Warehouse.open(run.home.warehouse_path) as warehouse:
        late = IncidentStore(warehouse).incidents(status="open", game_date=LATE_DATE)
    assert [(i.component, i.error_class, i.diagnosis_rule) for i in late] == [
        ("upcoming_player_game_context", "Incomplete", "late_data")
    ]
    assert run.remediate(LATE_LINES_AT) == []  # the lines have not arrived: nothing to re-trigger
    with Warehouse.open(run.home.warehouse_path) as warehouse:
        record_poll(warehouse, PollRecord(PollKind.PROPS, LATE_DATE, "sim", LATE_LINES_AT, LATE_LINES_AT, 16,
                                          "all-lines", "prop lines", ))
    started = run.remediate(LATE_LINES_AT + timedelta(minutes=1))
    assert [(r.action, r.outcome) for r in started] == [(Action.RETRIGGER_PHASE, Outcome.RUNNING)]
    workflow_id = started[0].workflow_id
    assert workflow_id is not None and workflow_id.startswith(f"event:props:{LATE_DATE}:same_day:sim:")
    outcome = run.engine.wait(workflow_id)
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "complete"
    finished = run.remediate(LATE_LINES_AT + timedelta(minutes=20))
    assert [(r.action, r.outcome) for r in finished] == []
    with Warehouse.open(run.home.warehouse_path) as warehouse:
        log = RemediationLog(warehouse).records()
        incidents = IncidentStore(warehouse).incidents(game_date=LATE_DATE)
    assert [(r.action, r.outcome, r.fingerprint) for r in log] == [
        (Action.RETRIGGER_PHASE, Outcome.SUCCESS, late[0].fingerprint)
    ]
    resolved = [i for i in incidents if i.fingerprint == late[0].fingerprint]
    assert [(i.status, i.resolved_by) for i in resolved] == [("resolved", "auto")]
    assert any(r.startswith(f"re-ran Phase 3+ of {LATE_DATE}") for r in resolved[0].remediation)
    assert run.pages == []


def graded_points(run: Run) -> list[tuple[str, float]]:
    rows = run.query(
        "SELECT DISTINCT player_lookup, actual_value FROM nba_predictions.prediction_accuracy "
        "WHERE game_date = ? AND market = 'points' ORDER BY 1", [GRADED]
    )
    return [(r["player_lookup"], r["actual_value"]) for r in rows]


def graded_once(run: Run) -> None:
    assert run.engine.run(DailyRun(GRADED, RunMode.SAME_DAY, SourceKind.SIM, since=DATES[0])).ok
    assert run.engine.run(DailyRun(GRADED, RunMode.OVERNIGHT, SourceKind.SIM, scope=Scope.RESULTS)).ok


def test_changed_box_scores_regrade_the_date_as_attempt_2(run: Run) -> None:
    graded_once(run)
    before = graded_points(run)
    now = datetime(2024, 11, 4, 12, tzinfo=UTC)
    assert run.remediate(now, with_source=True) == []  # box scores as graded: nothing to do
    run.league.corrections = 1
    started = run.remediate(now, with_source=True)
    assert [(r.action, r.outcome, r.workflow_id) for r in started] == [
        (Action.REGRADE, Outcome.RUNNING, f"results:{GRADED}:overnight:sim:rerun2")
    ]
    assert run.engine.wait(f"results:{GRADED}:overnight:sim:rerun2").ok
    assert graded_points(run) == [(player, points + 7) for player, points in before]
    later = now + timedelta(minutes=10)
    assert run.remediate(later, with_source=True) == []  # graded on the corrected box scores now
    with Warehouse.open(run.home.warehouse_path) as warehouse:
        assert [(r.outcome, r.finished_at) for r in RemediationLog(warehouse).records()] == [(Outcome.SUCCESS, later)]


@pytest.fixture
def strict(home: Home, backend: str | None) -> Iterator[Run]:
    yield from run_of(home, backend, remediation={"regrade": {"max_per_date": 1}})


def test_past_its_limit_a_remediation_pages_once_and_stops(strict: Run) -> None:
    run = strict
    graded_once(run)
    now = datetime(2024, 11, 4, 12, tzinfo=UTC)
    run.league.corrections = 1
    assert [r.outcome for r in run.remediate(now, with_source=True)] == [Outcome.RUNNING]
    assert run.engine.wait(f"results:{GRADED}:overnight:sim:rerun2").ok
    run.league.corrections = 2  # corrected again: the limit of one regrade a date is spent
    for minutes in (10, 20, 30):
        run.remediate(now + timedelta(minutes=minutes), with_source=True)
    assert len(run.pages) == 1
    page = run.pages[0]
    assert (page.name, page.severity, page.labels) == (
        "remediation_limit_reached", Severity.CRITICAL,
        {"action": "regrade", "target": "results", "game_date": GRADED.isoformat()},
    )
    assert "max_per_date = 1 in [reliability.remediation.regrade]" in page.message
    assert page.diagnosis == f"The box scores of {GRADED} changed at the source after it was graded."
    assert set(run.engine.statuses([f"results:{GRADED}:"])) == {
        f"results:{GRADED}:overnight:sim", f"results:{GRADED}:overnight:sim:rerun2"
    }
    with Warehouse.open(run.home.warehouse_path) as warehouse:
        outcomes = [r.outcome for r in RemediationLog(warehouse).records()]
    assert outcomes == [Outcome.SUCCESS, Outcome.PAGED]


def test_a_low_quota_pauses_the_polls_of_its_kind_until_the_reset(run: Run) -> None:
    now = datetime(2024, 11, 4, 12, tzinfo=UTC)
    with Warehouse.open(run.home.warehouse_path) as warehouse:
        remediator = Remediator(warehouse, run.settings.reliability.remediation, run.engine, SourceKind.SIM, now,
                                page=run.pages.append)
        assert remediator.pause_for_quota("odds_api", requests_left=400, resets_at=None, kind=PollKind.PROPS) is None
        assert run.pages == []
        paused = remediator.pause_for_quota("odds_api", requests_left=12, resets_at=now + timedelta(hours=2),
                                            kind=PollKind.PROPS)
        assert paused is not None and paused.finished_at == now + timedelta(hours=2)
        assert [(a.name, a.severity.value, a.labels["source"]) for a in run.pages] == [
            ("source_quota_low", "warning", "odds_api")]  # one alert, before the quota runs out
        assert remediator.pause_for_quota("odds_api", requests_left=11, resets_at=None, kind=PollKind.PROPS) is None
        assert len(run.pages) == 1  # already paused: no second alert
        assert paused_poll_kinds(warehouse, now=now + timedelta(hours=1)) == {"props"}
        assert paused_poll_kinds(warehouse, now=now + timedelta(hours=2)) == frozenset()  # resumed
