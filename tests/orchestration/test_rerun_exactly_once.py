"""Exactly-once within a re-run: however a re-run's days are delivered and wherever its process
dies, the warehouse ends as after one clean first run and one clean re-run, row for row, and the
re-run's predictions are the active ones, as many as the first run's."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from tests.orchestration.conftest import League, make_settings
from tests.orchestration.test_exactly_once import STEPS, deliveries, outputs, run_process

from nbaprops.config import Settings
from nbaprops.home import Home
from nbaprops.orchestration.requests import DailyRun
from nbaprops.orchestration.runtime import KILLED_EXIT_CODE

EXAMPLES = 6

pytestmark = pytest.mark.slow


def run_settings() -> Settings:
    return make_settings(predictions={"min_history_games": 2})


def reruns(league: League) -> list[DailyRun]:
    return [replace(day, attempt=2) for day in deliveries(league)]


def copy_home(home: Home) -> Home:
    copy = Home(Path(tempfile.mkdtemp(prefix="nbaprops-rerun-")) / "home")
    shutil.copytree(home.root, copy.root)
    return copy


@pytest.fixture(scope="module")
def first_run(league: League) -> Iterator[Home]:
    """A home where attempt 1 of the days ran cleanly."""
    home = Home(Path(tempfile.mkdtemp(prefix="nbaprops-first-")) / "home").ensure()
    shutil.copyfile(league.warehouse_path, home.warehouse_path)
    assert run_process(home, run_settings(), deliveries(league), kill_after_step=None) == 0
    yield home
    shutil.rmtree(home.root.parent)


@pytest.fixture(scope="module")
def clean_rerun(league: League, first_run: Home) -> dict[str, list[dict[str, Any]]]:
    home = copy_home(first_run)
    try:
        assert run_process(home, run_settings(), reruns(league), kill_after_step=None) == 0
        return outputs(home)
    finally:
        shutil.rmtree(home.root.parent)


def test_a_clean_rerun_supersedes_every_prediction_once(
    first_run: Home, clean_rerun: dict[str, list[dict[str, Any]]]
) -> None:
    before = outputs(first_run)["player_prop_predictions"]
    after = clean_rerun["player_prop_predictions"]
    assert len(after) == 2 * len(before) > 0
    active = [row for row in after if row["is_active"]]
    assert len(active) == len(before)
    assert {row["run_id"].endswith(":rerun2") for row in active} == {True}
    graded = {row["prediction_id"] for row in clean_rerun["prediction_accuracy"]}
    assert graded <= {row["prediction_id"] for row in active}
    assert len(clean_rerun["prediction_accuracy"]) == len(outputs(first_run)["prediction_accuracy"])


@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    order=st.permutations(range(4)),
    kills=st.lists(st.integers(min_value=1, max_value=STEPS), min_size=1, max_size=2),
)
def test_a_killed_and_reordered_rerun_gives_the_clean_rerun_row_for_row(
    league: League,
    first_run: Home,
    clean_rerun: dict[str, list[dict[str, Any]]],
    order: list[int],
    kills: list[int],
) -> None:
    work = reruns(league)
    delivered = [work[i] for i in order]
    home = copy_home(first_run)
    try:
        for kill in kills:
            code = run_process(home, run_settings(), delivered, kill_after_step=kill)
            assert code in (0, KILLED_EXIT_CODE), (home.root / "child-error.txt").read_text()
        assert run_process(home, run_settings(), delivered, kill_after_step=None) == 0, (
            home.root / "child-error.txt"
        ).read_text()
        assert outputs(home) == clean_rerun
    finally:
        shutil.rmtree(home.root.parent)
