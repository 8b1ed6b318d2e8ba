"""The day's record in the read model: what `status` shows, read in four queries, folded purely."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.ops.test_health_builder import NOW, D, PipelineDays

from nbaprops.config import Settings
from nbaprops.orchestration.status import build_status, status_of
from nbaprops.state import DayEvent, latest_gate_decisions, read_day_record, read_pipeline_state
from nbaprops.warehouse import Warehouse

GATES = ("phase3_to_grading", "phase3_to_phase4", "phase4_to_phase5")


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The healthy day, with phase3_to_phase4 waiting once then proceeding, and one retry."""
    path = tmp_path_factory.mktemp("record") / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        PipelineDays(warehouse).healthy()
        at = datetime(2025, 1, 10, 12)
        for n, (kind, gate, decision, processor) in enumerate(
            [
                ("gate", "phase3_to_phase4", "wait", None),
                ("retry", None, "retry", "ml_feature_store"),
                ("gate", "phase3_to_phase4", "proceed", None),
                ("gate", "phase3_to_grading", "proceed", None),
            ]
        ):
            warehouse.execute(
                "INSERT INTO nba_orchestration.orchestration_events VALUES "
                "($id, 'daily:w', $game_date, 'same_day', $kind, $gate, $processor, $decision, "
                "$reason, false, '{}', $at, $at)",
                {
                    "id": f"e{n}", "game_date": D, "kind": kind, "gate": gate,
                    "processor": processor, "decision": decision, "reason": f"reason {n}",
                    "at": at + timedelta(minutes=n),
                },
            )
    return path


def test_the_days_record_holds_the_latest_decisions_and_the_counts(decided: Path) -> None:
    with Warehouse.open(decided, read_only=True) as warehouse:
        record = read_day_record(warehouse, game_date=D)
        predictions = warehouse.query(
            "SELECT count(*) FILTER (WHERE is_active) AS active, count(*) AS n "
            "FROM nba_predictions.player_prop_predictions WHERE game_date = $d",
            {"d": D},
        )[0]
        status = build_status(warehouse, game_date=D)
    assert record.runs and {run.attempts for run in record.runs} == {1}
    assert record.active_predictions == predictions["active"] > 0
    assert record.active_predictions + record.superseded_predictions == predictions["n"]
    assert [(g.gate, g.decision, g.evaluations) for g in record.gates] == [
        ("phase3_to_grading", "proceed", 1),
        ("phase3_to_phase4", "proceed", 2),
    ]
    assert {key: value for key, value in status.items() if key != "incidents"} == status_of(record)
    assert status["incidents"] == []  # the day's incidents come from the incidents table
    assert status["retries"] == 1 and [e["kind"] for e in status["events"]] == ["retry"]


def test_the_pipeline_state_carries_the_record_only_when_asked(decided: Path) -> None:
    with Warehouse.open(decided, read_only=True) as warehouse:
        plain = read_pipeline_state(warehouse, game_date=D, now_utc=NOW, settings=Settings())
        full = read_pipeline_state(
            warehouse, game_date=D, now_utc=NOW, settings=Settings(), with_record=True
        )
        record = read_day_record(warehouse, game_date=D)
    assert plain.record is None
    assert full.record == record
    assert full.phase3 == plain.phase3


EVENTS = st.lists(
    st.builds(
        DayEvent,
        kind=st.sampled_from(["gate", "retry", "give_up"]),
        gate=st.sampled_from(GATES),
        decision=st.sampled_from(["proceed", "wait", "fail"]),
        processor=st.none(),
        reason=st.text(max_size=5),
        alert=st.booleans(),
        workflow_id=st.sampled_from(["daily:a", "daily:b"]),
    ),
    max_size=12,
)


@given(EVENTS)
def test_each_gate_shows_its_last_decision_and_how_often_it_was_evaluated(
    events: list[DayEvent],
) -> None:
    decisions = latest_gate_decisions(events)
    gate_events = [e for e in events if e.kind == "gate"]
    assert [d.gate for d in decisions] == sorted({e.gate for e in gate_events if e.gate})
    for decision in decisions:
        mine = [e for e in gate_events if e.gate == decision.gate]
        last = mine[-1]
        assert decision.evaluations == len(mine)
        assert (decision.decision, decision.reason, decision.alert, decision.workflow_id) == (
            last.decision, last.reason, last.alert, last.workflow_id,
        )
