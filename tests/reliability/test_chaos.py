"""The chaos catalog's declarations and the pure judgement of a scenario's outcome."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.orchestration.chaos_run import comparable
from nbaprops.orchestration.chaos_source import distorted, glitch_error, inverted
from nbaprops.orchestration.faults import FaultPlan
from nbaprops.orchestration.service import processor_names
from nbaprops.orchestration.steps import failure_class
from nbaprops.reliability.chaos import CATALOG, ChaosOutcome, GlitchKind, Scenario, SourceGlitch, compare_rows, judge
from nbaprops.reliability.diagnosis import Symptoms, diagnose

CLEAN = ChaosOutcome(
    completed=True,
    open_incidents=0,
    mttr_minutes=15.0,
    differing_rows=0,
    duplicates=0,
    remediation=(),
    alerts={},
    alerts_per_day={},
    diagnoses=(),
    interventions=0,
)
RECOVERABLE = Scenario(name="r", summary="", recoverable=True, exercises="")
UNRECOVERABLE = Scenario(
    name="u", summary="", recoverable=False, exercises="", expected_alert="give_up", expected_diagnosis="missing_module"
)


def test_the_catalog_has_the_issues_fourteen_failures_with_unique_names_and_valid_faults() -> None:
    names = [s.name for s in CATALOG]
    assert len(names) >= 14 and len(set(names)) == len(names)
    for scenario in CATALOG:
        FaultPlan.from_specs(
            [f for f in scenario.inject if not f.startswith(("kill:", "deliver:"))], processors=processor_names()
        )
        assert scenario.recoverable or scenario.expected_alert and scenario.expected_diagnosis


def test_a_recoverable_scenario_meets_its_target_only_when_clean_complete_and_hands_off() -> None:
    assert judge(RECOVERABLE, CLEAN) == ()
    for broken in (
        replace(CLEAN, completed=False),
        replace(CLEAN, open_incidents=1),
        replace(CLEAN, differing_rows=3),
        replace(CLEAN, duplicates=1),
        replace(CLEAN, interventions=1),
    ):
        assert len(judge(RECOVERABLE, broken)) == 1


def test_a_scenario_with_a_fallback_misses_its_target_when_its_fallback_served_nothing() -> None:
    with_fallback = replace(RECOVERABLE, fallback=True)
    assert judge(with_fallback, replace(CLEAN, fallback_rows=66)) == ()
    assert judge(with_fallback, CLEAN) == ("its fallback source served no rows",)
    assert judge(RECOVERABLE, CLEAN) == ()


def test_an_unrecoverable_scenario_must_alert_once_a_day_with_the_right_diagnosis() -> None:
    right = replace(CLEAN, alerts={"give_up": 2}, alerts_per_day={"give_up": 1}, diagnoses=("missing_module",))
    assert judge(UNRECOVERABLE, right) == ()
    assert judge(UNRECOVERABLE, replace(right, alerts_per_day={"give_up": 3}))  # a storm
    assert judge(UNRECOVERABLE, replace(right, alerts_per_day={}))  # silent
    assert judge(UNRECOVERABLE, replace(right, alerts={"give_up": 2, "gate": 1}))  # a second alert
    assert judge(UNRECOVERABLE, replace(right, diagnoses=("unknown", "missing_module")))  # misdiagnosed first


ROWS = st.lists(st.tuples(st.integers(0, 5), st.sampled_from("ab")), max_size=12)


@given(baseline=ROWS, faulted=ROWS)
def test_rows_compare_as_multisets(baseline: list[tuple[int, str]], faulted: list[tuple[int, str]]) -> None:
    differing, duplicates = compare_rows(baseline, faulted)
    assert (differing == 0) == (Counter(baseline) == Counter(faulted))
    assert compare_rows(baseline, baseline + baseline) == (len(baseline), len(baseline))
    assert 0 <= duplicates <= len(faulted)


def test_a_glitch_applies_to_the_calls_and_hours_it_names() -> None:
    quota = SourceGlitch("prop_lines", GlitchKind.QUOTA, after_calls=1)
    assert [quota.active(call, 0) for call in (1, 2, 9)] == [False, True, True]
    twice = SourceGlitch("player_boxscores", GlitchKind.EMPTY, calls=2)
    assert [twice.active(call, 0) for call in (1, 2, 3)] == [True, True, False]
    day = SourceGlitch("team_boxscores", GlitchKind.DOWN, for_hours=24)
    assert day.active(5, 23.9) and not day.active(6, 24.0)


def test_each_glitch_raises_what_the_diagnosis_reads_as_its_cause() -> None:
    expected = {
        GlitchKind.EMPTY: "empty_payload",
        GlitchKind.FORBIDDEN: "forbidden_after_move",
        GlitchKind.QUOTA: "quota_exhausted",
        GlitchKind.RENAMED_FIELD: "schema_drift",
        GlitchKind.DOWN: "source_down",
    }
    for kind, rule in expected.items():
        error = glitch_error(
            SourceGlitch("player_boxscores", kind, renamed=("points", "pts")), "sim", date(2024, 11, 1)
        )
        symptoms = Symptoms(component="nbac_player_boxscores", error_class=failure_class(error), error=str(error))
        assert diagnose(symptoms).rule == rule


def test_a_distorting_glitch_delivers_doubled_counting_stats_and_raises_nothing() -> None:
    glitch = SourceGlitch("player_boxscores", GlitchKind.DOUBLED, after_calls=1)
    row = {"player_lookup": "zachmorrow", "minutes": 31.0, "pts": 14, "fg3m": 2, "plus_minus": 3.0}
    assert distorted(glitch, [row]) == [{**row, "pts": 28, "fg3m": 4}]
    with pytest.raises(ValueError, match="delivers distorted rows; it raises no error"):
        glitch_error(glitch, "sim", date(2024, 11, 1))
    with pytest.raises(ValueError, match="fails the call; it delivers no rows to distort"):
        distorted(SourceGlitch("player_boxscores", GlitchKind.DOWN), [row])
    distorting = {GlitchKind.DOUBLED, GlitchKind.INVERTED}
    assert all(k.distorts == (k in distorting) for k in GlitchKind)


@given(st.integers(0, 60), st.lists(st.integers(0, 40), min_size=1, max_size=5))
def test_an_inverted_stat_lands_across_the_median_line_from_where_it_was(stat: int, halves: list[int]) -> None:
    lines = [{"player_lookup": "zachmorrow", "market": "points", "line": h + 0.5} for h in halves]
    row = {"player_lookup": "zachmorrow", "pts": stat, "fg3m": 2, "reb": 7}
    [out] = inverted([row], lines)
    middle = sorted(h + 0.5 for h in halves)[len(halves) // 2]
    # Over the line comes in under it; under comes in over, unless the mirror would be negative.
    assert (out["pts"] < middle) if stat > middle else (out["pts"] > middle or 2 * middle - stat < 0)
    assert out["pts"] >= 0 and (out["fg3m"], out["reb"]) == (2, 7)  # unpriced markets come as they are


def test_floats_that_differ_in_the_last_bit_compare_equal_and_others_do_not() -> None:
    # A parallel SUM adds in another order from run to run: 0.5965589527328297 against ...296.
    assert comparable(0.5965589527328297) == comparable(0.5965589527328296)
    assert comparable(math.nextafter(102.31051282051283, 0)) == comparable(102.31051282051283)
    assert comparable(0.5965) != comparable(0.5966)
    assert comparable([1.0000000000000002, 2]) == (1.0, 2)
