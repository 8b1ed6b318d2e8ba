"""The daily pipeline under faults: gates wait, retry, proceed degraded or fail, on virtual time."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from tests.orchestration.conftest import League, make_settings, with_history

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.engine import WorkflowOutcome, launched
from nbaprops.orchestration.requests import DailyRun, Scope, SourceKind
from nbaprops.orchestration.settings import RunMode
from nbaprops.warehouse import Warehouse

OPTIONAL_PHASE3 = ("player_game_summary", "team_offense_game_summary", "team_defense_game_summary")


def run(home: Home, settings: Settings, day: DailyRun) -> WorkflowOutcome:
    with launched(home, settings) as engine:
        return engine.run(day)


def events(home: Home, **where: Any) -> list[dict[str, Any]]:
    """The decisions of the test's runs (not of history built beforehand)."""
    clauses = " AND ".join([*(f"{key} = ?" for key in where), "workflow_id NOT LIKE 'history:%'"])
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(
            f"SELECT * FROM nba_orchestration.orchestration_events WHERE {clauses} ORDER BY "
            "decided_at, recorded_utc",
            list(where.values()),
        )


def remediations(home: Home) -> list[dict[str, Any]]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query("SELECT * FROM nba_orchestration.remediations ORDER BY started_at")


def history(home: Home, processor: str) -> list[dict[str, Any]]:
    """The runs of `processor` in the test's runs (not in history built beforehand)."""
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(
            "SELECT attempt, status, records, expected, started_at, error_message "
            "FROM nba_orchestration.processor_run_history WHERE processor = ? "
            "AND run_id NOT LIKE 'history:%' ORDER BY started_at, attempt",
            [processor],
        )


@pytest.mark.parametrize("mode", list(RunMode))
def test_two_of_five_phase3_processors_done_both_critical_proceeds_degraded_in_every_mode(
    league_home: Home, league: League, settings: Settings, mode: RunMode
) -> None:
    faults = (
        "processor:player_game_summary=fail:1",
        "processor:team_offense_game_summary=fail",
        "processor:team_defense_game_summary=fail",
    )
    with_history(league_home, settings, league.game_dates[3])
    outcome = run(
        league_home, settings, DailyRun(league.game_dates[3], mode, SourceKind.SIM, faults=faults)
    )
    gate = events(league_home, gate="phase3_to_phase4")
    assert [(g["decision"], g["alert"]) for g in gate] == [("proceed_degraded", True)]
    assert gate[0]["reason"].startswith(
        "Complete: upcoming_player_game_context at 30/30 records (100.0%), "
        "upcoming_team_game_context at 4/4"
    )
    assert "Proceeding without: player_game_summary failed on attempt 1 of 3" in gate[0]["reason"]
    inputs = json.loads(gate[0]["inputs"])
    assert {name: inputs["processors"][name]["verdict"] for name in OPTIONAL_PHASE3} == {
        "player_game_summary": "retry_due",
        "team_offense_game_summary": "retry_due",
        "team_defense_game_summary": "retry_due",
    }
    assert outcome.ok and outcome.result is not None
    assert outcome.result["status"] == "degraded"
    assert outcome.result["phases"]["phase5"] == "complete"
    # Grading needs player_game_summary: its gate waited 5 minutes, re-ran it and proceeded; and what
    # Phases 4 and 5 had built without it was built again (the remediation retrigger_phase, audited).
    grading = events(league_home, gate="phase3_to_grading")
    assert [g["decision"] for g in grading] == ["wait", "proceed"]
    assert [(h["attempt"], h["status"]) for h in history(league_home, "player_game_summary")] == [
        (1, "failed"),
        (2, "success"),
    ]
    assert [h["attempt"] for h in history(league_home, "player_prop_predictions")] == [1, 2]
    assert [(r["action"], r["target"], r["outcome"]) for r in remediations(league_home)] == [
        ("retrigger_phase", "player_game_summary", "success")
    ]
    # The team summaries fail on every attempt: re-run on the gate's schedule, then left failed.
    assert [h["status"] for h in history(league_home, "team_offense_game_summary")] == ["failed"] * 3


