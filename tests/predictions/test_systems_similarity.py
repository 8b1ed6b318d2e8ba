from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from tests.predictions.synthetic import (
    assert_same_output,
    errors_against_naive,
    game_dates,
    split_day,
    synthetic_season,
)

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import FeatureFrame, frame_from_rows
from nbaprops.predictions.systems import SimilarityConfig, SimilaritySystem

START = date(2025, 1, 1)


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


def game_row(player: str, day: int, *, is_home: bool, actual: float | None) -> dict[str, Any]:
    return {
        "game_date": START + timedelta(days=day), "game_id": f"g{day}", "player_lookup": player,
        "market": "points", "team": "BOS", "opponent": "NYK", "is_home": is_home,
        "stat_last5": 12.0, "stat_last10": 12.0, "stat_season": 12.0, "stat_std_last10": 7.0,
        "stat_last_game": 12.0, "minutes_last5": 30.0, "minutes_season": 30.0,
        "games_played": day, "days_rest": 2, "is_back_to_back": False,
        "opp_allowed_ratio": 1.0, "team_pace": 100.0, "opp_pace": 100.0, "league_pace": 100.0,
        "market_line": 11.5, "market_p_over": 0.5, "market_books": 4, "teammates_minutes_out": 0.0,
        "usage_season": 20.0, "prior_games": 0, "actual": actual,
    }


def home_and_away_player(games: int) -> FeatureFrame:
    """A player who scores 20 at home and 4 away, alternating."""
    rows = [game_row("p", day, is_home=day % 2 == 0, actual=20 if day % 2 == 0 else 4)
            for day in range(games)]
    return frame_from_rows(rows)


def test_neighbours_are_the_comparable_games() -> None:
    history = home_and_away_player(20)
    config = SimilarityConfig(neighbours=5, knn_weight=1.0)
    system = SimilaritySystem(config, min_history_games=1)
    for is_home, expected in ((True, 20.0), (False, 4.0)):
        today = frame_from_rows([game_row("p", 30, is_home=is_home, actual=None)])
        output = system.predict(today, history, market="points")
        assert output.valid[0]
        assert output.predicted_value[0] == pytest.approx(expected)


def test_prediction_blends_neighbours_with_the_season_average() -> None:
    history = home_and_away_player(20)
    today = frame_from_rows([game_row("p", 30, is_home=True, actual=None)])
    system = SimilaritySystem(SimilarityConfig(neighbours=5, knn_weight=0.25), min_history_games=1)
    output = system.predict(today, history, market="points")
    assert output.predicted_value[0] == pytest.approx(0.25 * 20.0 + 0.75 * 12.0)


def test_unknown_context_is_ignored() -> None:
    rows = [game_row("p", day, is_home=day % 2 == 0, actual=20 if day % 2 == 0 else 4)
            for day in range(12)]
    for row in rows:
        row.update(days_rest=None, minutes_last5=None, opp_allowed_ratio=None, team_pace=None)
    upcoming = {**rows[0], "game_date": START + timedelta(days=30), "games_played": 12}
    today = frame_from_rows([upcoming])
    system = SimilaritySystem(SimilarityConfig(neighbours=5, knn_weight=1.0), min_history_games=1)
    output = system.predict(today, frame_from_rows(rows), market="points")
    assert output.valid[0] and output.predicted_value[0] == pytest.approx(20.0)


@pytest.mark.parametrize(("past_games", "valid"), [(4, False), (5, True), (9, True)])
def test_needs_k_past_games(past_games: int, valid: bool) -> None:
    history = home_and_away_player(past_games)
    today = frame_from_rows([game_row("p", 30, is_home=True, actual=None)])
    system = SimilaritySystem(SimilarityConfig(neighbours=5), min_history_games=1)
    assert system.predict(today, history, market="points").valid[0] == valid


def test_only_players_with_k_games_are_valid(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[25])
    output = SimilaritySystem(SimilarityConfig(neighbours=10)).predict(
        today, history, market="points"
    )
    past = {p: int(np.sum(history["player_lookup"] == p)) for p in today["player_lookup"]}
    expected = [past[p] >= 10 and g >= 5 for p, g in zip(today["player_lookup"],
                                                         today["games_played"], strict=True)]
    np.testing.assert_array_equal(output.valid, expected)
    assert 0 < output.valid.sum() < len(expected)


def test_beats_a_naive_constant(season: FeatureFrame) -> None:
    mae, naive = errors_against_naive(SimilaritySystem(), season, game_dates(season)[30:])
    assert mae < 0.8 * naive


def test_is_deterministic(season: FeatureFrame) -> None:
    today, history = split_day(season, game_dates(season)[-3])
    first = SimilaritySystem().predict(today, history, market="points")
    assert_same_output(first, SimilaritySystem().predict(today, history, market="points"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"neighbours": 1}, "neighbours must be at least 2"),
        ({"knn_weight": 1.5}, "knn_weight must be within"),
        ({"kernel_scale": 0.0}, "kernel_scale must be above 0"),
    ],
)
def test_config_is_validated(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ProcessorError, match=message):
        SimilarityConfig(**kwargs)  # type: ignore[arg-type]
