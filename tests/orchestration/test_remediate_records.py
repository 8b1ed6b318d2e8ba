"""The remediations that act on the warehouse alone: requeueing stuck work within its limit, and
recording the fallback source as the remedy of a source's incident; each audited, switches obeyed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from tests.orchestration.test_stuck import GAME_DATE, NOW, insert_run

from nbaprops.alerting.model import Alert
from nbaprops.orchestration.remediate import Remediator
from nbaprops.orchestration.requests import DailyRun, DataEvent, SourceKind
from nbaprops.reliability.config import RemediationConfig
from nbaprops.reliability.diagnosis import Diagnosis
from nbaprops.reliability.incidents import Failure, IncidentStore
from nbaprops.reliability.remediation import Action, Outcome
from nbaprops.reliability.remediation_log import RemediationLog
from nbaprops.warehouse import Warehouse


@dataclass
class NoWorkflows:
    """These remediations start no workflow."""

    started: list[str] = field(default_factory=list)

    def start(self, work: DailyRun | DataEvent) -> str:
        self.started.append(work.workflow_id)
        return work.workflow_id

    def statuses(self, prefixes: Sequence[str]) -> dict[str, str]:
        return {}


def remediator(warehouse: Warehouse, pages: list[Alert], now: datetime = NOW, **config: object) -> Remediator:
    return Remediator(warehouse, RemediationConfig.model_validate(config), NoWorkflows(), SourceKind.LIVE, now,
                      page=pages.append, breakers={"nbacom": "open", "espn": "closed"})


def running(warehouse: Warehouse) -> int:
    return int(warehouse.scalar(
        "SELECT count(*) FROM nba_orchestration.processor_run_history WHERE status = 'running'"
    ) or 0)


def test_stuck_runs_are_requeued_within_the_limit_then_one_page(warehouse: Warehouse) -> None:
    pages: list[Alert] = []
    for attempt in (1, 2, 3):
        insert_run(warehouse, "player_game_summary", minutes_ago=95, attempt=attempt)
    requeued = remediator(warehouse, pages, requeue_stuck={"max_per_date": 2}).requeue_stuck(timeout_minutes=30)
    assert [run.attempt for run in requeued] == [1, 2]
    assert running(warehouse) == 1  # the third is left to a person
    assert len(pages) == 1 and pages[0].labels == {
        "action": "requeue_stuck", "target": "player_game_summary", "game_date": GAME_DATE.isoformat()
    }
    assert pages[0].diagnosis == "player_game_summary of daily:2025-01-10:same_day:sim has been running 95 minutes."
    later = remediator(warehouse, pages, NOW + timedelta(minutes=5), requeue_stuck={"max_per_date": 2})
    assert later.requeue_stuck(timeout_minutes=30) == [] and len(pages) == 1  # held: no action, no second page
    rows = RemediationLog(warehouse).records()
    assert [(r.action, r.outcome, r.target) for r in rows] == [
        (Action.REQUEUE_STUCK, Outcome.SUCCESS, "player_game_summary"),
        (Action.REQUEUE_STUCK, Outcome.SUCCESS, "player_game_summary"),
        (Action.REQUEUE_STUCK, Outcome.PAGED, "player_game_summary"),
    ]
    assert rows[0].limit.to_json() == {"enabled": True, "for_date": 0, "max_per_date": 2, "today": 0,
                                       "max_per_day": 20}


def test_requeue_switched_off_leaves_stuck_runs_alone(warehouse: Warehouse) -> None:
    pages: list[Alert] = []
    insert_run(warehouse, "player_game_summary", minutes_ago=95)
    off = remediator(warehouse, pages, requeue_stuck={"enabled": False})
    assert off.requeue_stuck(timeout_minutes=30) == []
    assert running(warehouse) == 1 and pages == [] and RemediationLog(warehouse).records() == []


def source_incident(warehouse: Warehouse, at: datetime) -> None:
    IncidentStore(warehouse).observe(Failure(
        "nbac_player_boxscores", "SourceBlockedError:blocked", date(2025, 1, 9), "wf|1", at, at,
        diagnosis=Diagnosis("forbidden_after_move", "nbacom answers 403 since its URL moved.", "Update the URL."),
    ))


def test_a_failing_source_is_served_by_the_fallback_recorded_once_on_its_incident(warehouse: Warehouse) -> None:
    pages: list[Alert] = []
    source_incident(warehouse, NOW - timedelta(minutes=3))
    first = remediator(warehouse, pages).run()
    again = remediator(warehouse, pages, NOW + timedelta(minutes=5)).run()
    assert [(r.action, r.outcome) for r in first] == [(Action.SWITCH_SOURCE, Outcome.SUCCESS)] and again == []
    [incident] = IncidentStore(warehouse).incidents()
    assert incident.remediation == (
        "served nbac_player_boxscores from the fallback source (forbidden_after_move); nbacom stays demoted until "
        "its breaker closes",
    )
    assert incident.status == "open"  # resolved when the processor next succeeds, by itself
    assert RemediationLog(warehouse).records()[0].fingerprint == incident.fingerprint


def test_switched_off_the_fallback_is_not_recorded(warehouse: Warehouse) -> None:
    source_incident(warehouse, NOW - timedelta(minutes=3))
    assert remediator(warehouse, [], switch_source={"enabled": False}).run() == []
    assert RemediationLog(warehouse).records() == []


def test_times_are_the_callers_clock(warehouse: Warehouse) -> None:
    virtual = datetime(2024, 11, 4, 23, 0, tzinfo=UTC)
    source_incident(warehouse, virtual - timedelta(minutes=3))
    [record] = remediator(warehouse, [], virtual).run()
    assert (record.started_at, record.finished_at) == (virtual, virtual)
