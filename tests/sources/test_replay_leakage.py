"""No look-ahead: replaying the ingested synthetic league never shows the future."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbaprops.config import ReplayConfig
from nbaprops.sources import ReplaySource, SyntheticLeague
from nbaprops.warehouse import Warehouse

CONFIG = ReplayConfig()


@pytest.fixture(scope="module")
def source(league_warehouse: Warehouse) -> ReplaySource:
    return ReplaySource(league_warehouse, CONFIG)


@pytest.fixture(scope="module")
def game_dates(league_warehouse: Warehouse) -> dict[str, date]:
    rows = league_warehouse.query("SELECT game_id, game_date FROM nba_raw.history_games")
    return {row["game_id"]: row["game_date"] for row in rows}


def _first_tipoff(source: ReplaySource, game_date: date) -> datetime:
    games = source.schedule(game_date, as_of=datetime(2000, 1, 1, tzinfo=UTC))
    return min(game["tipoff_utc"] for game in games).replace(tzinfo=UTC)


@settings(max_examples=40, deadline=None)
@given(
    day_index=st.integers(min_value=0, max_value=9), seconds_before=st.integers(1, 3 * 24 * 3600)
)
def test_nothing_from_day_d_or_later_is_visible_before_its_first_tip(
    source: ReplaySource,
    short_league: SyntheticLeague,
    game_dates: dict[str, date],
    day_index: int,
    seconds_before: int,
) -> None:
    first_day = short_league.first_date
    cutoff_day = first_day + timedelta(days=day_index)
    as_of = _first_tipoff(source, cutoff_day) - timedelta(seconds=seconds_before)
    now = as_of.replace(tzinfo=None)
    for offset in range(-1, short_league.days + 1):
        game_date = first_day + timedelta(days=offset)
        for game in source.schedule(game_date, as_of=as_of):
            if game_date >= cutoff_day:
                assert game["status"] == "scheduled"
        for row in source.player_boxscores(game_date, as_of=as_of) + source.team_boxscores(
            game_date, as_of=as_of
        ):
            assert game_dates[row["game_id"]] < cutoff_day
            assert game_date < cutoff_day
        for row in source.prop_lines(game_date, as_of=as_of):
            assert row["snapshot_utc"] is not None and row["snapshot_utc"] <= now
        for row in source.injuries(game_date, as_of=as_of):
            assert row["reported_utc"] <= now


def test_the_past_is_visible(source: ReplaySource, short_league: SyntheticLeague) -> None:
    """The leakage test above would pass on an empty source; this one would not."""
    day = short_league.first_date + timedelta(days=5)
    as_of = _first_tipoff(source, day) - timedelta(seconds=1)
    previous = day - timedelta(days=1)
    assert source.player_boxscores(previous, as_of=as_of)
    assert source.team_boxscores(previous, as_of=as_of)
    assert {game["status"] for game in source.schedule(previous, as_of=as_of)} == {"final"}
    assert source.prop_lines(day, as_of=as_of) or day.isoformat() in {
        d.isoformat() for d in short_league.late_line_dates
    }
    assert source.injuries(day, as_of=as_of + timedelta(hours=3))


def test_replay_serves_the_league_as_generated(
    source: ReplaySource, short_league: SyntheticLeague
) -> None:
    end = datetime(2030, 1, 1, tzinfo=UTC)
    dates = source.game_dates(short_league.first_date, short_league.last_date)
    assert len(dates) == short_league.days
    assert sum(len(source.schedule(d, as_of=end)) for d in dates) == short_league.games
    assert (
        sum(len(source.player_boxscores(d, as_of=end)) for d in dates)
        == short_league.player_box_rows
    )
    assert (
        sum(len(source.team_boxscores(d, as_of=end)) for d in dates) == short_league.team_box_rows
    )
    markets = {row["market"] for d in dates for row in source.prop_lines(d, as_of=end)}
    assert markets == {"points", "rebounds", "assists", "threes", "pra"}
    lines = [row for d in dates for row in source.prop_lines(d, as_of=end)]
    assert all(row["game_id"] is not None for row in lines)
    assert len(
        {(row["player_lookup"], row["market"], row["bookmaker"], row["game_id"]) for row in lines}
    ) == len(lines)
