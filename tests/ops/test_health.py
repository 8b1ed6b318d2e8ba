"""`check_health` over warehouse states: a healthy day, and each way a day goes wrong."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
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

from nbaprops.config import Settings
from nbaprops.ops import HealthReport, HealthStatus, check_health, choose_game_date
from nbaprops.warehouse import Warehouse

OK, WARNING, CRITICAL = HealthStatus.OK, HealthStatus.WARNING, HealthStatus.CRITICAL
Build = Callable[[PipelineDays], object]


@pytest.fixture(scope="module")
def healthy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The healthy day, built once; each test changes its own copy."""
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


def _without_predictions(days: PipelineDays) -> None:
    days.forget("player_prop_predictions")
    days.warehouse.replace_partition(
        "nba_predictions.player_prop_predictions", {"game_date": D}, []
    )


def _phase3_at_two_of_five(days: PipelineDays) -> None:
    days.forget(*SUMMARIES)
    for processor in SUMMARIES:
        days.run(processor, P, started=at(16, 3), status="failed")


def _stuck_for_two_hours(days: PipelineDays) -> None:
    days.run("player_daily_cache", D, started=NOW - timedelta(hours=2), status="running",
             run_id="stuck-run")


def _six_day_grading_gap(days: PipelineDays) -> None:
    gap_day = D - timedelta(days=6)
    days.schedule(gap_day).predictions(gap_day, created=at(16, day=gap_day))
    days.warehouse.replace_partition(
        "nba_predictions.prediction_accuracy", {"game_date": gap_day}, []
    )


def _source_failed_on_its_last_try(days: PipelineDays) -> None:
    days.run("odds_player_props", D, started=at(16, 30), status="failed", attempt=2,
             error=("SourceError", "The Odds API answered 503 Service Unavailable."))


def _failure_recovered_by_a_retry(days: PipelineDays) -> None:
    days.run("ml_feature_store", D, started=at(15, 50), status="failed")


def _gate_failed(days: PipelineDays) -> None:
    days.warehouse.execute(
        "INSERT INTO nba_orchestration.orchestration_events VALUES "
        "('e1', 'wf-1', ?, 'same_day', 'gate', 'phase4_to_phase5', NULL, 'fail', "
        "'ml_feature_store failed on attempt 3 of 3 with no attempts left', true, '{}', ?, ?)",
        [D, at(16, 40).replace(tzinfo=None), at(16, 40).replace(tzinfo=None)],
    )


CASES: dict[str, tuple[Build, HealthStatus, dict[str, HealthStatus], set[str]]] = {
    # name: (build, overall, {section: status}, alerts fired)
    "healthy day": (lambda days: days, OK, {
        "predictions": OK, "phase3": OK, "grading": OK, "errors": OK, "freshness": OK,
        "stuck": OK, "gates": OK,
    }, set()),
    "phase 3 at 2 of 5": (_phase3_at_two_of_five, CRITICAL, {
        "phase3": CRITICAL, "errors": WARNING, "predictions": OK,
    }, {"phase3_completion_low"}),
    "stale prop lines": (
        lambda days: days.lines(D, snapshot=at(15, 30, day=P)),
        WARNING, {"freshness": WARNING, "phase3": OK}, set(),
    ),
    "a run stuck for 2 h": (_stuck_for_two_hours, WARNING, {"stuck": WARNING}, {"stuck_work"}),
    "a 6-day grading gap": (_six_day_grading_gap, WARNING, {"grading": WARNING},
                            {"grading_gap"}),
    "a source down on its last try": (_source_failed_on_its_last_try, CRITICAL, {
        "freshness": CRITICAL, "errors": WARNING,
    }, {"source_down"}),
    "a failure a retry recovered": (_failure_recovered_by_a_retry, OK, {"errors": OK}, set()),
    "a failed gate": (_gate_failed, CRITICAL, {"gates": CRITICAL}, set()),
}


@pytest.mark.parametrize(
    ("build", "overall", "sections", "alerts"), CASES.values(), ids=CASES.keys()
)
def test_states_and_their_verdicts(
    days: PipelineDays,
    build: Build,
    overall: HealthStatus,
    sections: dict[str, HealthStatus],
    alerts: set[str],
) -> None:
    build(days)
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert {name: report.section(name).status for name in sections} == sections
    assert {alert.name for alert in report.alerts} == alerts
    assert report.status is overall
    assert report.exit_code == {OK: 0, WARNING: 1, CRITICAL: 2}[overall]


