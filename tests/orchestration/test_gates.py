"""Phase gates: decision tables per trigger mode and run mode, invariants, and their config."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from nbaprops.config import load_settings
from nbaprops.errors import ConfigError
from nbaprops.orchestration import (
    GateAction,
    GateConfig,
    ModesConfig,
    ProcessorState,
    ProcessorStatus,
    RunMode,
    TriggerMode,
    decide_gate,
)
from nbaprops.orchestration.settings import (
    Phase3ToGradingGate,
    Phase3ToPhase4Gate,
    Phase4ToPhase5Gate,
)

PLAYER_CONTEXT = "upcoming_player_game_context"
TEAM_CONTEXT = "upcoming_team_game_context"
PLAYER_SUMMARY = "player_game_summary"
OFFENSE = "team_offense_game_summary"
DEFENSE = "team_defense_game_summary"

PENDING = ProcessorState.PENDING
RUNNING = ProcessorState.RUNNING
SUCCESS = ProcessorState.SUCCESS
PARTIAL = ProcessorState.PARTIAL
FAILED = ProcessorState.FAILED
SKIPPED = ProcessorState.SKIPPED

MODES = ModesConfig()
PHASE3_TO_4 = Phase3ToPhase4Gate()


def status(
    processor: str,
    state: ProcessorState,
    records: int | None = None,
    expected: int | None = None,
    *,
    attempts: int | None = None,
) -> ProcessorStatus:
    if attempts is None:
        attempts = 0 if state is PENDING else 1
    return ProcessorStatus(processor, state, records, expected, attempts)


def by_name(*statuses: ProcessorStatus) -> dict[str, ProcessorStatus]:
    return {s.processor: s for s in statuses}


CRITICAL_DONE = (status(PLAYER_CONTEXT, SUCCESS, 156, 156), status(TEAM_CONTEXT, SUCCESS, 30, 30))
OPTIONAL_DONE = (
    status(PLAYER_SUMMARY, SUCCESS, 240, 240),
    status(OFFENSE, SUCCESS, 30, 30),
    status(DEFENSE, SUCCESS, 30, 30),
)


# The incident: 2 of 5 Phase 3 processors finished, both critical; Phase 4 must not wait forever.
@pytest.mark.parametrize("run_mode", list(RunMode))
def test_two_of_five_with_both_critical_complete_proceeds_degraded_in_every_mode(
    run_mode: RunMode,
) -> None:
    statuses = by_name(
        *CRITICAL_DONE,
        status(PLAYER_SUMMARY, PENDING),
        status(OFFENSE, FAILED, attempts=1),
        status(DEFENSE, FAILED, attempts=3),
    )
    decision = decide_gate(
        PHASE3_TO_4, mode=MODES.get(run_mode), statuses=statuses, waited_minutes=0
    )
    assert decision.action is GateAction.PROCEED_DEGRADED
    assert decision.alert is True
    assert decision.blocking == ()
    assert decision.retry_due == {OFFENSE: 300.0}
    assert decision.reason == (
        "Complete: upcoming_player_game_context at 156/156 records (100.0%), "
        "upcoming_team_game_context at 30/30 records (100.0%). Proceeding without: "
        "player_game_summary is pending; "
        "team_offense_game_summary failed on attempt 1 of 3, retrying after 5 minutes; "
        "team_defense_game_summary failed on attempt 3 of 3 with no attempts left."
    )


@pytest.mark.parametrize("run_mode", list(RunMode))
def test_two_of_five_with_the_rest_only_pending_proceeds_degraded_without_alert(
    run_mode: RunMode,
) -> None:
    statuses = by_name(*CRITICAL_DONE, status(PLAYER_SUMMARY, PENDING), status(OFFENSE, RUNNING))
    missing_defense = decide_gate(
        PHASE3_TO_4, mode=MODES.get(run_mode), statuses=statuses, waited_minutes=0
    )
    statuses[DEFENSE] = status(DEFENSE, PENDING)
    pending_defense = decide_gate(
        PHASE3_TO_4, mode=MODES.get(run_mode), statuses=statuses, waited_minutes=0
    )
    assert (missing_defense.action, missing_defense.alert) == (GateAction.PROCEED_DEGRADED, True)
    assert (pending_defense.action, pending_defense.alert) == (GateAction.PROCEED_DEGRADED, False)


# The incident: weekend lines 21 h late, so the player context wrote 1 of 156 rows.
@pytest.mark.parametrize(
    ("waited_minutes", "action", "waited_words"),
    [
        (0, GateAction.WAIT, "waited 0 of 45 minutes."),
        (12, GateAction.WAIT, "waited 12 of 45 minutes."),
        (44.99, GateAction.WAIT, "waited 44.9 of 45 minutes."),
        (45, GateAction.FAIL, "waited 45 of 45 minutes, the maximum wait, so the gate fails."),
        (600, GateAction.FAIL, "waited 600 of 45 minutes, the maximum wait, so the gate fails."),
    ],
)
def test_critical_context_at_1_of_156_waits_then_fails_at_max_wait(
    waited_minutes: float, action: GateAction, waited_words: str
) -> None:
    statuses = by_name(
        status(PLAYER_CONTEXT, SUCCESS, 1, 156),
        status(TEAM_CONTEXT, SUCCESS, 30, 30),
        *OPTIONAL_DONE,
    )
    decision = decide_gate(
        PHASE3_TO_4, mode=MODES.same_day, statuses=statuses, waited_minutes=waited_minutes
    )
    assert decision.action is action
    assert decision.alert is (action is GateAction.FAIL)
    assert decision.blocking == (PLAYER_CONTEXT,)
    assert decision.reason == (
        "upcoming_player_game_context at 1/156 records (0.6%) is below same_day minimum 80%; "
        + waited_words
    )


def player_context(
    state: ProcessorState | None,
    records: int | None = None,
    expected: int | None = None,
    *,
    attempts: int | None = None,
) -> dict[str, ProcessorStatus]:
    """Phase 3 with the player context in `state` (None: not reported), the rest complete."""
    statuses = by_name(status(TEAM_CONTEXT, SUCCESS, 30, 30), *OPTIONAL_DONE)
    if state is not None:
        found = status(PLAYER_CONTEXT, state, records, expected, attempts=attempts)
        statuses[PLAYER_CONTEXT] = found
    return statuses


# critical_only, Phase 3 -> 4, one critical processor varied; the others all complete.
CRITICAL_ONLY_CASES = [
    # (case, run mode, statuses, waited_minutes, action, reason fragment)
    ("all complete", RunMode.OVERNIGHT, player_context(SUCCESS, 156, 156), 0,
     GateAction.PROCEED, "Every processor is complete: upcoming_player_game_context at 156/156"),
    ("critical pending", RunMode.OVERNIGHT, player_context(PENDING), 10,
     GateAction.WAIT, "upcoming_player_game_context is pending; waited 10 of 60 minutes."),
    ("critical running", RunMode.OVERNIGHT, player_context(RUNNING, attempts=2), 10,
     GateAction.WAIT, "upcoming_player_game_context is running attempt 2; waited 10 of 60"),
    ("critical missing", RunMode.OVERNIGHT, player_context(None), 10,
     GateAction.WAIT, "upcoming_player_game_context has not reported; waited 10 of 60"),
    ("critical missing at max wait", RunMode.OVERNIGHT, by_name(*OPTIONAL_DONE), 60,
     GateAction.FAIL, "has not reported; upcoming_team_game_context has not reported; waited 60 "),
    ("critical failed, retries left", RunMode.OVERNIGHT, player_context(FAILED, attempts=2), 10,
     GateAction.WAIT, "failed on attempt 2 of 3, retrying after 10 minutes; waited 10 of 60"),
    ("critical failed, retries left, max wait", RunMode.OVERNIGHT,
     player_context(FAILED, attempts=1), 60, GateAction.FAIL, "the maximum wait"),
    ("critical failed, no attempts left", RunMode.OVERNIGHT, player_context(FAILED, attempts=3), 0,
     GateAction.FAIL, "failed on attempt 3 of 3 with no attempts left; waited 0 of 60 minutes, "
     "and no attempts are left, so the gate fails."),
    ("80.1% meets same_day", RunMode.SAME_DAY, player_context(SUCCESS, 125, 156), 0,
     GateAction.PROCEED, "upcoming_player_game_context at 125/156 records (80.1%)"),
    ("79.4% misses same_day", RunMode.SAME_DAY, player_context(SUCCESS, 124, 156), 0,
     GateAction.WAIT, "at 124/156 records (79.4%) is below same_day minimum 80%"),
    ("80.1% misses overnight", RunMode.OVERNIGHT, player_context(SUCCESS, 125, 156), 0,
     GateAction.WAIT, "at 125/156 records (80.1%) is below overnight minimum 100%"),
    ("exactly 75% meets tomorrow", RunMode.TOMORROW, player_context(PARTIAL, 117, 156), 0,
     GateAction.PROCEED, "at 117/156 records (75.0%)"),
    ("99.3% misses backfill", RunMode.BACKFILL, player_context(SUCCESS, 155, 156), 0,
     GateAction.WAIT, "at 155/156 records (99.3%) is below backfill minimum 100%; waited 0 of 30"),
    ("no games: 0 of 0 is complete", RunMode.BACKFILL, player_context(SUCCESS, 0, 0), 0,
     GateAction.PROCEED, "upcoming_player_game_context at 0/0 records (100.0%)"),
    ("success without expected count", RunMode.BACKFILL, player_context(SUCCESS, 12), 0,
     GateAction.PROCEED, "upcoming_player_game_context succeeded"),
    ("skipped without expected count", RunMode.BACKFILL, player_context(SKIPPED), 0,
     GateAction.PROCEED, "upcoming_player_game_context was skipped"),
    ("partial without expected count", RunMode.SAME_DAY, player_context(PARTIAL, 12), 0,
     GateAction.WAIT, "upcoming_player_game_context is partial with no expected count"),
]


@pytest.mark.parametrize(
    ("run_mode", "statuses", "waited_minutes", "action", "reason"),
    [case[1:] for case in CRITICAL_ONLY_CASES],
    ids=[case[0] for case in CRITICAL_ONLY_CASES],
)
def test_critical_only_rules(
    run_mode: RunMode,
    statuses: dict[str, ProcessorStatus],
    waited_minutes: float,
    action: GateAction,
    reason: str,
) -> None:
    decision = decide_gate(
        PHASE3_TO_4, mode=MODES.get(run_mode), statuses=statuses, waited_minutes=waited_minutes
    )
    assert decision.action is action
    assert reason in decision.reason


def test_failed_critical_with_attempts_left_is_due_for_a_growing_retry() -> None:
    delays = [
        decide_gate(
            PHASE3_TO_4,
            mode=MODES.overnight,
            statuses=player_context(FAILED, attempts=attempt),
            waited_minutes=0,
        ).retry_due
        for attempt in (1, 2, 3)
    ]
    assert delays == [{PLAYER_CONTEXT: 300.0}, {PLAYER_CONTEXT: 600.0}, {}]


@pytest.mark.parametrize(
    ("alert_on_optional_failure", "optional", "alert"),
    [
        (True, status(DEFENSE, FAILED, attempts=1), True),
        (False, status(DEFENSE, FAILED, attempts=1), False),
        (True, None, True),
        (True, status(DEFENSE, PARTIAL, 3, 30), False),
        (True, status(DEFENSE, RUNNING), False),
    ],
)
def test_optional_shortfall_alerts_only_when_failed_or_missing_and_asked_to(
    alert_on_optional_failure: bool, optional: ProcessorStatus | None, alert: bool
) -> None:
    gate = Phase3ToPhase4Gate(alert_on_optional_failure=alert_on_optional_failure)
    statuses = by_name(*CRITICAL_DONE, *OPTIONAL_DONE[:2])
    if optional is not None:
        statuses[DEFENSE] = optional
    decision = decide_gate(gate, mode=MODES.overnight, statuses=statuses, waited_minutes=0)
    assert decision.action is GateAction.PROCEED_DEGRADED
    assert decision.alert is alert


def test_all_complete_waits_for_optional_processors_too() -> None:
    gate = Phase3ToPhase4Gate(trigger_mode=TriggerMode.ALL_COMPLETE)
    two_of_five = by_name(*CRITICAL_DONE, status(PLAYER_SUMMARY, RUNNING))
    decide = decide_gate
    waiting = decide(gate, mode=MODES.overnight, statuses=two_of_five, waited_minutes=5)
    timed_out = decide(gate, mode=MODES.overnight, statuses=two_of_five, waited_minutes=60)
    everything = by_name(*CRITICAL_DONE, *OPTIONAL_DONE)
    done = decide(gate, mode=MODES.overnight, statuses=everything, waited_minutes=5)
    everything[OFFENSE] = status(OFFENSE, FAILED, attempts=3)
    exhausted = decide(gate, mode=MODES.overnight, statuses=everything, waited_minutes=5)
    assert waiting.action is GateAction.WAIT
    assert waiting.blocking == (PLAYER_SUMMARY, OFFENSE, DEFENSE)
    assert waiting.reason == (
        "player_game_summary is running attempt 1; team_offense_game_summary has not reported; "
        "team_defense_game_summary has not reported; waited 5 of 60 minutes."
    )
    assert timed_out.action is GateAction.FAIL
    assert done.action is GateAction.PROCEED
    assert exhausted.action is GateAction.FAIL
    assert exhausted.blocking == (OFFENSE,)


def test_any_complete_needs_one_processor() -> None:
    gate = GateConfig(
        name="either_source",
        trigger_mode=TriggerMode.ANY_COMPLETE,
        optional=("odds_api_props", "bettingpros_props"),
    )
    mode = MODES.same_day

    def decide(*statuses: ProcessorStatus, waited_minutes: float = 0) -> GateAction:
        return decide_gate(
            gate, mode=mode, statuses=by_name(*statuses), waited_minutes=waited_minutes
        ).action

    assert decide() is GateAction.WAIT
    assert decide(waited_minutes=45) is GateAction.FAIL
    assert decide(status("odds_api_props", SUCCESS, 10, 10)) is GateAction.PROCEED_DEGRADED
    assert (
        decide(status("odds_api_props", SUCCESS, 10, 10), status("bettingpros_props", SUCCESS))
        is GateAction.PROCEED
    )
    assert (
        decide(
            status("odds_api_props", FAILED, attempts=3), status("bettingpros_props", RUNNING)
        )
        is GateAction.WAIT
    )
    assert (
        decide(
            status("odds_api_props", FAILED, attempts=3),
            status("bettingpros_props", FAILED, attempts=3),
        )
        is GateAction.FAIL
    )


@pytest.mark.parametrize(
    ("gate", "statuses", "action"),
    [
        (Phase4ToPhase5Gate(), by_name(status("ml_feature_store", SUCCESS, 400, 400)),
         GateAction.PROCEED_DEGRADED),
        (Phase4ToPhase5Gate(), by_name(status("ml_feature_store", PARTIAL, 100, 400),
                                       status("player_daily_cache", SUCCESS)), GateAction.WAIT),
        (Phase3ToGradingGate(), by_name(status(PLAYER_SUMMARY, SUCCESS, 240, 240)),
         GateAction.PROCEED),
        (Phase3ToGradingGate(), by_name(status(PLAYER_SUMMARY, FAILED, attempts=3)),
         GateAction.FAIL),
    ],
)
def test_phase4_to_5_and_grading_gates(
    gate: GateConfig, statuses: dict[str, ProcessorStatus], action: GateAction
) -> None:
    decision = decide_gate(gate, mode=MODES.overnight, statuses=statuses, waited_minutes=0)
    assert decision.action is action
    assert decision.inputs["gate"] == gate.name


@pytest.mark.parametrize(
    ("run_mode", "min_completeness", "max_wait_minutes"),
    [
        (RunMode.OVERNIGHT, 1.0, 60.0),
        (RunMode.SAME_DAY, 0.8, 45.0),
        (RunMode.TOMORROW, 0.75, 180.0),
        (RunMode.BACKFILL, 1.0, 30.0),
    ],
)
def test_mode_defaults(run_mode: RunMode, min_completeness: float, max_wait_minutes: float) -> None:
    mode = MODES.get(run_mode)
    assert mode.mode is run_mode
    assert mode.min_completeness == min_completeness
    assert mode.max_wait_for(PHASE3_TO_4) == max_wait_minutes


def test_overnight_waits_as_long_as_each_gate_allows() -> None:
    gate = Phase4ToPhase5Gate(max_wait_minutes=90)
    assert MODES.overnight.max_wait_for(gate) == 90
    assert MODES.same_day.max_wait_for(gate) == 45


def test_inputs_record_what_was_decided_on_as_json() -> None:
    statuses = by_name(status(PLAYER_CONTEXT, SUCCESS, 1, 156), status(OFFENSE, FAILED))
    decision = decide_gate(PHASE3_TO_4, mode=MODES.same_day, statuses=statuses, waited_minutes=12)
    assert json.loads(json.dumps(decision.inputs)) == {
        "gate": "phase3_to_phase4",
        "trigger_mode": "critical_only",
        "run_mode": "same_day",
        "min_completeness": 0.8,
        "max_wait_minutes": 45.0,
        "waited_minutes": 12,
        "max_attempts": 3,
        "processors": {
            PLAYER_CONTEXT: {
                "role": "critical", "state": "success", "records": 1, "expected": 156,
                "attempts": 1, "completeness": 1 / 156, "verdict": "incomplete",
            },
            TEAM_CONTEXT: {
                "role": "critical", "state": None, "records": None, "expected": None,
                "attempts": 0, "completeness": None, "verdict": "missing",
            },
            PLAYER_SUMMARY: {
                "role": "optional", "state": None, "records": None, "expected": None,
                "attempts": 0, "completeness": None, "verdict": "missing",
            },
            OFFENSE: {
                "role": "optional", "state": "failed", "records": None, "expected": None,
                "attempts": 1, "completeness": None, "verdict": "retry_due",
            },
            DEFENSE: {
                "role": "optional", "state": None, "records": None, "expected": None,
                "attempts": 0, "completeness": None, "verdict": "missing",
            },
        },
    }


# Invariants over any statuses, waits, modes and trigger modes.
STATES = st.sampled_from(list(ProcessorState))
COUNTS = st.none() | st.integers(min_value=0, max_value=200)


@st.composite
def maybe_status(draw: st.DrawFn, processor: str) -> ProcessorStatus | None:
    if draw(st.booleans()):
        return None
    state = draw(STATES)
    low = 0 if state is PENDING else 1
    attempts = draw(st.integers(min_value=low, max_value=4))
    return ProcessorStatus(processor, state, draw(COUNTS), draw(COUNTS), attempts)


@st.composite
def gate_inputs(draw: st.DrawFn) -> tuple[GateConfig, RunMode, dict[str, ProcessorStatus]]:
    gate = Phase3ToPhase4Gate(trigger_mode=draw(st.sampled_from(list(TriggerMode))))
    statuses = {}
    for processor in gate.processors:
        found = draw(maybe_status(processor))
        if found is not None:
            statuses[processor] = found
    return gate, draw(st.sampled_from(list(RunMode))), statuses


WAITS = st.floats(min_value=0, max_value=500, allow_nan=False)


@given(inputs=gate_inputs(), waited_minutes=WAITS)
def test_decisions_are_consistent_with_their_inputs(inputs, waited_minutes: float) -> None:
    gate, run_mode, statuses = inputs
    mode = MODES.get(run_mode)
    decision = decide_gate(gate, mode=mode, statuses=statuses, waited_minutes=waited_minutes)
    verdicts = {name: p["verdict"] for name, p in decision.inputs["processors"].items()}
    json.dumps(decision.inputs)
    if decision.action is GateAction.PROCEED:
        assert set(verdicts.values()) == {"complete"}
    if decision.action in (GateAction.PROCEED, GateAction.PROCEED_DEGRADED):
        assert decision.blocking == ()
    if decision.action is GateAction.WAIT:
        assert waited_minutes < mode.max_wait_for(gate)
        assert decision.blocking
    if decision.action is GateAction.FAIL:
        assert decision.alert and decision.blocking and not decision.retry_due
    if (
        decision.action is GateAction.PROCEED_DEGRADED
        and gate.trigger_mode is TriggerMode.CRITICAL_ONLY
    ):
        assert all(verdicts[name] == "complete" for name in gate.critical)
    for name in decision.blocking:
        assert verdicts[name] != "complete"


@given(inputs=gate_inputs(), waits=st.lists(WAITS, min_size=2, max_size=2))
def test_waiting_longer_only_turns_wait_into_fail(inputs, waits: list[float]) -> None:
    gate, run_mode, statuses = inputs
    sooner, later = (
        decide_gate(gate, mode=MODES.get(run_mode), statuses=statuses, waited_minutes=waited)
        for waited in sorted(waits)
    )
    assert later.action is sooner.action or (
        sooner.action is GateAction.WAIT and later.action is GateAction.FAIL
    )


# Misuse and bad config.
@pytest.mark.parametrize("waited_minutes", [-1.0, math.nan, math.inf])
def test_impossible_waits_are_refused(waited_minutes: float) -> None:
    with pytest.raises(
        ValueError,
        match=f"waited_minutes must be a finite number, not negative, got {waited_minutes}.",
    ):
        decide_gate(
            PHASE3_TO_4, mode=MODES.overnight, statuses={}, waited_minutes=waited_minutes
        )


@pytest.mark.parametrize(
    ("records", "expected", "percent"),
    [(1, 156, "0.6%"), (125, 156, "80.1%"), (3199, 4000, "79.9%"), (23, 40, "57.5%")],
)
def test_percentages_round_down_so_a_shortfall_never_reads_as_the_minimum(
    records: int, expected: int, percent: str
) -> None:
    decision = decide_gate(
        PHASE3_TO_4,
        mode=MODES.same_day,
        statuses=player_context(SUCCESS, records, expected),
        waited_minutes=0,
    )
    assert f"at {records}/{expected} records ({percent})" in decision.reason


def test_status_keyed_by_another_processor_is_refused() -> None:
    statuses = {TEAM_CONTEXT: status(PLAYER_CONTEXT, SUCCESS)}
    with pytest.raises(
        ValueError,
        match=re.escape(
            "statuses['upcoming_team_game_context'] holds the status of processor "
            "'upcoming_player_game_context'; key each status by its own processor."
        ),
    ):
        decide_gate(PHASE3_TO_4, mode=MODES.overnight, statuses=statuses, waited_minutes=0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"records": -1}, "records of processor p must not be negative, got -1."),
        ({"expected": -5}, "expected of processor p must not be negative, got -5."),
        ({"attempts": -1, "state": PENDING}, "attempts of processor p must not be negative"),
        ({"attempts": 0}, "attempts of processor p must be at least 1 when it is failed, got 0."),
    ],
)
def test_processor_status_refuses_impossible_numbers(fields: dict, message: str) -> None:
    values = {"processor": "p", "state": FAILED, "attempts": 1} | fields
    with pytest.raises(ValueError, match=re.escape(message)):
        ProcessorStatus(**values)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"critical": ("a", "b"), "optional": ("a",)},
         "Processor 'a' is listed twice in gate g; list each processor once, as critical or "
         "optional."),
        ({"trigger_mode": TriggerMode.ANY_COMPLETE},
         "Gate g lists no processors; add critical or optional processors."),
        ({"optional": ("a",)},
         "Gate g uses trigger_mode critical_only but lists no critical processors; add one or "
         "choose all_complete or any_complete."),
    ],
)
def test_gate_config_refuses_inconsistent_processors(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        GateConfig(name="g", **fields)


def test_toml_override_of_one_field_keeps_the_gate_and_mode_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nbaprops.toml"
    config.write_text(
        "[orchestration.gates.phase4_to_phase5]\nmax_wait_minutes = 90\n"
        "[orchestration.modes.same_day]\nmin_completeness = 0.7\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NBAPROPS_ORCHESTRATION__MODES__BACKFILL__MAX_WAIT_MINUTES", "10")
    orchestration = load_settings(config).orchestration
    assert orchestration.gates.phase4_to_phase5 == Phase4ToPhase5Gate(max_wait_minutes=90)
    assert orchestration.gates.phase3_to_phase4 == Phase3ToPhase4Gate()
    modes = orchestration.modes
    assert (modes.same_day.min_completeness, modes.same_day.max_wait_minutes) == (0.7, 45)
    assert (modes.backfill.min_completeness, modes.backfill.max_wait_minutes) == (1.0, 10)
    assert orchestration.completeness_retry.initial_delay_minutes == 30


def test_a_gate_cannot_be_renamed_in_config(tmp_path: Path) -> None:
    config = tmp_path / "nbaprops.toml"
    config.write_text('[orchestration.gates.phase3_to_grading]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"orchestration\.gates\.phase3_to_grading\.name: Input should be"
    ):
        load_settings(config)
