"""Each alert rule at its boundaries, as a table of cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from nbaprops.alerting import AlertSignals, RulesConfig, RunInProgress, Severity, evaluate
from nbaprops.alerting.config import GradingAccuracyLowRule

NOW = datetime(2025, 1, 10, 18, 0, tzinfo=UTC)
GAME_DATE = date(2025, 1, 10)
PROCESSORS = (
    "player_game_summary",
    "team_offense",
    "team_defense",
    "upcoming_player",
    "upcoming_team",
)


def signals(**overrides: Any) -> AlertSignals:
    return replace(AlertSignals(now_utc=NOW, game_date=GAME_DATE), **overrides)


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def fired(name: str, sig: AlertSignals, rules: RulesConfig | None = None) -> list[Any]:
    return [alert for alert in evaluate(sig, rules or RulesConfig()) if alert.name == name]


HISTORY_55 = {"grading_history_correct": 550, "grading_history_total": 1000}


def phase3(complete: int, *, minutes_since_start: float) -> dict[str, Any]:
    return {
        "phase3_processors_expected": PROCESSORS,
        "phase3_processors_complete": PROCESSORS[:complete],
        "phase3_started_utc": ago(minutes=minutes_since_start),
    }


def graded(correct: int, total: int, **history: int) -> dict[str, Any]:
    return {"grading_correct": correct, "grading_total": total, **history}


def running(minutes: float) -> dict[str, Any]:
    run = RunInProgress("player_game_summary", "phase3", GAME_DATE, "r1", ago(minutes=minutes))
    return {"runs_in_progress": (run,)}


def errors(*minutes_ago: float) -> dict[str, Any]:
    return {"worker_error_times_utc": tuple(ago(minutes=m) for m in minutes_ago)}


def history(correct: int, total: int) -> dict[str, int]:
    return {"grading_history_correct": correct, "grading_history_total": total}


# fmt: off
CASES = [
    # (rule, signal overrides, fires)
    ("phase3_completion_low", phase3(4, minutes_since_start=61), False),  # 80% is enough
    ("phase3_completion_low", phase3(3, minutes_since_start=61), True),
    ("phase3_completion_low", phase3(3, minutes_since_start=60), False),  # still in its grace
    ("phase3_completion_low", {"phase3_processors_expected": PROCESSORS}, False),  # not started
    ("phase3_completion_low", {"phase3_started_utc": ago(hours=5)}, False),  # nothing expected
    ("phase3_data_stale", {"phase3_last_success_utc": ago(hours=2)}, False),
    ("phase3_data_stale", {"phase3_last_success_utc": ago(hours=2, seconds=1)}, True),
    ("phase3_data_stale", {}, False),
    # Phase 3 already processed the newest Phase 2 data: a quiet afternoon is not stale.
    ("phase3_data_stale",
     {"phase3_last_success_utc": ago(hours=20), "phase2_last_success_utc": ago(hours=20, seconds=5)}, False),
    # New raw data has waited 2 h 1 s for Phase 3.
    ("phase3_data_stale",
     {"phase3_last_success_utc": ago(hours=20), "phase2_last_success_utc": ago(hours=2, seconds=1)}, True),
    ("phase3_data_stale", {"phase3_last_success_utc": ago(hours=20), "phase2_last_success_utc": ago(hours=1)}, False),
    ("phase4_not_triggered", {"phase3_finished_utc": ago(minutes=30)}, False),
    ("phase4_not_triggered", {"phase3_finished_utc": ago(minutes=31)}, True),
    ("phase4_not_triggered", {"phase3_finished_utc": ago(minutes=90),
                              "phase4_started_utc": ago(minutes=80)}, False),
    ("phase4_not_triggered", {"phase3_finished_utc": ago(minutes=90),
                              "phase4_started_utc": ago(hours=20)}, True),  # yesterday's start
    ("grading_accuracy_low", graded(3, 12, **HISTORY_55), False),  # sample too small
    ("grading_accuracy_low", graded(9, 48, **HISTORY_55), True),
    ("grading_accuracy_low", graded(30, 100, **HISTORY_55), False),  # not below 30%
    ("grading_accuracy_low", graded(29, 100, **HISTORY_55), True),
    ("grading_accuracy_low", graded(25, 100, **history(280, 1000)), False),  # as usual: p=0.29
    ("grading_accuracy_low", graded(9, 48), True),  # no history: the 50% baseline
    ("grading_accuracy_low", graded(9, 48, **history(2, 10)), True),  # short history: baseline
    ("grading_accuracy_low", {}, False),
    ("prediction_volume_low", {"games_scheduled": 10, "predictions_count": 199}, True),
    ("prediction_volume_low", {"games_scheduled": 10, "predictions_count": 200}, False),
    ("prediction_volume_low", {"games_scheduled": 5, "predictions_count": 99}, True),
    ("prediction_volume_low", {"games_scheduled": 5, "predictions_count": 100}, False),
    ("prediction_volume_low", {"games_scheduled": 1, "predictions_count": 19}, True),
    ("prediction_volume_low", {"games_scheduled": 0, "predictions_count": 0}, False),
    ("prediction_volume_low", {"games_scheduled": 10}, False),  # Phase 5 not due yet
    ("worker_errors_high", errors(0, 1, 2, 3, 4), True),
    ("worker_errors_high", errors(0, 1, 2, 3), False),
    ("worker_errors_high", errors(1, 2, 3, 4, 5), False),  # the oldest is out of the window
    ("source_down", {"sources_down": (("odds_api", "HTTP 503"),)}, True),
    ("source_down", {}, False),
    ("breaker_open", {"breakers_open": ("odds_api",)}, True),
    ("stuck_work", running(61), True),
    ("stuck_work", running(60), False),
    ("grading_gap", {"ungraded_game_dates": (date(2025, 1, 9),)}, False),  # grading due today
    ("grading_gap", {"ungraded_game_dates": (date(2025, 1, 8), date(2025, 1, 9))}, True),
    ("grading_gap", {}, False),
]
# fmt: on


@pytest.mark.parametrize(
    ("rule", "overrides", "fires"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_boundary(rule: str, overrides: dict[str, Any], fires: bool) -> None:
    alerts = fired(rule, signals(**overrides))
    assert bool(alerts) is fires, [a.message for a in alerts]
    for alert in alerts:
        assert alert.message.endswith(".")


def test_grading_on_twelve_would_be_significant_but_the_sample_is_too_small() -> None:
    small = signals(grading_correct=3, grading_total=12, **HISTORY_55)
    assert fired("grading_accuracy_low", small) == []
    rules = RulesConfig(grading_accuracy_low=GradingAccuracyLowRule(min_sample=10))
    assert len(fired("grading_accuracy_low", small, rules)) == 1


def test_messages_carry_the_numbers() -> None:
    [alert] = fired(
        "phase3_completion_low",
        signals(
            phase3_processors_expected=PROCESSORS,
            phase3_processors_complete=PROCESSORS[:3],
            phase3_started_utc=ago(minutes=75),
        ),
    )
    assert alert.message.startswith(
        "Phase 3 completed 3 of 5 processors (60%) for 2025-01-10 75 minutes"
    )
    assert alert.details["missing"] == ["upcoming_player", "upcoming_team"]
    assert alert.severity is Severity.CRITICAL
    assert alert.labels == {"game_date": "2025-01-10"}

    [grading] = fired(
        "grading_accuracy_low",
        signals(
            grading_game_date=date(2025, 1, 9), grading_correct=9, grading_total=48, **HISTORY_55
        ),
    )
    assert "9/48 (18.8%)" in grading.message and "history 55.0%" in grading.message
    assert grading.details["p_value"] < 1e-5

    [volume] = fired("prediction_volume_low", signals(games_scheduled=5, predictions_count=40))
    assert volume.message == (
        "Only 40 predictions for 5 games on 2025-01-10; expected at least 100 (200 per 10 games). "
        "Run the day again with `nbaprops run --date 2025-01-10 --rerun`."
    )


def test_one_alert_per_source_and_run_with_identifying_labels() -> None:
    alerts = evaluate(
        signals(
            sources_down=(("odds_api", "HTTP 503"), ("nba_stats", "timeout")),
            runs_in_progress=(
                RunInProgress("team_offense", "phase3", GAME_DATE, "r9", ago(hours=3)),
            ),
        ),
        RulesConfig(),
    )
    labels = sorted((a.name, tuple(sorted(a.labels.items()))) for a in alerts)
    assert labels == [
        ("source_down", (("game_date", "2025-01-10"), ("source", "nba_stats"))),
        ("source_down", (("game_date", "2025-01-10"), ("source", "odds_api"))),
        (
            "stuck_work",
            (("game_date", "2025-01-10"), ("phase", "phase3"), ("processor", "team_offense")),
        ),
    ]
    assert len({a.fingerprint for a in alerts}) == 3


def test_diagnosis_from_upstream_failures_and_from_the_diagnosis_step() -> None:
    sig = signals(
        phase3_finished_utc=ago(hours=1),
        sources_down=(("odds_api", "HTTP 503"),),
        worker_error_times_utc=tuple(ago(seconds=s) for s in range(10)),
        diagnoses={"workers": "Worker pool exhausted its memory; raise worker.memory_mb."},
    )
    by_name = {a.name: a for a in evaluate(sig, RulesConfig())}
    assert by_name["phase4_not_triggered"].diagnosis == "Source(s) down: odds_api (HTTP 503)."
    assert (
        by_name["worker_errors_high"].diagnosis
        == "Worker pool exhausted its memory; raise worker.memory_mb."
    )
    assert by_name["source_down"].diagnosis is None


def test_retry_pending_marks_the_component_and_disabled_rules_stay_quiet() -> None:
    sig = signals(
        phase3_last_success_utc=ago(hours=3),
        breakers_open=("odds_api",),
        retry_pending_components=frozenset({"phase3"}),
    )
    by_name = {a.name: a for a in evaluate(sig, RulesConfig())}
    assert by_name["phase3_data_stale"].retry_pending is True
    assert by_name["breaker_open"].retry_pending is False
    rules = RulesConfig.model_validate({"phase3_data_stale": {"enabled": False}})
    assert [a.name for a in evaluate(sig, rules)] == ["breaker_open"]


def test_no_signals_no_alerts() -> None:
    assert evaluate(AlertSignals(now_utc=NOW), RulesConfig()) == []