def test_phase3_names_what_is_missing(days: PipelineDays) -> None:
    _phase3_at_two_of_five(days)
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    phase3 = report.section("phase3")
    assert "2 of 5 processors" in phase3.reason
    assert phase3.summary["missing"] == list(SUMMARIES)
    rows = {row[0]: row for row in phase3.rows}
    assert rows["player_game_summary"][1:4] == (P, "failed", 1)
    assert rows["upcoming_player_game_context"][1:3] == (D, "success")
    assert report.headline.startswith("CRITICAL: Phase 3: Phase 3 completed 2 of 5")


def test_stale_lines_say_how_old(days: PipelineDays) -> None:
    days.lines(D, snapshot=at(15, 30, day=P))
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert report.section("freshness").reason == (
        "The newest prop lines for 2025-01-10 are 26 h old now, above the 12 h limit."
    )
    assert report.headline == f"WARNING: Data freshness: {report.section('freshness').reason}"


LINE_AGES = [
    # (snapshot, age in hours the day after): the last of D's games tips off at +2 h
    (tipoff(D) - timedelta(hours=3), 5.0),
    (tipoff(D) + timedelta(hours=1), 1.0),
    (tipoff(D) + timedelta(hours=2, minutes=30), 0.0),
]


@pytest.mark.parametrize(("snapshot", "age"), LINE_AGES)
def test_line_age_is_taken_at_the_last_tipoff_once_games_began(
    days: PipelineDays, snapshot: datetime, age: float
) -> None:
    days.lines(D, snapshot=snapshot)
    later = tipoff(D) + timedelta(hours=20)
    report = check_health(days.warehouse, game_date=D, now_utc=later, settings=Settings())
    lines = report.section("freshness").summary["prop_lines"]
    assert (lines["age_hours"], lines["status"]) == (age, "ok")


def test_stuck_work_names_the_run(days: PipelineDays) -> None:
    _stuck_for_two_hours(days)
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    stuck = report.section("stuck")
    assert stuck.reason == (
        "1 run(s) running longer than 30 min: player_daily_cache (phase4) for 2025-01-10, 120 min."
    )
    assert stuck.rows[0][3] == "stuck-run"
    stuck_alert = next(alert for alert in report.alerts if alert.name == "stuck_work")
    assert stuck_alert.labels["processor"] == "player_daily_cache"


def test_stuck_after_minutes_comes_from_the_config(days: PipelineDays) -> None:
    days.run(
        "player_daily_cache", D, started=NOW - timedelta(minutes=20), status="running"
    )
    settings = Settings(health={"stuck_after_minutes": 15})
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=settings)
    assert report.section("stuck").status is WARNING
    assert not report.alerts  # the stuck_work rule has its own 60-minute limit
    relaxed = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert relaxed.section("stuck").reason == "1 run(s) in progress, none longer than 30 min."


def test_grading_gap_lists_the_ungraded_date(days: PipelineDays) -> None:
    _six_day_grading_gap(days)
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    grading = report.section("grading")
    assert grading.summary["ungraded_game_dates"] == [D - timedelta(days=6)]
    assert "oldest 2025-01-04 (6 days ago; the limit is 1)" in grading.reason


def test_grading_reports_accuracy_and_mae(days: PipelineDays) -> None:
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    summary = report.section("grading").summary
    assert summary["last_graded_date"] == P
    assert (summary["correct"], summary["total"], summary["accuracy"]) == (30, 50, 0.6)
    assert summary["mean_absolute_error"] == pytest.approx(2.8)
    assert (summary["history_correct"], summary["history_total"]) == (770, 1400)


def test_predictions_by_system(days: PipelineDays) -> None:
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    predictions = report.section("predictions")
    assert predictions.summary["predictions"] == 120
    assert predictions.summary["players"] == 60
    assert predictions.summary["last_created_utc"] == at(16, 17)
    assert [row[:3] for row in predictions.rows] == [
        ("ensemble", 60, 60), ("moving_average", 60, 60),
    ]


def test_no_predictions_at_tipoff_is_critical(days: PipelineDays) -> None:
    _without_predictions(days)
    after_tipoff = last_tipoff(D) + timedelta(minutes=30)
    report = check_health(days.warehouse, game_date=D, now_utc=after_tipoff, settings=Settings())
    predictions = report.section("predictions")
    assert predictions.status is CRITICAL
    assert predictions.reason == (
        "No predictions for the 5 game(s) on 2025-01-10; Phase 5 never ran; run it again with "
        "`nbaprops run --date 2025-01-10 --rerun`."
    )
    assert report.status is CRITICAL


def test_no_predictions_before_they_are_due_is_fine(days: PipelineDays) -> None:
    _without_predictions(days)
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert report.section("predictions").status is OK
    assert "due before the last tip-off at 2025-01-11 02:00 UTC" in (
        report.section("predictions").reason
    )


