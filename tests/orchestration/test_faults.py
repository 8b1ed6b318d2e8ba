"""Fault injection specs: valid and invalid specs, plan lookups, and canonical round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.errors import ConfigError
from nbaprops.orchestration import (
    DeliveryFault,
    DeliveryFaultKind,
    Fault,
    FaultPlan,
    KillFault,
    ProcessorFault,
    ProcessorFaultKind,
    SourceFault,
    SourceFaultKind,
    SourceName,
    format_duration,
    parse_duration,
    parse_fault,
)

FAIL = ProcessorFaultKind.FAIL
PARTIAL = ProcessorFaultKind.PARTIAL
SLOW = ProcessorFaultKind.SLOW
CRASH = ProcessorFaultKind.CRASH
IMPORT = ProcessorFaultKind.IMPORT
WRITE_ERROR = ProcessorFaultKind.WRITE_ERROR
PROPS = SourceName.PROPS


@pytest.mark.parametrize(
    ("spec", "fault", "canonical"),
    [
        ("processor:player_game_summary=fail", ProcessorFault("player_game_summary", FAIL), None),
        ("processor:player_game_summary=fail:2",
         ProcessorFault("player_game_summary", FAIL, times=2), None),
        ("processor:upcoming_player_game_context=partial:0.01",
         ProcessorFault("upcoming_player_game_context", PARTIAL, fraction=0.01), None),
        ("processor:x=partial:0:1", ProcessorFault("x", PARTIAL, fraction=0.0, times=1),
         "processor:x=partial:0.0:1"),
        ("processor:x=slow:45m", ProcessorFault("x", SLOW, duration_seconds=2700), None),
        ("processor:x=slow:1.5h:2", ProcessorFault("x", SLOW, duration_seconds=5400, times=2),
         "processor:x=slow:90m:2"),
        ("processor:x=crash", ProcessorFault("x", CRASH), None),
        ("processor:ml_feature_store=crash:1", ProcessorFault("ml_feature_store", CRASH, times=1),
         None),
        ("processor:player_prop_predictions=import:xgboost",
         ProcessorFault("player_prop_predictions", IMPORT, module="xgboost"), None),
        ("processor:x=import:sklearn.ensemble:2", ProcessorFault("x", IMPORT, times=2, module="sklearn.ensemble"),
         None),
        ("processor:x=write_error:2", ProcessorFault("x", WRITE_ERROR, times=2), None),
        ("source:props=late:21h", SourceFault(PROPS, SourceFaultKind.LATE, 75_600), None),
        ("source:boxscores=late:1d",
         SourceFault(SourceName.BOXSCORES, SourceFaultKind.LATE, 86_400), None),
        ("source:schedule=late:30s",
         SourceFault(SourceName.SCHEDULE, SourceFaultKind.LATE, 30), None),
        ("source:schedule=empty", SourceFault(SourceName.SCHEDULE, SourceFaultKind.EMPTY), None),
        ("source:injuries=error", SourceFault(SourceName.INJURIES, SourceFaultKind.ERROR), None),
        ("source:props=forbidden", SourceFault(PROPS, SourceFaultKind.FORBIDDEN), None),
        ("kill:after_step=7", KillFault(7), None),
        ("deliver:duplicate", DeliveryFault(DeliveryFaultKind.DUPLICATE), None),
        ("deliver:reorder", DeliveryFault(DeliveryFaultKind.REORDER), None),
        ("  processor:x=fail  ", ProcessorFault("x", FAIL), "processor:x=fail"),
    ],
)
def test_valid_specs(spec: str, fault: Fault, canonical: str | None) -> None:
    assert parse_fault(spec) == fault
    assert fault.spec == (canonical or spec)


ALLOWED_PROCESSOR_FAULTS = "use fail, partial:<fraction>, slow:<duration>, crash, import:<module>, write_error."
DURATIONS = (
    "use a number and a unit s, m, h or d that comes to whole seconds, like 30s, 45m, 21h or 1d."
)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("processor:x=explode",
         f"Unknown fault kind 'explode' in 'processor:x=explode'; {ALLOWED_PROCESSOR_FAULTS}"),
        ("processor:x=",
         f"Unknown fault kind '' in 'processor:x='; {ALLOWED_PROCESSOR_FAULTS}"),
        ("processor:x",
         "Cannot read fault spec 'processor:x'; write processor:<name>=<fault>, like "
         "processor:player_game_summary=fail."),
        ("processor:Player Summary=fail",
         "Invalid processor name 'Player Summary' in 'processor:Player Summary=fail'; use the "
         "processor's snake_case name, like player_game_summary."),
        ("processor:x=partial",
         "Fault 'processor:x=partial' needs the share of records to write, like partial:0.01."),
        ("processor:x=partial:1",
         "Invalid fraction '1' in 'processor:x=partial:1'; use a share of expected records from "
         "0 up to (not including) 1, like partial:0.01."),
        ("processor:x=partial:nan",
         "Invalid fraction 'nan' in 'processor:x=partial:nan'; use a share"),
        ("processor:x=partial:-0.1", "Invalid fraction '-0.1' in 'processor:x=partial:-0.1'"),
        ("processor:x=partial:lots", "Invalid fraction 'lots' in 'processor:x=partial:lots'"),
        ("processor:x=slow", "Fault 'processor:x=slow' needs how much slower, like slow:30s."),
        ("processor:x=slow:10", f"Invalid duration '10' in 'processor:x=slow:10'; {DURATIONS}"),
        ("processor:x=slow:0s", f"Invalid duration '0s' in 'processor:x=slow:0s'; {DURATIONS}"),
        ("processor:x=slow:0.5s",
         f"Invalid duration '0.5s' in 'processor:x=slow:0.5s'; {DURATIONS}"),
        ("processor:x=slow:2w", f"Invalid duration '2w' in 'processor:x=slow:2w'; {DURATIONS}"),
        ("processor:x=fail:0",
         "Invalid attempt count '0' in 'processor:x=fail:0'; use a whole number of at least 1: "
         "write fail[:<times>], like fail:2 for the first 2 attempts."),
        ("processor:x=crash:once",
         "Invalid attempt count 'once' in 'processor:x=crash:once'; use a whole number of at "
         "least 1: write crash[:<times>], like crash:2 for the first 2 attempts."),
        ("processor:x=slow:30s:-1",
         "Invalid attempt count '-1' in 'processor:x=slow:30s:-1'; use a whole number of at "
         "least 1: write slow:<duration>[:<times>], like slow:30s:2 for the first 2 attempts."),
        ("processor:x=partial:0.1:2:3",
         "Too many ':' parts in 'processor:x=partial:0.1:2:3'; write "
         "partial:<fraction>[:<times>], like partial:0.01:2 for the first 2 attempts."),
        ("processor:x=fail:2:3",
         "Too many ':' parts in 'processor:x=fail:2:3'; write fail[:<times>], like fail:2 "
         "for the first 2 attempts."),
        ("source:odds=late:2h",
         "Unknown source 'odds' in 'source:odds=late:2h'; use schedule, boxscores, props or "
         "injuries."),
        ("source:props=slow",
         "Unknown fault kind 'slow' in 'source:props=slow'; use late:<duration>, empty, error, "
         "forbidden."),
        ("source:props=late", "Fault 'source:props=late' needs how late, like late:21h."),
        ("source:props=late:21", f"Invalid duration '21' in 'source:props=late:21'; {DURATIONS}"),
        ("source:props=empty:2h",
         "Fault 'source:props=empty:2h' takes no value; write empty alone."),
        ("source:props",
         "Cannot read fault spec 'source:props'; write source:<source>=<fault>, like "
         "source:props=late:21h."),
        ("kill:after=7",
         "Cannot read fault spec 'kill:after=7'; write kill:after_step=<n>, like "
         "kill:after_step=7."),
        ("kill:after_step",
         "Cannot read fault spec 'kill:after_step'; write kill:after_step=<n>"),
        ("kill:after_step=0",
         "Invalid step '0' in 'kill:after_step=0'; use a step number of at least 1, like "
         "kill:after_step=7."),
        ("kill:after_step=seven", "Invalid step 'seven' in 'kill:after_step=seven'"),
        ("deliver:drop",
         "Unknown delivery fault 'drop' in 'deliver:drop'; use duplicate or reorder."),
        ("disk:full",
         "Unknown fault target 'disk' in 'disk:full'; use processor:, source:, kill: or "
         "deliver:."),
        ("explode",
         "Cannot read fault spec 'explode'; write <target>:<fault>, like "
         "processor:player_game_summary=fail, source:props=late:21h, kill:after_step=7 or "
         "deliver:duplicate."),
        ("", "Cannot read fault spec ''; write <target>:<fault>"),
        ("processor:x=import",
         "Fault 'processor:x=import' needs the module that cannot be imported, like import:xgboost."),
        ("processor:x=import:no-such",
         "Fault 'processor:x=import:no-such' needs the module that cannot be imported, like import:xgboost."),
    ],
)
def test_invalid_specs_say_what_is_allowed(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_fault(spec)


def test_known_processors_catch_typos() -> None:
    processors = ("player_game_summary", "ml_feature_store")
    assert parse_fault("processor:ml_feature_store=fail", processors=processors)
    with pytest.raises(
        ConfigError,
        match=re.escape(
            "Unknown processor 'player_game_sumary' in 'processor:player_game_sumary=fail'; "
            "use one of player_game_summary, ml_feature_store."
        ),
    ):
        FaultPlan.from_specs(["processor:player_game_sumary=fail"], processors=processors)


def test_plan_lookups() -> None:
    plan = FaultPlan.from_specs(
        [
            "processor:player_game_summary=fail:2",
            "processor:player_game_summary=partial:0.01",
            "processor:ml_feature_store=crash:1",
            "source:props=late:21h",
            "source:injuries=forbidden",
            "kill:after_step=7",
            "deliver:duplicate",
        ]
    )
    summary = [plan.processor_fault("player_game_summary", attempt) for attempt in (1, 2, 3, 9)]
    assert [fault.kind if fault else None for fault in summary] == [FAIL, FAIL, PARTIAL, PARTIAL]
    assert [plan.processor_fault("ml_feature_store", n) for n in (1, 2)] == [
        ProcessorFault("ml_feature_store", CRASH, times=1),
        None,
    ]
    assert plan.processor_fault("team_offense_game_summary", 1) is None
    assert plan.source_delay_seconds(PROPS) == 75_600
    assert plan.source_delay_seconds(SourceName.INJURIES) == 0
    assert plan.source_delay_seconds(SourceName.BOXSCORES) == 0
    assert plan.source_fault(SourceName.INJURIES) == SourceFault(
        SourceName.INJURIES, SourceFaultKind.FORBIDDEN
    )
    assert plan.source_fault(SourceName.SCHEDULE) is None
    assert plan.kill_after_step == 7
    assert plan.delivers(DeliveryFaultKind.DUPLICATE)
    assert not plan.delivers(DeliveryFaultKind.REORDER)
    assert plan.specs[0] == "processor:player_game_summary=fail:2"
    assert plan


def test_the_empty_plan_injects_nothing() -> None:
    plan = FaultPlan.from_specs([])
    assert not plan
    assert plan.processor_fault("player_game_summary", 1) is None
    assert plan.source_delay_seconds(PROPS) == 0
    assert plan.kill_after_step is None
    assert not plan.delivers(DeliveryFaultKind.REORDER)


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        (["processor:x=fail", "processor:x=partial:0.5"],
         "Fault 'processor:x=partial:0.5' can never apply: 'processor:x=fail' already affects "
         "every attempt of x; give that one an attempt count: write fail[:<times>], like fail:2 "
         "for the first 2 attempts."),
        (["processor:x=slow:1m", "processor:x=fail:2", "processor:x=crash"],
         "Fault 'processor:x=fail:2' can never apply: 'processor:x=slow:1m' already affects "
         "every attempt of x; give that one an attempt count: write slow:<duration>[:<times>]"),
        (["kill:after_step=3", "kill:after_step=7"],
         "Faults 'kill:after_step=3' and 'kill:after_step=7' clash; inject one of them."),
        (["source:props=late:2h", "source:props=empty"],
         "Faults 'source:props=late:2h' and 'source:props=empty' clash; inject one of them."),
        (["deliver:duplicate", "deliver:duplicate"],
         "Faults 'deliver:duplicate' and 'deliver:duplicate' clash; inject one of them."),
    ],
)
def test_clashing_faults_are_refused(specs: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        FaultPlan.from_specs(specs)


def test_faults_for_different_targets_do_not_clash() -> None:
    plan = FaultPlan.from_specs(
        ["processor:x=fail", "processor:y=fail", "source:props=empty", "source:schedule=empty",
         "deliver:duplicate", "deliver:reorder"]
    )
    assert len(plan.faults) == 6


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ProcessorFault("x", FAIL, fraction=0.5), "fraction is for partial faults only"),
        (lambda: ProcessorFault("x", PARTIAL), "fraction is for partial faults only"),
        (lambda: ProcessorFault("x", SLOW), "duration_seconds is for slow faults only"),
        (lambda: ProcessorFault("x", FAIL, times=0), "times must be at least 1, got 0."),
        (lambda: SourceFault(PROPS, SourceFaultKind.LATE), "delay_seconds is for late faults only"),
        (lambda: SourceFault(PROPS, SourceFaultKind.EMPTY, 5), "delay_seconds is for late faults"),
        (lambda: KillFault(0), "after_step counts from 1, got 0."),
        (lambda: FaultPlan().processor_fault("x", 0), "attempt counts from 1, got 0."),
    ],
)
def test_faults_built_in_code_are_checked_too(make, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


@pytest.mark.parametrize(
    ("text", "seconds", "canonical"),
    [
        ("30s", 30, "30s"),
        ("90s", 90, "90s"),
        ("45m", 2_700, "45m"),
        ("21h", 75_600, "21h"),
        ("1d", 86_400, "1d"),
        ("1.5h", 5_400, "90m"),
        ("0.1m", 6, "6s"),
        ("36h", 129_600, "36h"),
        ("48h", 172_800, "2d"),
    ],
)
def test_durations(text: str, seconds: int, canonical: str) -> None:
    assert parse_duration(text, spec=text) == seconds
    assert format_duration(seconds) == canonical


PROCESSOR_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
TIMES = st.none() | st.integers(min_value=1, max_value=50)
SECONDS = st.integers(min_value=1, max_value=10 * 86_400)
FAULTS = st.one_of(
    st.builds(ProcessorFault, PROCESSOR_NAMES, st.sampled_from([FAIL, CRASH, WRITE_ERROR]), times=TIMES),
    st.builds(
        ProcessorFault,
        PROCESSOR_NAMES,
        st.just(IMPORT),
        times=TIMES,
        module=st.from_regex(r"[a-z_][a-z0-9_]{0,10}(\.[a-z_][a-z0-9_]{0,10}){0,2}", fullmatch=True),
    ),
    st.builds(
        ProcessorFault,
        PROCESSOR_NAMES,
        st.just(PARTIAL),
        fraction=st.floats(min_value=0, max_value=1, exclude_max=True),
        times=TIMES,
    ),
    st.builds(
        ProcessorFault, PROCESSOR_NAMES, st.just(SLOW), duration_seconds=SECONDS, times=TIMES
    ),
    st.builds(
        SourceFault, st.sampled_from(list(SourceName)), st.just(SourceFaultKind.LATE), SECONDS
    ),
    st.builds(
        SourceFault,
        st.sampled_from(list(SourceName)),
        st.sampled_from([SourceFaultKind.EMPTY, SourceFaultKind.ERROR, SourceFaultKind.FORBIDDEN]),
    ),
    st.builds(KillFault, st.integers(min_value=1, max_value=1_000)),
    st.builds(DeliveryFault, st.sampled_from(list(DeliveryFaultKind))),
)


@given(fault=FAULTS)
def test_every_fault_parses_back_from_its_spec(fault: Fault) -> None:
    assert parse_fault(fault.spec) == fault


@given(seconds=SECONDS)
def test_every_duration_parses_back_from_its_shortest_form(seconds: int) -> None:
    assert parse_duration(format_duration(seconds), spec="test") == seconds


@given(
    times=st.lists(st.integers(min_value=1, max_value=5), max_size=4),
    attempt=st.integers(min_value=1, max_value=30),
)
def test_processor_faults_apply_in_turn(times: list[int], attempt: int) -> None:
    specs = [f"processor:x=fail:{n}" if i % 2 == 0 else f"processor:x=crash:{n}"
             for i, n in enumerate(times)]
    fault = FaultPlan.from_specs(specs).processor_fault("x", attempt)
    covered = 0
    for index, count in enumerate(times):
        if covered < attempt <= covered + count:
            assert fault is not None and fault.spec == specs[index]
            return
        covered += count
    assert fault is None
