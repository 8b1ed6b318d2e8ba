from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import (
    FEATURE_COLUMNS,
    NUMERIC_COLUMNS,
    concat,
    empty_frame,
    frame_from_rows,
    frame_length,
    select,
    validate_frame,
)
from nbaprops.warehouse import Warehouse

TABLE = "nba_precompute.ml_feature_store"


def feature_row(player: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "game_date": date(2025, 1, 10), "game_id": "0022400500", "player_lookup": player,
        "market": "points", "team": "BOS", "opponent": "NYK", "is_home": True,
        "stat_last5": 21.0, "stat_last10": 20.5, "stat_season": 19.8, "stat_std_last10": 6.1,
        "stat_last_game": 25.0, "minutes_last5": 34.0, "minutes_season": 33.1,
        "games_played": 38, "days_rest": 2, "is_back_to_back": False,
        "opp_allowed_ratio": 1.04, "team_pace": 99.1, "opp_pace": 97.8, "league_pace": 98.9,
        "market_line": 20.5, "market_p_over": 0.48, "market_books": 6, "teammates_minutes_out": 0.0,
        "usage_season": 27.5, "prior_games": 70,
    }
    return {**row, **overrides}


def test_columns_are_the_feature_store_columns(warehouse: Warehouse) -> None:
    stored = warehouse.table_columns(TABLE)
    assert [c for c in stored if c != "feature_version"] == list(FEATURE_COLUMNS)
    assert "player_lookup" not in NUMERIC_COLUMNS and "stat_last5" in NUMERIC_COLUMNS


def test_rows_read_from_the_warehouse_become_a_frame(warehouse: Warehouse) -> None:
    rows = [
        {**feature_row("jayson_tatum"), "feature_version": "v2"},
        {**feature_row("rookie", stat_last5=None, stat_std_last10=None, days_rest=None,
                       games_played=0, is_home=None), "feature_version": "v2"},
    ]
    warehouse.replace_partition(TABLE, {"game_date": date(2025, 1, 10)}, rows)
    frame = frame_from_rows(warehouse.query(f"SELECT * FROM {TABLE} ORDER BY games_played DESC"))
    validate_frame(frame, with_actual=False)
    assert "actual" not in frame and "feature_version" not in frame
    assert frame["game_date"].dtype == np.dtype("datetime64[D]")
    assert frame["game_date"][0] == np.datetime64("2025-01-10")
    assert frame["player_lookup"].dtype == object
    assert frame["player_lookup"].tolist() == ["jayson_tatum", "rookie"]
    assert frame["games_played"].dtype == np.int64
    assert frame["days_rest"].tolist()[0] == 2.0 and np.isnan(frame["days_rest"][1])
    assert np.isnan(frame["stat_last5"][1]) and np.isnan(frame["stat_std_last10"][1])
    assert frame["is_home"].tolist() == [True, False]


def test_actual_is_kept_when_present() -> None:
    frame = frame_from_rows([feature_row("a", actual=17), feature_row("b", actual=None)])
    validate_frame(frame, with_actual=True)
    assert frame["actual"][0] == 17.0 and np.isnan(frame["actual"][1])
    assert "actual" not in frame_from_rows([feature_row("a", actual=3)], with_actual=False)


def test_empty_rows_give_an_empty_frame() -> None:
    frame = frame_from_rows([], with_actual=True)
    validate_frame(frame, with_actual=True)
    assert frame_length(frame) == 0
    assert frame["game_date"].dtype == np.dtype("datetime64[D]")
    assert set(empty_frame(with_actual=False)) == set(FEATURE_COLUMNS)


def test_a_row_without_a_column_is_refused() -> None:
    row = feature_row("a")
    del row["opp_pace"]
    with pytest.raises(ProcessorError, match="A feature row has no 'opp_pace'"):
        frame_from_rows([row])
    with pytest.raises(ProcessorError, match="Column 'games_played' has an empty value"):
        frame_from_rows([feature_row("a", games_played=None)])


def test_validate_names_the_missing_column() -> None:
    frame = frame_from_rows([feature_row("a")])
    with pytest.raises(ProcessorError, match="The history frame has no column 'actual'"):
        validate_frame(frame, with_actual=True)
    del frame["team_pace"]
    with pytest.raises(ProcessorError, match="The feature frame has no column 'team_pace'"):
        validate_frame(frame, with_actual=False)


def test_validate_refuses_ragged_columns() -> None:
    frame = frame_from_rows([feature_row("a"), feature_row("b")])
    frame["opponent"] = frame["opponent"][:1]
    with pytest.raises(ProcessorError, match="Column 'opponent' of the feature frame has 1 rows"):
        validate_frame(frame, with_actual=False)


def test_select_and_concat() -> None:
    frame = frame_from_rows([feature_row(p, games_played=i) for i, p in enumerate("abc")])
    picked = select(frame, frame["games_played"] != 1)
    assert picked["player_lookup"].tolist() == ["a", "c"]
    assert set(select(frame, np.array([2]), columns=["stat_last5"])) == {"stat_last5"}
    joined = concat([picked, select(frame, np.array([1]))])
    assert joined["player_lookup"].tolist() == ["a", "c", "b"]
    assert joined["games_played"].dtype == np.int64
    validate_frame(joined, with_actual=False)


def test_concat_needs_matching_columns() -> None:
    frame = frame_from_rows([feature_row("a")])
    with pytest.raises(ProcessorError, match="Feature frame 1 has columns"):
        concat([frame, {**frame, "actual": np.ones(1)}])
    with pytest.raises(ProcessorError, match="at least one feature frame"):
        concat([])
