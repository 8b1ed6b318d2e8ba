"""The decision matrix of `investigate grading`, on plain facts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.cli.output import to_json
from nbaprops.ops import (
    FreshnessStatus,
    GradedCell,
    GradingFacts,
    GradingPeriod,
    GradingThresholds,
    GradingVerdict,
    ProcessorRunStatus,
    SystemCoverage,
    Tally,
    diagnose_grading,
)
from nbaprops.ops.investigate import assess_freshness

D = date(2025, 1, 15)
FIRST_PREDICTION = datetime(2025, 1, 15, 17, 0)
SYSTEMS = ("gbm", "matchup", "moving_average", "similarity")
HISTORY = {system: (385, 315) for system in SYSTEMS}  # 55% of 700 per system

V = GradingVerdict


def even(total_wins: int, per_system: int, systems: tuple[str, ...] = SYSTEMS) -> dict[str, Any]:
    """`total_wins` spread over the systems, `per_system` decided picks each."""
    base, extra = divmod(total_wins, len(systems))
    return {s: (base + (i < extra), per_system - base - (i < extra)) for i, s in enumerate(systems)}


def tally(wins: int, losses: int, *, error: float = 4.0) -> Tally:
    decided = wins + losses
    return Tally(graded=decided, wins=wins, losses=losses, error_sum=error * decided,
                 error_count=decided)


def facts(
    day: Mapping[str, tuple[int, int]],
    history: Mapping[str, tuple[int, int]] = HISTORY,
    *,
    predicted: int | None = None,
    graded: int | None = None,
    phase3_lead_hours: float | None = 2.0,
    runs: tuple[ProcessorRunStatus, ...] = (),
    scheduled_games: int = 7,
) -> GradingFacts:
    """One OVER cell per system and period; coverage is every decided pick unless overridden
    (`predicted`/`graded` are totals, put on the first system)."""
    cells = [GradedCell(GradingPeriod.DAY, s, "OVER", "points", "fanduel", "preferred", tally(*wl))
             for s, wl in day.items()]
    cells += [GradedCell(GradingPeriod.HISTORY, s, "OVER", "points", "fanduel", "preferred",
                         tally(*wl, error=3.0)) for s, wl in history.items()]
    coverage = [SystemCoverage(s, sum(wl), sum(wl)) for s, wl in day.items()]
    if coverage and (predicted is not None or graded is not None):
        first, rest = coverage[0], coverage[1:]
        others_predicted = sum(c.predicted for c in rest)
        others_graded = sum(c.graded for c in rest)
        coverage = [SystemCoverage(
            first.system_id,
            (predicted - others_predicted) if predicted is not None else first.predicted,
            (graded - others_graded) if graded is not None else first.graded,
        ), *rest]
    has_predictions = bool(coverage)
    return GradingFacts(
        game_date=D, history_start=D - timedelta(days=14), cells=tuple(cells),
        coverage=tuple(coverage),
        first_prediction_at=FIRST_PREDICTION if has_predictions else None,
        phase3_finished_at=(FIRST_PREDICTION - timedelta(hours=phase3_lead_hours)
                            if has_predictions and phase3_lead_hours is not None else None),
        phase3_processor="upcoming_player_game_context",
        latest_runs=runs, scheduled_games=scheduled_games,
    )


NOT_SIGNIFICANT_ALONE = {s: (48, 52) for s in SYSTEMS}  # 48% of 100 per system
GRADING_FAILED = ProcessorRunStatus(
    "prediction_accuracy", "grading", "failed", 3, datetime(2025, 1, 16, 9),
    datetime(2025, 1, 16, 9, 1),
    "ProcessorError", "box scores for 2025-01-15 are missing",
)
PREDICTIONS_FAILED = ProcessorRunStatus(
    "player_prop_predictions", "phase5", "failed", 1, datetime(2025, 1, 15, 17),
    datetime(2025, 1, 15, 17, 1), "ProcessorError", "the feature store for 2025-01-15 is empty",
)

CASES: dict[str, tuple[GradingFacts, GradingVerdict, tuple[str, ...]]] = {
    # name: (facts, verdict, named systems)
    "9 of 48 over four systems is model drift": (facts(even(9, 12)), V.MODEL_DRIFT, ()),
    "3 of 12 is variance": (facts(even(3, 3)), V.VARIANCE, ()),
    "no history to compare against is variance": (facts(even(9, 12), {}), V.VARIANCE, ()),
    "26 of 48 is normal": (facts(even(26, 12)), V.NORMAL, ()),
    "one system at 20% is that system's regression": (
        facts({"gbm": (10, 40), "matchup": (28, 22), "moving_average": (27, 23),
               "similarity": (28, 22)}), V.SYSTEM_REGRESSION, ("gbm",)),
    "one system regressed while the combined rate holds": (
        facts({"gbm": (10, 40), **{s: (32, 18) for s in SYSTEMS[1:]}}),
        V.SYSTEM_REGRESSION, ("gbm",)),
    "two of four systems down are named": (
        facts({"gbm": (2, 10), "matchup": (1, 11), "moving_average": (7, 5),
               "similarity": (7, 5)}), V.SYSTEM_REGRESSION, ("gbm", "matchup")),
    "a significant drop no system explains alone is drift": (
        facts(NOT_SIGNIFICANT_ALONE), V.MODEL_DRIFT, ()),
    "a new system without history does not block drift": (
        facts({**even(9, 12), "ensemble": (5, 7)}), V.MODEL_DRIFT, ()),
    "20 of 45 against 55% is degraded": (facts({"gbm": (20, 25)}), V.DEGRADED, ()),
    "Phase 3 30 h before the first prediction is scheduling": (
        facts(even(26, 12), phase3_lead_hours=30), V.SCHEDULING, ()),
    "Phase 3 13 h before is old but normal": (
        facts(even(26, 12), phase3_lead_hours=13), V.NORMAL, ()),
    "no Phase 3 run before the predictions does not decide": (
        facts(even(26, 12), phase3_lead_hours=None), V.NORMAL, ()),
    "100 predicted and 20 graded is a regrade": (
        facts(even(26, 12), predicted=100, graded=20), V.REGRADE, ()),
    "90% graded is enough": (facts(even(26, 12), predicted=100, graded=90), V.NORMAL, ()),
    "nothing predicted is no data": (facts({}), V.NO_DATA, ()),
    # precedence: regrade, then stale data, then the rates
    "a regrade beats stale data and a regression": (
        facts(even(9, 12), predicted=100, graded=20, phase3_lead_hours=30), V.REGRADE, ()),
    "stale data beats a regression": (
        facts(even(9, 12), phase3_lead_hours=30), V.SCHEDULING, ()),
    "a system regression beats a degraded combined rate": (
        facts({"gbm": (3, 17), "matchup": (9, 1)}), V.SYSTEM_REGRESSION, ("gbm",)),
    "the only system of the day falling is every system down": (
        facts({"gbm": (2, 18)}), V.MODEL_DRIFT, ()),
    "old data does not turn drift into scheduling": (
        facts(even(9, 12), phase3_lead_hours=20), V.MODEL_DRIFT, ()),
}


@pytest.mark.parametrize(("case", "verdict", "named"), CASES.values(), ids=CASES.keys())
def test_decision_matrix(
    case: GradingFacts, verdict: GradingVerdict, named: tuple[str, ...]
) -> None:
    investigation = diagnose_grading(case)
    assert investigation.verdict is verdict, investigation.reason
    assert investigation.named_systems == named
    assert investigation.reason.endswith(".") and investigation.action.endswith(".")
    for system in named:
        assert system in investigation.reason and system in investigation.action


def test_the_incident_day_is_a_regression_not_variance() -> None:
    investigation = diagnose_grading(facts(even(9, 12)))
    assert investigation.p_value is not None and investigation.p_value < 0.001
    assert investigation.overall.check.status.value == "REGRESSION"
    assert all(row.down for row in investigation.systems)
    assert all(row.check.status.value == "SMALL SAMPLE" for row in investigation.systems)
    assert "9/48 (18.8%)" in investigation.reason and "every system is down" in investigation.reason
    assert "`nbaprops backfill --start 2025-01-01 --end 2025-01-15 --rerun`" in investigation.action


def test_reasons_carry_the_evidence() -> None:
    regrade = diagnose_grading(
        facts(even(26, 12), predicted=100, graded=20, runs=(GRADING_FAILED,)))
    assert "Only 20 of 100 active predictions" in regrade.reason
    assert "gbm 80" in regrade.reason
    assert "failed with ProcessorError: box scores for 2025-01-15 are missing" in regrade.reason
    assert "`nbaprops run --date 2025-01-15 --results --rerun`" in regrade.action

    never = diagnose_grading(facts(even(26, 12), predicted=100, graded=0))
    assert "Grading has never run for that date." in never.reason

    stale = diagnose_grading(facts(even(26, 12), phase3_lead_hours=30))
    assert "30.0 h after the last Phase 3 run" in stale.reason
    assert "upcoming_player_game_context" in stale.reason
    assert "`nbaprops run --date 2025-01-15 --rerun`" in stale.action

    old = diagnose_grading(facts(even(26, 12), phase3_lead_hours=13))
    assert "13.0 h old" in old.reason and old.freshness.status is FreshnessStatus.OLD

    no_data = diagnose_grading(facts({}, runs=(PREDICTIONS_FAILED,)))
    assert "the schedule lists 7 games" in no_data.reason
    assert "the feature store for 2025-01-15 is empty" in no_data.reason
    off_day = diagnose_grading(facts({}, scheduled_games=0))
    assert "the schedule lists no games" in off_day.reason

    variance = diagnose_grading(facts(even(3, 3)))
    assert "Only 12 graded picks on 2025-01-15 (fewer than 20)" in variance.reason
    no_history = diagnose_grading(facts(even(9, 12), {}))
    assert "Only 0 graded picks in the history" in no_history.reason


FRESHNESS = {
    # gap hours: status
    0.5: FreshnessStatus.FRESH,
    12.0: FreshnessStatus.FRESH,
    12.01: FreshnessStatus.OLD,
    24.0: FreshnessStatus.OLD,
    24.01: FreshnessStatus.STALE,
}


@pytest.mark.parametrize(("gap_hours", "status"), FRESHNESS.items())
def test_freshness(gap_hours: float, status: FreshnessStatus) -> None:
    freshness = assess_freshness(FIRST_PREDICTION, FIRST_PREDICTION - timedelta(hours=gap_hours))
    assert freshness.status is status
    assert freshness.gap_hours == pytest.approx(gap_hours)


def test_freshness_without_either_time_is_unknown() -> None:
    assert assess_freshness(None, FIRST_PREDICTION).status is FreshnessStatus.UNKNOWN
    assert assess_freshness(FIRST_PREDICTION, None).status is FreshnessStatus.UNKNOWN


def test_thresholds_are_arguments() -> None:
    case = facts(even(26, 12), predicted=100, graded=60)
    assert diagnose_grading(case).verdict is V.REGRADE
    loose = GradingThresholds(min_graded_share=0.5)
    assert diagnose_grading(case, thresholds=loose).verdict is V.NORMAL
    late = facts(even(26, 12), phase3_lead_hours=30)
    patient = GradingThresholds(old_hours=24, stale_hours=48)
    assert diagnose_grading(late, thresholds=patient).verdict is V.NORMAL
    few = GradingThresholds(min_sample=5)
    assert diagnose_grading(facts(even(3, 3)), thresholds=few).verdict is V.MODEL_DRIFT


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_sample": 0}, r"min_sample 0 must be at least 1\."),
        ({"alpha": 1.0}, r"alpha 1\.0 must lie strictly between 0 and 1\."),
        ({"degraded_drop": 0.0}, r"degraded_drop 0\.0 must lie strictly between 0 and 1\."),
        ({"min_graded_share": 1.5}, r"min_graded_share 1\.5 must lie in \(0, 1\]\."),
        ({"old_hours": 30.0}, r"old_hours 30\.0 must be positive and below stale_hours 24\.0\."),
    ],
)
def test_bad_thresholds_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GradingThresholds(**options)


def test_history_must_come_before_the_day() -> None:
    with pytest.raises(ValueError, match=r"history_start 2025-01-15 must fall before game_date"):
        GradingFacts(game_date=D, history_start=D)


def test_json_carries_verdict_p_value_and_every_section() -> None:
    document = json.loads(to_json(diagnose_grading(facts(even(9, 12))).to_json()))
    assert document["verdict"] == "MODEL_DRIFT"
    assert document["p_value"] < 0.001
    assert document["game_date"] == "2025-01-15"
    assert document["history"] == {"start": "2025-01-01", "end": "2025-01-14", "days": 14}
    assert [row["key"] for row in document["accuracy"]["systems"]] == list(SYSTEMS)
    overall = document["accuracy"]["overall"]
    assert overall["status"] == "REGRESSION" and overall["day"]["wins"] == 9
    assert overall["day"]["mae"] == pytest.approx(4.0) and overall["history"]["mae"] == 3.0
    assert set(document["breakdowns"]) == {"recommendation", "market", "bookmaker", "line_source"}
    assert document["freshness"]["status"] == "FRESH"
    assert document["coverage"]["graded_share"] == 1.0
    assert document["thresholds"]["min_sample"] == 20


def test_tallies_add_up() -> None:
    total = Tally.total([tally(3, 1, error=2.0), tally(1, 3, error=4.0), Tally(voids=2, graded=2)])
    assert (total.graded, total.wins, total.losses, total.voids) == (10, 4, 4, 2)
    assert total.hit_rate == 0.5 and total.mae == 3.0
    assert Tally().hit_rate is None and Tally().mae is None


_cells = st.builds(
    GradedCell,
    period=st.sampled_from(GradingPeriod),
    system_id=st.sampled_from(SYSTEMS),
    recommendation=st.sampled_from(["OVER", "UNDER", "PASS"]),
    market=st.sampled_from(["points", "assists"]),
    bookmaker=st.sampled_from(["fanduel", None]),
    line_source=st.sampled_from(["preferred", "consensus"]),
    tally=st.builds(tally, st.integers(0, 40), st.integers(0, 40)),
)


@given(st.lists(_cells, max_size=30), st.integers(0, 200), st.integers(0, 200))
def test_every_breakdown_adds_up_to_the_day(
    cells: list[GradedCell], predicted: int, graded: int
) -> None:
    coverage = (SystemCoverage("gbm", max(predicted, graded), graded),) if predicted else ()
    case = GradingFacts(game_date=D, history_start=D - timedelta(days=14), cells=tuple(cells),
                        coverage=coverage, first_prediction_at=FIRST_PREDICTION)
    investigation = diagnose_grading(case)
    day = Tally.total(c.tally for c in cells if c.period is GradingPeriod.DAY)
    assert investigation.overall.day == day
    for rows in (investigation.systems, *investigation.breakdowns.values()):
        assert Tally.total(row.day for row in rows) == day
    assert isinstance(investigation.verdict, GradingVerdict)
    assert (investigation.verdict is V.NO_DATA) == (not coverage)
    json.loads(to_json(investigation.to_json()))
