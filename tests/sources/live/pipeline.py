"""Phase 2 and Phase 3 run for real on fixed rows: how sources are compared by what the pipeline makes of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from nbaprops.clock import VirtualClock
from nbaprops.config import Settings
from nbaprops.processors.base import ProcessorContext
from nbaprops.processors.phase2 import PlayerBoxscoresProcessor, ScheduleProcessor, TeamBoxscoresProcessor
from nbaprops.processors.phase3 import (
    PlayerGameSummaryProcessor,
    TeamDefenseGameSummaryProcessor,
    TeamOffenseGameSummaryProcessor,
)
from nbaprops.processors.runner import run_processor
from nbaprops.sources.base import Row
from nbaprops.warehouse import Warehouse

PHASES = (ScheduleProcessor(), PlayerBoxscoresProcessor(), TeamBoxscoresProcessor(), PlayerGameSummaryProcessor(),
          TeamOffenseGameSummaryProcessor(), TeamDefenseGameSummaryProcessor())


class OneGame:
    """A source serving fixed rows of one date: what a fallback chain hands the Phase 2 processors."""

    name = "fixed"

    def __init__(self, schedule: list[Row], players: list[Row], teams: list[Row]) -> None:
        self._feeds = {"schedule": schedule, "player_boxscores": players, "team_boxscores": teams}

    def __getattr__(self, feed: str) -> Callable[..., list[Row]]:
        return lambda game_date, *, as_of: [dict(row) for row in self._feeds.get(feed, [])]

    def expected_player_games(self, game_date: date) -> int | None:
        return None  # a live chain does not know


def phase3_rows(
    path: Path, schedule: list[Row], players: list[Row], teams: list[Row], *, game_date: date
) -> dict[str, list[dict[str, Any]]]:
    """The Phase 3 tables after the real Phase 2 and 3 processors ran on these rows, in a fresh warehouse."""
    with Warehouse.open(path) as warehouse:
        two_weeks_later = datetime.combine(game_date, time(12), tzinfo=UTC) + timedelta(days=14)
        source = OneGame(schedule, players, teams)
        ctx = ProcessorContext(warehouse=warehouse, source=source,  # type: ignore[arg-type]
                               clock=VirtualClock(two_weeks_later), settings=Settings())
        for processor in PHASES:
            run = run_processor(processor, ctx, game_date)
            assert run.status == "success", run
        tables = {
            table: warehouse.query(f"SELECT * FROM nba_analytics.{table} ORDER BY ALL")
            for table in ("player_game_summary", "team_offense_game_summary", "team_defense_game_summary")
        }
        tables["served_by"] = [
            {"table": table, "source": row["source"]}
            for table in ("schedule", "player_boxscores", "team_boxscores")
            for row in warehouse.query(f"SELECT DISTINCT source FROM nba_raw.{table} ORDER BY ALL")
        ]
        return tables


def assert_phase3_agree(got: dict[str, list[dict[str, Any]]], recorded: dict[str, list[dict[str, Any]]]) -> None:
    """ESPN-served Phase 3 rows against nba.com's, within the stated tolerance.

    Team defense rows equal; team offense rows equal but pace, within 0.5% (nba.com's game log
    gives PHI 241 team minutes, ESPN's page implies 240); player rows equal but the display name.
    """
    assert got["team_defense_game_summary"] == recorded["team_defense_game_summary"]
    offense_got, offense_recorded = got["team_offense_game_summary"], recorded["team_offense_game_summary"]
    assert len(offense_got) == len(offense_recorded) == len(recorded["team_defense_game_summary"]) == 2
    assert _without(offense_got, "pace") == _without(offense_recorded, "pace")
    for got_row, recorded_row in zip(offense_got, offense_recorded, strict=True):
        assert got_row["pace"] == pytest.approx(recorded_row["pace"], rel=0.005)
    players_got, players_recorded = got["player_game_summary"], recorded["player_game_summary"]
    assert len(players_got) == len(players_recorded) == 23
    assert _without(players_got, "player_name") == _without(players_recorded, "player_name")


def _without(rows: list[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key != column} for row in rows]