def test_reads_the_warehouse_as_it_stood(days: PipelineDays) -> None:
    """At 16:06 the context runs (16:05-16:07) are running and no prediction exists yet."""
    for processor in UPCOMING:  # P's context was written the day before
        days.run(processor, P, started=at(16, 5, day=P))
    report = check_health(days.warehouse, game_date=D, now_utc=at(16, 6), settings=Settings())
    assert report.section("phase3").reason == (
        "Phase 3 in progress for 2025-01-10: 3 of 5 processors complete; waiting for "
        "upcoming_player_game_context, upcoming_team_game_context."
    )
    assert report.section("predictions").summary["predictions"] == 0
    assert report.section("stuck").summary == {"in_progress": 2, "stuck": 0}
    assert report.section("grading").summary["last_graded_date"] == P - timedelta(days=1)
    assert report.status is OK


def test_without_orchestration_tables_there_is_no_gates_section(days: PipelineDays) -> None:
    days.warehouse.execute("DROP TABLE nba_orchestration.orchestration_events")
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert [section.name for section in report.sections] == [
        "predictions", "phase3", "grading", "errors", "freshness", "stuck",
    ]
    assert report.status is OK


def test_an_empty_home_gets_a_clear_message(warehouse: Warehouse) -> None:
    report = check_health(warehouse, now_utc=NOW, settings=Settings())
    assert [section.name for section in report.sections] == ["data"]
    assert report.status is WARNING
    assert "holds no schedule, processor runs or predictions yet" in report.headline
    assert report.date_reason == "today (US Eastern); no game_date has predictions or runs"
    assert report.game_date == D


def test_default_date_is_today_in_us_eastern(days: PipelineDays) -> None:
    # 03:00 UTC on D+1 is still D in New York.
    late = datetime(2025, 1, 11, 3, 0, tzinfo=UTC)
    assert choose_game_date(days.warehouse, now_utc=late) == (D, "today (US Eastern)")


def test_default_date_falls_back_to_the_latest_day_with_data(days: PipelineDays) -> None:
    months_later = datetime(2025, 6, 1, 15, 0, tzinfo=UTC)
    report = check_health(days.warehouse, now_utc=months_later, settings=Settings())
    assert report.game_date == D
    assert report.date_reason == (
        "the latest game_date with predictions or runs; today (2025-06-01, US Eastern) has no "
        "schedule, runs or predictions"
    )
    # Months later nothing has run for ages: the Phase 3 section warns, but no new raw data waits
    # for Phase 3 either, so the stale-data alert stays quiet and the grading gap speaks.
    assert report.section("phase3").status is WARNING
    assert {alert.name for alert in report.alerts} == {"grading_gap"}


def test_the_json_document_holds_every_section(days: PipelineDays) -> None:
    document = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings()).to_json()
    assert document["status"] == "ok"
    assert document["exit_code"] == 0
    assert set(document["sections"]) == {
        "predictions", "phase3", "grading", "errors", "freshness", "stuck", "gates",
    }
    first = document["sections"]["phase3"]["rows"][0]
    assert set(first) == {
        "processor", "for_date", "status", "attempts", "records", "expected", "finished_utc",
        "complete", "last_write_utc", "ok_within_24_h",
    }


def test_now_must_be_timezone_aware(warehouse: Warehouse) -> None:
    with pytest.raises(ValueError, match="now_utc must be timezone-aware"):
        check_health(warehouse, now_utc=datetime(2025, 1, 10, 17), settings=Settings())


STATUS_EXIT_CODES = [(OK, 0), (WARNING, 1), (CRITICAL, 2)]


@pytest.mark.parametrize(("status", "code"), STATUS_EXIT_CODES)
def test_exit_codes(status: HealthStatus, code: int) -> None:
    assert status.exit_code == code


def test_report_status_is_the_worst_section() -> None:
    from nbaprops.ops import HealthSection

    def report(*statuses: HealthStatus) -> HealthReport:
        sections = tuple(
            HealthSection(name=f"s{n}", title=f"S{n}", status=s, reason=f"reason {n}.")
            for n, s in enumerate(statuses)
        )
        return HealthReport(D, "given", NOW, sections, ())

    assert report(OK, OK).headline == "HEALTHY"
    assert report(OK, WARNING, OK, WARNING).headline == "WARNING: S1: reason 1. | S3: reason 3."
    assert report(WARNING, CRITICAL).headline == "CRITICAL: S1: reason 1."
    assert report().status is OK


def test_an_open_breaker_fires_breaker_open_and_raises_freshness(days: PipelineDays) -> None:
    report = check_health(days.warehouse, game_date=D, now_utc=NOW, settings=Settings(), breakers_open=["nbacom"])
    assert [(alert.name, alert.labels["source"]) for alert in report.alerts] == [("breaker_open", "nbacom")]
    assert report.section("freshness").status is not OK and report.status is not OK
    assert "nbacom" in report.headline
