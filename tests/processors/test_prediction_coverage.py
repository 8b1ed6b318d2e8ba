"""Phase 5 expects a prediction for every lined player-market that can have one (every one, with the
market-anchored system), and says what is missing when it falls short; the history finder names the
earlier days not built yet."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from tests.processors.league import TinyLeague

from nbaprops.backtest import run_backtest
from nbaprops.backtest.runner import prediction_time
from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.pipeline.plan import daily_plan
from nbaprops.pipeline.sequential import run_plan
from nbaprops.predictions.systems import PredictionSystem, build_systems
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.history import HistoryGap, find_history_gap, history_built
from nbaprops.processors.phase5 import PlayerPropPredictionsProcessor
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(8)]
LAST = DATES[-1]
PHASE5_RUNS = """
    SELECT game_date, status, records, expected, error_message FROM nba_orchestration.processor_run_history
    WHERE processor = 'player_prop_predictions' ORDER BY game_date
"""


def run_day(warehouse: Warehouse, source: TinyLeague, day: date, previous: date | None,
            systems: list[PredictionSystem] | None = None) -> None:
    clock = VirtualClock(prediction_time(source, day))
    ctx = ProcessorContext(warehouse=warehouse, source=source, clock=clock, settings=Settings(),
                           run_id=f"day:{day}", markets=("points",))
    run_plan(ctx, daily_plan(predictions=PlayerPropPredictionsProcessor(systems)), game_date=day,
             previous_game_date=previous)


def phase5_runs(warehouse: Warehouse) -> dict[date, dict[str, Any]]:
    return {row["game_date"]: row for row in warehouse.query(PHASE5_RUNS)}


@pytest.mark.parametrize("recorded", [False, True], ids=["summaries-count", "source-counts"])
def test_every_lined_player_market_is_expected_and_predicted_from_the_first_day(
    warehouse: Warehouse, recorded: bool
) -> None:
    run_backtest(warehouse=warehouse, source=TinyLeague(DATES, recorded=recorded), settings=Settings(),
                 market="points", start=DATES[0], end=LAST)
    runs = phase5_runs(warehouse)
    for day in DATES:
        assert (runs[day]["status"], runs[day]["records"], runs[day]["expected"]) == ("success", 4, 4)
        assert runs[day]["error_message"] is None
    first_day = warehouse.query(
        "SELECT DISTINCT system_id FROM nba_predictions.player_prop_predictions WHERE game_date = ?", [DATES[0]])
    assert {row["system_id"] for row in first_day} == {"market", "ensemble"}, "only the market needs no games"


def test_without_a_system_that_needs_no_games_days_before_five_games_are_partial_with_the_reason(
    warehouse: Warehouse,
) -> None:
    systems = [s for s in build_systems(retrain_days=14, min_history_games=5) if s.needs_history]
    source = TinyLeague(DATES)
    for previous, day in zip([None, *DATES[:5]], DATES[:5], strict=False):
        run_day(warehouse, source, day, previous, systems=systems)
    runs = phase5_runs(warehouse)
    for day in DATES[:5]:
        assert (runs[day]["status"], runs[day]["records"], runs[day]["expected"]) == ("partial", 0, 0)
        assert runs[day]["error_message"] == (
            f"0 of 4 lined player-markets predicted: no lined player has played 5 games this season "
            f"before {day}, the systems' minimum."
        )


def test_a_day_without_its_history_expects_its_predictions_and_names_the_missing_days(
    warehouse: Warehouse,
) -> None:
    source = TinyLeague(DATES, recorded=True)
    run_day(warehouse, source, LAST, DATES[-2])
    run = phase5_runs(warehouse)[LAST]
    # The market-anchored system still predicts them; the systems that read the history do not.
    assert (run["status"], run["records"], run["expected"]) == ("partial", 0, 4)
    assert run["error_message"] == (
        "0 of 4 lined player-markets predicted: Phase 3 history missing for 6 game days "
        "(2024-11-01..2024-11-06); Phase 4 history missing for 7 game days (2024-11-01..2024-11-07)."
    )


def test_a_rookie_with_a_line_is_expected_and_predicted_by_the_market(warehouse: Warehouse) -> None:
    source = TinyLeague(DATES, recorded=True, lines_for={LAST: ["jaysontatum", "rookie"]})
    for previous, day in zip([None, *DATES], DATES, strict=False):
        run_day(warehouse, source, day, previous)
    run = phase5_runs(warehouse)[LAST]
    assert (run["status"], run["records"], run["expected"]) == ("success", 2, 2)
    rookie = warehouse.query(
        "SELECT system_id FROM nba_predictions.player_prop_predictions "
        "WHERE game_date = ? AND player_lookup = 'rookie'", [LAST])
    assert {row["system_id"] for row in rookie} == {"market", "ensemble"}


def test_the_history_gap_lists_what_is_not_built_and_shrinks_as_days_are(warehouse: Warehouse) -> None:
    source = TinyLeague(DATES)
    gap = find_history_gap(warehouse, source, LAST)
    assert gap.needed == tuple(DATES[:-1])
    assert (gap.phase3_missing, gap.phase4_missing) == (tuple(DATES[:-2]), tuple(DATES[:-1]))
    assert (gap.start, gap.end, gap.to_build) == (DATES[0], DATES[-2], tuple(DATES[:-1]))
    for previous, day in zip([None, *DATES[:3]], DATES[:3], strict=False):
        run_day(warehouse, source, day, previous)
    gap = find_history_gap(warehouse, source, LAST)
    # Day 3 built its features and the summaries of day 2, not yet its own.
    assert (gap.phase3_missing, gap.phase4_missing) == (tuple(DATES[2:-2]), tuple(DATES[3:-1]))
    assert gap.to_build == tuple(DATES[2:-1])
    assert history_built(warehouse, DATES[2], previous=DATES[1])
    assert not history_built(warehouse, DATES[3], previous=DATES[2])
    assert find_history_gap(warehouse, source, DATES[3]).start is None
    assert find_history_gap(warehouse, source, DATES[0]) == HistoryGap(DATES[0], (), (), ())


@pytest.mark.parametrize(
    ("phase3", "phase4", "text"),
    [
        ((), (), "the history of 2025-01-10 is built"),
        ((), (date(2025, 1, 9),), "Phase 4 history missing for 1 game day (2025-01-09)"),
        (
            (date(2024, 10, 22), date(2025, 1, 8)),
            (date(2024, 10, 22), date(2025, 1, 9)),
            "Phase 3 history missing for 2 game days (2024-10-22..2025-01-08); "
            "Phase 4 history missing for 2 game days (2024-10-22..2025-01-09)",
        ),
    ],
)
def test_the_gap_in_words(phase3: tuple[date, ...], phase4: tuple[date, ...], text: str) -> None:
    gap = HistoryGap(date(2025, 1, 10), tuple(sorted({*phase3, *phase4})), phase3, phase4)
    assert gap.describe() == text
    assert gap.missing is bool(phase3 or phase4)

