from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.processors.league import TinyLeague

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.phase2 import (
    InjuryReportProcessor,
    PlayerBoxscoresProcessor,
    PropLinesProcessor,
    ScheduleProcessor,
    TeamBoxscoresProcessor,
)
from nbaprops.processors.phase3 import (
    PlayerGameSummaryProcessor,
    TeamDefenseGameSummaryProcessor,
    TeamOffenseGameSummaryProcessor,
    UpcomingPlayerGameContextProcessor,
    UpcomingTeamGameContextProcessor,
)
from nbaprops.processors.phase4 import MlFeatureStoreProcessor, PlayerDailyCacheProcessor
from nbaprops.processors.runner import run_processor
from nbaprops.warehouse import Warehouse

DATES = [date(2024, 11, 1) + timedelta(days=i) for i in range(8)]
PRE_GAME = (ScheduleProcessor(), PropLinesProcessor(), InjuryReportProcessor(),
            UpcomingPlayerGameContextProcessor(), UpcomingTeamGameContextProcessor(),
            PlayerDailyCacheProcessor(), MlFeatureStoreProcessor())
POST_GAME = (PlayerBoxscoresProcessor(), TeamBoxscoresProcessor(), PlayerGameSummaryProcessor(),
             TeamOffenseGameSummaryProcessor(), TeamDefenseGameSummaryProcessor())


def run_season(warehouse: Warehouse, league: TinyLeague, dates: list[date]) -> dict[str, object]:
    clock = VirtualClock(datetime(2024, 10, 31, tzinfo=UTC))
    ctx = ProcessorContext(warehouse=warehouse, source=league, clock=clock, settings=Settings(),
                           markets=("points", "threes"))
    runs = {}
    for game_date in dates:
        clock.advance_to(datetime(game_date.year, game_date.month, game_date.day, 22, tzinfo=UTC))
        for processor in PRE_GAME:
            runs[(processor.name, game_date)] = run_processor(processor, ctx, game_date)
        clock.advance_to(datetime(game_date.year, game_date.month, game_date.day, 23, 59, tzinfo=UTC)
                         + timedelta(hours=4))
        for processor in POST_GAME:
            runs[(processor.name, game_date)] = run_processor(processor, ctx, game_date)
    return runs


def test_a_normal_day_is_complete_in_every_processor(warehouse: Warehouse) -> None:
    runs = run_season(warehouse, TinyLeague(DATES), DATES)
    last = DATES[-1]
    for name in ("upcoming_player_game_context", "upcoming_team_game_context", "player_daily_cache",
                 "ml_feature_store", "player_game_summary", "team_offense_game_summary"):
        run = runs[(name, last)]
        assert run.status == "success", run
        assert run.records == run.expected and run.records > 0


def test_features_use_only_games_before_the_date(warehouse: Warehouse) -> None:
    run_season(warehouse, TinyLeague(DATES), DATES)
    row = warehouse.query(
        "SELECT * FROM nba_precompute.ml_feature_store WHERE game_date = ? AND player_lookup = 'jaysontatum' "
        "AND market = 'points'", [DATES[6]])[0]
    past = [25 + (day % 3) - 1 for day in range(6)]
    assert row["games_played"] == 6
    assert row["stat_season"] == pytest.approx(sum(past) / 6)
    assert row["stat_last5"] == pytest.approx(sum(past[1:]) / 5)
    assert row["stat_last_game"] == past[-1]
    assert row["days_rest"] == 1 and row["is_back_to_back"] is True
    assert row["opp_allowed_ratio"] == pytest.approx(1.0)


def test_late_lines_make_the_context_partial(warehouse: Warehouse) -> None:
    league = TinyLeague(DATES, lines_for={DATES[-1]: ["joshhart"]})
    runs = run_season(warehouse, league, DATES)
    run = runs[("upcoming_player_game_context", DATES[-1])]
    assert (run.records, run.expected, run.status) == (1, 3, "partial")


def test_run_history_records_every_run(warehouse: Warehouse) -> None:
    run_season(warehouse, TinyLeague(DATES[:2]), DATES[:2])
    rows = warehouse.query(
        "SELECT processor, status, records, expected FROM nba_orchestration.processor_run_history "
        "WHERE game_date = ? ORDER BY processor", [DATES[1]])
    assert len(rows) == len(PRE_GAME) + len(POST_GAME)
    assert all(r["status"] in ("success", "partial") for r in rows)


@pytest.mark.parametrize(
    "processor",
    [PlayerGameSummaryProcessor(), TeamOffenseGameSummaryProcessor(), TeamDefenseGameSummaryProcessor()],
    ids=lambda processor: processor.name,
)
def test_final_games_without_box_scores_are_missing_records_not_nothing_expected(
    warehouse: Warehouse, processor: PlayerGameSummaryProcessor
) -> None:
    day = DATES[0]
    after = VirtualClock(datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC) + timedelta(hours=4))
    ctx = ProcessorContext(warehouse=warehouse, source=TinyLeague(DATES), clock=after, settings=Settings())
    run = run_processor(processor, ctx, day)
    assert (run.status, run.records, run.expected) == ("partial", 0, 2)  # one final game, two teams
    run_processor(PlayerBoxscoresProcessor(), ctx, day)
    run_processor(TeamBoxscoresProcessor(), ctx, day)
    run = run_processor(processor, ctx, day, attempt=2)
    assert run.status == "success" and run.records == run.expected >= 2