def test_a_failed_critical_processor_is_retried_by_its_gate(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(
        league.game_dates[3],
        RunMode.SAME_DAY,
        SourceKind.SIM,
        faults=("processor:upcoming_team_game_context=fail:1",),
    )
    outcome = run(league_home, settings, day)
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "complete"
    gate = events(league_home, gate="phase3_to_phase4")
    assert [g["decision"] for g in gate] == ["wait", "proceed"]
    assert (
        "upcoming_team_game_context failed on attempt 1 of 3, retrying after 5 minutes"
        in gate[0]["reason"]
    )
    assert (gate[1]["decided_at"] - gate[0]["decided_at"]).total_seconds() == pytest.approx(
        300, abs=5
    )
    retried = events(league_home, kind="retry")
    assert [r["processor"] for r in retried] == ["upcoming_team_game_context"]
    assert outcome.result["retries"] == 1


def test_a_critical_processor_that_keeps_failing_fails_the_gate_and_the_run(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(
        league.game_dates[3],
        RunMode.SAME_DAY,
        SourceKind.SIM,
        faults=("processor:upcoming_team_game_context=fail",),
    )
    outcome = run(league_home, settings, day)
    assert outcome.status == "ERROR" and outcome.error is not None
    assert outcome.error.startswith(
        f"The same_day run of {day.game_date} ({day.workflow_id}) failed. gate "
        "phase3_to_phase4: upcoming_team_game_context failed on attempt 3 of 3 with no "
        "attempts left"
    )
    gate = events(league_home, gate="phase3_to_phase4")
    assert [(g["decision"], g["alert"]) for g in gate] == [
        ("wait", False),
        ("wait", False),
        ("fail", True),
    ]
    assert gate[-1]["reason"].endswith("and no attempts are left, so the gate fails.")
    with Warehouse.open(league_home.warehouse_path) as warehouse:
        phases = dict(
            warehouse.query("SELECT phase, status FROM nba_orchestration.phase_completions")[
                i
            ].values()
            for i in range(0)
        )  # noqa: C416
        done = {
            row["phase"]
            for row in warehouse.query("SELECT phase FROM nba_orchestration.phase_completions")
        }
    assert phases == {}
    # Phases 4 and 5 wait on the failed gate; grading is on another critical path and still ran.
    assert done == {"phase2", "phase3", "grading"}


def test_too_few_records_are_retried_after_growing_waits_on_virtual_time(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(
        league.game_dates[3],
        RunMode.SAME_DAY,
        SourceKind.SIM,
        faults=("processor:upcoming_player_game_context=partial:0.2:2",),
    )
    with launched(league_home, settings) as engine:
        started = time.perf_counter()
        outcome = engine.run(day)
        elapsed = time.perf_counter() - started
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "complete"
    assert outcome.result["waited_seconds"] == 90 * 60
    # 90 minutes of waits pass on the virtual clock: the day takes seconds of wall time, never the
    # 5,400 s a real sleep would (the bound is loose on purpose: a loaded machine is slow, not wrong).
    assert elapsed < 120
    runs = history(league_home, "upcoming_player_game_context")
    assert [(r["attempt"], r["status"], r["records"], r["expected"]) for r in runs] == [
        (1, "partial", 6, 30),
        (2, "partial", 6, 30),
        (3, "success", 30, 30),
    ]
    gaps = [
        (b["started_at"] - a["started_at"]).total_seconds()
        for a, b in zip(runs, runs[1:], strict=False)
    ]
    assert gaps == [1800, 3600]
    retries = events(league_home, kind="retry")
    assert [r["processor"] for r in retries] == ["upcoming_player_game_context"] * 2
    assert (
        "Wrote 6 of 30 expected records (20.0%), below the 50% completeness threshold, on attempt "
        "1 of 3; "
        "retrying in 30 minutes." in retries[0]["reason"]
    )
    # The retry refreshes the processor's Phase 2 feeds first: late lines come through them.
    assert [r["attempt"] for r in history(league_home, "odds_player_props")] == [1, 2, 3]


def test_after_the_last_attempt_the_shortfall_is_raised_for_alerting(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(
        league.game_dates[3],
        RunMode.SAME_DAY,
        SourceKind.SIM,
        faults=("processor:upcoming_player_game_context=partial:0.2",),
    )
    outcome = run(league_home, settings, day)
    give_up = events(league_home, kind="give_up")
    assert [(g["processor"], g["alert"]) for g in give_up] == [
        ("upcoming_player_game_context", True)
    ]
    assert give_up[0]["reason"] == (
        f"upcoming_player_game_context for {day.game_date}: Wrote 6 of 30 expected records "
        "(20.0%), still below "
        "the 50% completeness threshold after 3 attempts (the policy allows 3); no retries are "
        "left, so check "
        "whether the source data has arrived. Diagnosis (late_data): upcoming_player_game_context wrote 6 of "
        f"30 expected records for {day.game_date}: its inputs arrived late or in part. Fix: A data event "
        "re-runs it when the rest arrives; if the source never publishes it, run the day again once it has."
    )
    # The gate failing on the processor just paged about is the same cause: it is not paged again.
    (failed,) = [g for g in events(league_home, kind="gate") if g["decision"] == "fail"]
    assert not failed["alert"]
    assert failed["reason"].endswith(
        "Not paged again: it fails on upcoming_player_game_context, already paged as upcoming_player_game_context."
    )
    assert outcome.status == "ERROR" and outcome.error is not None
    assert (
        "upcoming_player_game_context at 6/30 records (20.0%) is below same_day minimum 80%"
        in outcome.error
    )
    assert "the maximum wait, so the gate fails" in outcome.error


def test_a_run_past_its_timeout_is_recorded_timed_out_and_retried(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(
        league.game_dates[3],
        RunMode.SAME_DAY,
        SourceKind.SIM,
        faults=("processor:ml_feature_store=slow:2h:1",),
    )
    outcome = run(league_home, settings, day)
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "complete"
    runs = history(league_home, "ml_feature_store")
    assert [(r["attempt"], r["status"]) for r in runs] == [(1, "timed_out"), (2, "success")]
    # Too little history for a deadline of its own: the 30-minute default, where the stall is cut off.
    assert "stalled past its 30-minute deadline; the run was cut off there" in runs[0]["error_message"]
    assert [(r["action"], r["target"], r["outcome"]) for r in remediations(league_home)] == [
        ("requeue_stuck", "ml_feature_store", "success")
    ]
    timeouts = events(league_home, kind="timeout")
    assert [(t["processor"], t["alert"]) for t in timeouts] == [("ml_feature_store", True)]
    assert [g["decision"] for g in events(league_home, gate="phase4_to_phase5")] == [
        "wait",
        "proceed",
    ]


def test_a_refused_source_fails_its_feed_with_the_reason(
    league_home: Home, league: League, settings: Settings
) -> None:
    day = DailyRun(
        league.game_dates[3],
        RunMode.TOMORROW,
        SourceKind.SIM,
        faults=("source:injuries=forbidden",),
    )
    outcome = run(league_home, settings, day)
    runs = history(league_home, "nbac_injury_report")
    assert [r["status"] for r in runs] == ["failed"] * 3
    assert (
        "was refused with 403 Forbidden (injected fault source:injuries=forbidden); check the API "
        "key" in runs[0]["error_message"]
    )
    assert [g["processor"] for g in events(league_home, kind="give_up")] == ["nbac_injury_report"]
    # Injuries only enrich the context: the day still completes, with the alert.
    assert outcome.ok and outcome.result is not None and outcome.result["status"] == "degraded"


def test_lines_21_hours_late_are_retried_then_alerted_and_the_gate_fails(
    league_home: Home, league: League, settings: Settings
) -> None:
    with launched(league_home, settings) as engine:
        for game_date in league.game_dates[:4]:
            assert engine.run(DailyRun(game_date, RunMode.BACKFILL, SourceKind.SIM)).ok
        late = DailyRun(
            league.game_dates[4],
            RunMode.SAME_DAY,
            SourceKind.SIM,
            faults=("source:props=late:21h",),
        )
        outcome = engine.run(late)
    assert outcome.status == "ERROR"
    runs = history(league_home, "upcoming_player_game_context")[-3:]
    assert [(r["status"], r["records"]) for r in runs] == [("partial", 0)] * 3
    gate = events(league_home, workflow_id=late.workflow_id, gate="phase3_to_phase4")
    assert gate[-1]["decision"] == "fail"
    assert gate[-1]["reason"].startswith("upcoming_player_game_context at 0/")


def incidents(home: Home, component: str) -> list[dict[str, Any]]:
    with Warehouse.open(home.warehouse_path) as warehouse:
        return warehouse.query(
            "SELECT status, opened_at, resolved_at, resolved_by FROM nba_orchestration.incidents "
            "WHERE component = ? ORDER BY opened_at",
            [component],
        )


def test_a_results_run_retries_the_summaries_no_gate_of_it_judges(
    league_home: Home, league: League, settings: Settings
) -> None:
    # A results run has no Phase 3 -> 4 gate; grading's gate judges player_game_summary only.
    day = DailyRun(
        league.game_dates[3], RunMode.OVERNIGHT, SourceKind.SIM, scope=Scope.RESULTS,
        faults=("processor:team_offense_game_summary=fail:2",),
    )
    outcome = run(league_home, settings, day)
    assert outcome.ok
    assert [(h["attempt"], h["status"]) for h in history(league_home, "team_offense_game_summary")] == [
        (1, "failed"), (2, "failed"), (3, "success")
    ]
    [incident] = incidents(league_home, "team_offense_game_summary")
    assert incident["status"] == "resolved" and incident["resolved_by"] == "auto"
    assert (incident["resolved_at"] - incident["opened_at"]).total_seconds() == 15 * 60


def test_a_processor_a_gate_proceeded_without_is_rerun_and_the_phases_built_without_it_again(
    league_home: Home, league: League, settings: Settings
) -> None:
    with_history(league_home, settings, league.game_dates[3])
    day = DailyRun(
        league.game_dates[3], RunMode.SAME_DAY, SourceKind.SIM,
        faults=("processor:player_daily_cache=write_error:2",),
    )
    outcome = run(league_home, settings, day)
    assert outcome.ok
    gate = events(league_home, gate="phase4_to_phase5")
    assert [g["decision"] for g in gate] == ["proceed_degraded"]
    # Re-run on the gate's schedule (5, then 10 minutes) while Phase 5 went on without it...
    assert [h["status"] for h in history(league_home, "player_daily_cache")] == ["failed", "failed", "success"]
    # ...then the features (in its phase, with the re-run that succeeded) and the predictions (the
    # remediation) built without it were built again, once.
    assert [h["attempt"] for h in history(league_home, "ml_feature_store")] == [1, 2]
    assert [h["attempt"] for h in history(league_home, "player_prop_predictions")] == [1, 2]
    [audit] = remediations(league_home)
    assert (audit["action"], audit["target"], audit["outcome"]) == (
        "retrigger_phase", "player_daily_cache", "success"
    )
    assert audit["detail"].startswith(
        f"re-ran phase5 of {day.game_date} (player_prop_predictions): player_daily_cache arrived on attempt 3, "
        "after gate phase4_to_phase5 had proceeded without it"
    )
    [incident] = incidents(league_home, "player_daily_cache")
    assert incident["status"] == "resolved"
    assert (incident["resolved_at"] - incident["opened_at"]).total_seconds() == 15 * 60


def test_past_its_limit_the_retrigger_stops_and_pages_a_person(
    league_home: Home, league: League, backend: str | None
) -> None:
    settings = make_settings(backend).model_copy(deep=True)
    settings.reliability.remediation.retrigger_phase.max_per_date = 0
    with_history(league_home, settings, league.game_dates[3])
    day = DailyRun(
        league.game_dates[3], RunMode.SAME_DAY, SourceKind.SIM,
        faults=("processor:player_daily_cache=write_error:1",),
    )
    run(league_home, settings, day)
    [audit] = remediations(league_home)
    assert (audit["action"], audit["outcome"]) == ("retrigger_phase", "paged")
    assert "past its safety limit" in audit["detail"] and "max_per_date = 0" in audit["detail"]
    paged = events(league_home, kind="remediation")
    assert [(p["decision"], p["alert"], p["processor"]) for p in paged] == [("paged", True, "player_daily_cache")]
    # The features are rebuilt with the re-run of its phase; the predictions built without it are not
    # re-triggered when it arrives (5 minutes on): only their own completeness retry, 30 minutes on, runs.
    assert [h["attempt"] for h in history(league_home, "ml_feature_store")] == [1, 2]
    first, second = history(league_home, "player_prop_predictions")
    assert (second["started_at"] - first["started_at"]).total_seconds() == 30 * 60


def test_past_its_limit_a_stalled_run_is_not_requeued_and_a_person_is_paged(
    league_home: Home, league: League, backend: str | None
) -> None:
    settings = make_settings(backend).model_copy(deep=True)
    settings.reliability.remediation.requeue_stuck.max_per_date = 0
    day = DailyRun(
        league.game_dates[3], RunMode.SAME_DAY, SourceKind.SIM, faults=("processor:ml_feature_store=slow:2h:1",)
    )
    outcome = run(league_home, settings, day)
    assert [(r["attempt"], r["status"]) for r in history(league_home, "ml_feature_store")] == [(1, "timed_out")]
    [audit] = remediations(league_home)
    assert (audit["action"], audit["target"], audit["outcome"]) == ("requeue_stuck", "ml_feature_store", "paged")
    assert [p["decision"] for p in events(league_home, kind="remediation")] == ["paged"]
    # Phase 5 cannot run without its features: the gate fails at its maximum wait, for a person to look at.
    assert outcome.status == "ERROR" and outcome.error is not None and "phase4_to_phase5" in outcome.error
