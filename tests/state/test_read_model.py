"""The read model: one frozen value of a game_date's pipeline, the same facts its consumers read."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.ops.test_health_builder import NOW, D, P, PipelineDays

from nbaprops.alerting import collect_signals
from nbaprops.config import Settings
from nbaprops.ops import load_health_facts
from nbaprops.state import PipelineState, read_pipeline_state
from nbaprops.warehouse import Warehouse


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("state") / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        PipelineDays(warehouse).healthy()
    return path


def test_the_state_of_the_healthy_day_is_a_frozen_value(healthy: Path) -> None:
    with Warehouse.open(healthy, read_only=True) as warehouse:
        state = read_pipeline_state(warehouse, game_date=D, now_utc=NOW, settings=Settings())
    assert isinstance(state, PipelineState)
    assert (state.game_date, state.previous_game_day) == (D, P)
    assert state.day.games > 0 and state.previous_day is not None
    assert {p.processor for p in state.phase3 if p.complete} == {p.processor for p in state.phase3}
    assert state.last_phase_write("phase3") is not None
    assert state.last_write_of("no_such_processor") is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        state.game_date = P  # type: ignore[misc]


def test_consumers_given_the_state_read_what_they_would_read_themselves(healthy: Path) -> None:
    settings = Settings()
    with Warehouse.open(healthy, read_only=True) as warehouse:
        state = read_pipeline_state(warehouse, game_date=D, now_utc=NOW, settings=settings)
        given = collect_signals(warehouse, game_date=D, now_utc=NOW, settings=settings, state=state)
        alone = collect_signals(warehouse, game_date=D, now_utc=NOW, settings=settings)
        facts = load_health_facts(
            warehouse, game_date=D, now_utc=NOW, settings=settings, state=state
        )
    assert given == alone
    assert facts.state is state
    assert given.phase3_last_success_utc == max(
        at for at in facts.phase3_last_success_utc.values() if at is not None
    )
