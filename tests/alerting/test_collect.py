"""`collect_signals`: the AlertSignals the warehouse gives, read as of an instant."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.ops.test_health_builder import (
    NOW,
    SUMMARIES,
    UPCOMING,
    D,
    P,
    PipelineDays,
    at,
    last_tipoff,
    tipoff,
)

from nbaprops.alerting import AlertSignals, RunInProgress, collect_signals, evaluate
from nbaprops.config import Settings
from nbaprops.state import phase3_progress
from nbaprops.warehouse import Warehouse


@pytest.fixture(scope="module")
def healthy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("healthy") / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        PipelineDays(warehouse).healthy()
    return path


@pytest.fixture
def days(healthy_file: Path, tmp_path: Path) -> Iterator[PipelineDays]:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(healthy_file, copy)
    with Warehouse.open(copy) as warehouse:
        yield PipelineDays(warehouse)


def _signals(days: PipelineDays, now: datetime = NOW, **settings: object) -> AlertSignals:
    return collect_signals(
        days.warehouse, game_date=D, now_utc=now, settings=Settings(**settings)
    )


def test_a_healthy_day(days: PipelineDays) -> None:
    signals = _signals(days)
    assert signals.now_utc == NOW
    assert signals.game_date == D
    assert signals.games_scheduled == 5
    assert set(signals.phase3_processors_expected) == {*SUMMARIES, *UPCOMING}
    assert set(signals.phase3_processors_complete) == {*SUMMARIES, *UPCOMING}
    assert signals.phase3_started_utc == at(16, 3)
    assert signals.phase3_finished_utc == at(16, 7)
    assert signals.phase3_last_success_utc == at(16, 7)
    assert signals.phase4_started_utc == at(16, 10)
    assert signals.grading_game_date == P
    assert (signals.grading_correct, signals.grading_total) == (30, 50)
    assert (signals.grading_history_correct, signals.grading_history_total) == (770, 1400)
    assert signals.ungraded_game_dates == ()
    assert signals.predictions_count == 120
    assert signals.worker_error_times_utc == ()
    assert signals.sources_down == ()
    assert signals.runs_in_progress == ()
    assert signals.retry_pending_components == frozenset()
    assert evaluate(signals, Settings().alerting.rules) == []


COMPLETENESS = [
    # (status, records, expected, complete at the default 0.5 threshold)
    ("success", 100, 100, True),
    ("success", 10, None, True),
    ("partial", 60, 100, True),
    ("partial", 50, 100, True),
    ("partial", 40, 100, False),
    ("partial", 0, 0, True),
    ("partial", 40, None, False),
    ("failed", None, 100, False),
    ("timed_out", None, 100, False),
    ("running", None, 100, False),
]


@pytest.mark.parametrize(("status", "records", "expected", "complete"), COMPLETENESS)
def test_what_counts_as_complete(
    warehouse: Warehouse, status: str, records: int | None, expected: int | None, complete: bool
) -> None:
    days = PipelineDays(warehouse).schedule(D)
    days.run("upcoming_player_game_context", D, started=at(16), status=status,
             records=records, expected=expected)
    progress = phase3_progress(warehouse, game_date=D, now_utc=NOW, settings=Settings())
    player = next(p for p in progress if p.processor == "upcoming_player_game_context")
    assert player.complete is complete
    assert player.status == status
    assert player.attempts == 1


def test_the_completeness_threshold_comes_from_the_config(warehouse: Warehouse) -> None:
    PipelineDays(warehouse).schedule(D).run(
        "upcoming_player_game_context", D, started=at(16), status="partial", records=60,
        expected=100,
    )
    strict = Settings(orchestration={"completeness_retry": {"threshold": 0.9}})
    progress = phase3_progress(warehouse, game_date=D, now_utc=NOW, settings=strict)
    assert not next(p for p in progress if p.processor == "upcoming_player_game_context").complete


def test_without_a_previous_game_day_the_summaries_are_not_expected(
    warehouse: Warehouse,
) -> None:
    days = PipelineDays(warehouse).schedule(D)
    for processor in UPCOMING:
        days.run(processor, D, started=at(16))
    signals = collect_signals(warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert signals.phase3_processors_expected == UPCOMING
    assert signals.phase3_processors_complete == UPCOMING
    assert signals.grading_game_date is None
    assert signals.grading_total is None


def test_summaries_work_on_the_previous_game_day(days: PipelineDays) -> None:
    progress = phase3_progress(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert {p.processor: p.target_date for p in progress} == {
        **dict.fromkeys(SUMMARIES, P), **dict.fromkeys(UPCOMING, D),
    }


def test_a_failed_summary_is_missing_and_its_error_kept(days: PipelineDays) -> None:
    days.forget("player_game_summary").run(
        "player_game_summary", P, started=at(16, 3), status="failed",
        error=("SourceError", "box scores are late."),
    )
    signals = _signals(days)
    assert "player_game_summary" not in signals.phase3_processors_complete
    assert signals.phase3_finished_utc is None
    assert signals.worker_error_times_utc == (at(16, 5),)
    progress = phase3_progress(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    failed = next(p for p in progress if p.processor == "player_game_summary")
    assert failed.error == "SourceError: box scores are late."


def test_predictions_stay_unknown_until_due(warehouse: Warehouse) -> None:
    days = PipelineDays(warehouse).schedule(D)
    assert collect_signals(
        warehouse, game_date=D, now_utc=NOW, settings=Settings()
    ).predictions_count is None
    between_tipoffs = tipoff(D) + timedelta(minutes=1)
    assert collect_signals(
        warehouse, game_date=D, now_utc=between_tipoffs, settings=Settings()
    ).predictions_count is None
    after_last_tipoff = last_tipoff(D)
    assert collect_signals(
        warehouse, game_date=D, now_utc=after_last_tipoff, settings=Settings()
    ).predictions_count == 0
    days.run("player_prop_predictions", D, started=at(16), status="failed")
    assert collect_signals(
        warehouse, game_date=D, now_utc=NOW, settings=Settings()
    ).predictions_count == 0


def test_only_the_newest_prediction_of_each_player_counts(days: PipelineDays) -> None:
    days.predictions(D, created=at(17), players=10, systems=("ensemble", "late_system"))
    # 10 players predicted again by ensemble replace their rows; late_system adds 10.
    assert _signals(days).predictions_count == 130
    assert _signals(days, at(16, 30)).predictions_count == 120


def test_runs_finished_later_were_running_then(days: PipelineDays) -> None:
    signals = _signals(days, at(16, 6))
    assert {run.processor for run in signals.runs_in_progress} == set(UPCOMING)
    assert signals.runs_in_progress[0] == RunInProgress(
        processor="upcoming_player_game_context", phase="phase3", game_date=D,
        run_id="run-2025-01-10-1605", started_utc=at(16, 5),
    )
    assert signals.phase3_finished_utc is None
    assert signals.phase3_last_success_utc == at(16, 5)


def test_phase4_start_counts_once_phase3_finished(days: PipelineDays) -> None:
    days.run("ml_feature_store", D, started=at(15, 50), status="failed")
    assert _signals(days).phase4_started_utc == at(16, 10)
    days.forget("player_daily_cache", "ml_feature_store")
    days.run("ml_feature_store", D, started=at(15, 50), status="failed")
    # Only a start before Phase 3 finished: phase4_not_triggered may fire.
    signals = _signals(days, at(17, 0))
    assert signals.phase4_started_utc == at(15, 50)
    assert "phase4_not_triggered" in {a.name for a in evaluate(signals, Settings().alerting.rules)}


def test_a_feed_that_failed_on_its_last_try_is_a_source_down(days: PipelineDays) -> None:
    days.run("odds_player_props", D, started=at(16, 30), status="failed", attempt=2,
             error=("SourceError", "The Odds API answered 503.\nTraceback ..."))
    assert _signals(days).sources_down == (
        ("odds_player_props",
         "its 2025-01-10 run failed (SourceError: The Odds API answered 503.)"),
    )


def test_a_feed_that_recovered_is_not_down(days: PipelineDays) -> None:
    days.run("odds_player_props", D, started=at(15, 30), status="failed")
    signals = _signals(days)
    assert signals.sources_down == ()
    assert signals.worker_error_times_utc == (at(15, 32),)


def test_worker_errors_are_kept_for_the_configured_window(days: PipelineDays) -> None:
    days.run("ml_feature_store", P, started=NOW - timedelta(hours=30), status="failed")
    days.run("ml_feature_store", P, started=NOW - timedelta(hours=3), status="failed", attempt=2)
    assert len(_signals(days).worker_error_times_utc) == 1
    assert len(_signals(days, health={"errors_window_hours": 48}).worker_error_times_utc) == 2


def _retry(days: PipelineDays, processor: str, decided: datetime) -> None:
    days.warehouse.execute(
        "INSERT INTO nba_orchestration.orchestration_events VALUES "
        "(?, 'wf-1', ?, 'same_day', 'retry', NULL, ?, 'retry', 'records under 50%', false, "
        "'{}', ?, ?)",
        [f"e-{decided:%H%M}", D, processor, decided.replace(tzinfo=None),
         decided.replace(tzinfo=None)],
    )


def test_a_scheduled_retry_marks_its_component(days: PipelineDays) -> None:
    _retry(days, "upcoming_team_game_context", at(16, 30))
    assert _signals(days).retry_pending_components == frozenset({"phase3"})
    days.run("upcoming_team_game_context", D, started=at(17), attempt=2)
    assert _signals(days).retry_pending_components == frozenset()


def test_no_orchestration_tables_no_pending_retries(days: PipelineDays) -> None:
    days.warehouse.execute("DROP TABLE nba_orchestration.orchestration_events")
    assert _signals(days).retry_pending_components == frozenset()


def test_a_gap_in_grading_lists_the_day(days: PipelineDays) -> None:
    gap_day = D - timedelta(days=6)
    days.schedule(gap_day).predictions(gap_day, created=at(16, day=gap_day))
    days.warehouse.replace_partition(
        "nba_predictions.prediction_accuracy", {"game_date": gap_day}, []
    )
    signals = _signals(days)
    assert signals.ungraded_game_dates == (gap_day,)
    assert [a.name for a in evaluate(signals, Settings().alerting.rules)] == ["grading_gap"]


def test_today_is_not_ungraded_before_its_games_end(days: PipelineDays) -> None:
    assert _signals(days).ungraded_game_dates == ()
    games_over = last_tipoff(D) + timedelta(hours=3)  # a game lasts 3 h
    assert _signals(days, games_over).ungraded_game_dates == (D,)


def test_now_must_be_timezone_aware(days: PipelineDays) -> None:
    with pytest.raises(ValueError, match="now_utc must be timezone-aware"):
        _signals(days, datetime(2025, 1, 10, 17, 30))


def test_signals_are_utc(days: PipelineDays) -> None:
    signals = _signals(days)
    assert signals.phase3_started_utc is not None
    assert signals.phase3_started_utc.tzinfo is UTC
