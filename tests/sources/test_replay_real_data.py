"""ReplaySource over real 2024-25 history (team and player game logs, two days of threes lines)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nbaprops.config import ReplayConfig
from nbaprops.ingest import ingest_paths
from nbaprops.sources import ReplaySource
from nbaprops.warehouse import Warehouse

DAY = date(2025, 1, 10)


@pytest.fixture(scope="module")
def source(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplaySource]:
    season = shared_data / "2024-25"
    files = [
        season / "team_game_logs.csv.gz",
        season / "player_game_logs.csv.gz",
        season / "props_player_threes" / "props_2025-01-10_player_threes.csv.gz",
        season / "props_player_threes" / "props_2025-01-11_player_threes.csv.gz",
    ]
    path = tmp_path_factory.mktemp("real") / "warehouse.duckdb"
    with Warehouse.open(path) as warehouse:
        assert ingest_paths(warehouse, files).ok
        yield ReplaySource(warehouse, ReplayConfig())


def test_season_types(source: ReplaySource) -> None:
    dates = source.game_dates(date(2024, 10, 1), date(2025, 7, 1))
    assert dates[0] == date(2024, 10, 22)
    assert dates[-1] == date(2025, 6, 22), "the finals are served"
    assert date(2024, 10, 10) not in dates, "preseason is not"


def test_tipoffs_come_from_the_lines(source: ReplaySource) -> None:
    games = source.schedule(DAY, as_of=datetime(2025, 1, 1, tzinfo=UTC))
    assert len(games) == 7
    assert {game["season_type"] for game in games} == {"regular"}
    tipoffs = {(game["away_team"], game["home_team"]): game["tipoff_utc"] for game in games}
    assert tipoffs[("GSW", "IND")] == datetime(2025, 1, 11, 0, 10)


def test_lines_without_snapshot_appear_line_lead_hours_before_tip(source: ReplaySource) -> None:
    first_tip = datetime(2025, 1, 11, 0, 10, tzinfo=UTC)
    assert source.prop_lines(DAY, as_of=first_tip - timedelta(hours=3, seconds=1)) == []
    visible = source.prop_lines(DAY, as_of=first_tip - timedelta(hours=3))
    assert visible and {row["market"] for row in visible} == {"threes"}
    assert all(row["game_id"] and row["snapshot_utc"] is None for row in visible)


def test_box_scores_after_the_games(source: ReplaySource) -> None:
    evening = datetime(2025, 1, 10, 21, tzinfo=UTC)
    assert source.player_boxscores(DAY, as_of=evening) == []
    assert len(source.player_boxscores(DAY - timedelta(days=1), as_of=evening)) > 50
    rows = source.player_boxscores(DAY, as_of=datetime(2025, 1, 11, 12, tzinfo=UTC))
    assert len(rows) > 100
    assert all(row["game_id"].startswith("00224") for row in rows)
    teams = source.team_boxscores(DAY, as_of=datetime(2025, 1, 11, 12, tzinfo=UTC))
    assert len(teams) == 14


def test_games_played_counts_each_players_games_with_minutes_as_the_box_scores_show(
    source: ReplaySource,
) -> None:
    start, end = date(2024, 8, 1), DAY - timedelta(days=1)
    after = datetime(2025, 7, 1, tzinfo=UTC)
    counted: dict[str, int] = {}
    for day in source.game_dates(start, end):
        for row in source.player_boxscores(day, as_of=after):
            if (row["minutes"] or 0) > 0:
                counted[row["player_lookup"]] = counted.get(row["player_lookup"], 0) + 1
    played = source.games_played(start, end)
    assert played == counted and len(played) > 300
    middle = date(2024, 12, 1)
    halves = (source.games_played(start, middle), source.games_played(middle + timedelta(days=1), end))
    assert all(
        halves[0].get(player, 0) + halves[1].get(player, 0) == games
        for player, games in played.items()
    )
