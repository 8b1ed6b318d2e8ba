"""Columnar feature frames: the rows of nba_precompute.ml_feature_store as numpy arrays.

A `FeatureFrame` is a plain `dict[str, numpy.ndarray]`, every array the same length, one row per
(game_date, player_lookup, market). Feature values describe games strictly before game_date. A
history frame also has `actual`: the stat the player recorded in that game.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from nbaprops.errors import ProcessorError

FeatureFrame = dict[str, np.ndarray]

MARKETS: tuple[str, ...] = ("points", "rebounds", "assists", "threes", "pra")
ACTUAL_COLUMN = "actual"

# Column name -> numpy dtype. Floats hold NaN when unknown; strings are object arrays.
_COLUMN_DTYPES: dict[str, Any] = {
    "game_date": "datetime64[D]",
    "game_id": object,
    "player_lookup": object,
    "market": object,
    "team": object,
    "opponent": object,
    "is_home": bool,
    "stat_last5": float,
    "stat_last10": float,
    "stat_season": float,
    "stat_std_last10": float,
    "stat_last_game": float,
    "minutes_last5": float,
    "minutes_season": float,
    "games_played": np.int64,
    "days_rest": float,
    "is_back_to_back": bool,
    "opp_allowed_ratio": float,
    "team_pace": float,
    "opp_pace": float,
    "league_pace": float,
    # The vig-free consensus of the books quoting the player: the modal line and its over probability.
    "market_line": float,
    "market_p_over": float,
    "market_books": float,
    # Season minutes of teammates missing (last game or injury report); usage while on the floor.
    "teammates_minutes_out": float,
    "usage_season": float,
    # Games last season: his carried-over rate stands in for this season's form until he has games.
    "prior_games": np.int64,
}

FEATURE_COLUMNS: tuple[str, ...] = tuple(_COLUMN_DTYPES)
# The columns that hold numbers (float, int or bool): what models read.
NUMERIC_COLUMNS: tuple[str, ...] = tuple(
    name for name, dtype in _COLUMN_DTYPES.items() if dtype in (float, bool, np.int64)
)


def _columns(*, with_actual: bool) -> dict[str, Any]:
    return {**_COLUMN_DTYPES, ACTUAL_COLUMN: float} if with_actual else dict(_COLUMN_DTYPES)


def validate_frame(frame: Mapping[str, np.ndarray], *, with_actual: bool) -> None:
    """Raise `ProcessorError` naming the first missing column or a column of the wrong length."""
    length: int | None = None
    for name in _columns(with_actual=with_actual):
        if name not in frame:
            kind = "history" if with_actual else "feature"
            raise ProcessorError(
                f"The {kind} frame has no column {name!r}; build it with frame_from_rows() from "
                "nba_precompute.ml_feature_store rows"
                + (" joined with the actual stat." if with_actual else ".")
            )
        size = len(frame[name])
        if length is None:
            length = size
        elif size != length:
            raise ProcessorError(
                f"Column {name!r} of the feature frame has {size} rows but game_date has {length}; "
                "every column must have one value per row."
            )


def empty_frame(*, with_actual: bool) -> FeatureFrame:
    """A frame with every column and no rows."""
    return {
        name: np.empty(0, dtype=dtype) for name, dtype in _columns(with_actual=with_actual).items()
    }


def _column(values: list[Any], name: str, dtype: Any) -> np.ndarray:
    if dtype is float:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if dtype is bool:
        return np.array([bool(v) for v in values], dtype=bool)
    if dtype is np.int64:
        if any(v is None for v in values):
            raise ProcessorError(f"Column {name!r} has an empty value; it must always be set.")
        return np.array(values, dtype=np.int64)
    if dtype == "datetime64[D]":
        return np.array(values, dtype="datetime64[D]")
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def frame_from_rows(
    rows: Sequence[Mapping[str, Any]], *, with_actual: bool | None = None
) -> FeatureFrame:
    """Build a frame from row dicts (e.g. `Warehouse.query` results); extra keys are ignored.

    `with_actual=None` keeps `actual` when the first row has it. None becomes NaN in float columns
    and False in boolean ones.
    """
    if with_actual is None:
        with_actual = bool(rows) and ACTUAL_COLUMN in rows[0]
    frame: FeatureFrame = {}
    for name, dtype in _columns(with_actual=with_actual).items():
        try:
            values = [row[name] for row in rows]
        except KeyError as e:
            raise ProcessorError(
                f"A feature row has no {name!r}; select every ml_feature_store column"
                + (" and the actual stat." if with_actual else ".")
            ) from e
        frame[name] = _column(values, name, dtype)
    return frame


def frame_length(frame: Mapping[str, np.ndarray]) -> int:
    """Number of rows of a frame."""
    return len(frame["game_date"])


def select(
    frame: Mapping[str, np.ndarray], mask: np.ndarray, *, columns: Sequence[str] | None = None
) -> FeatureFrame:
    """The rows of `frame` picked by a boolean mask or an index array (only `columns` if given)."""
    names = frame.keys() if columns is None else columns
    return {name: frame[name][mask] for name in names}


def concat(frames: Sequence[Mapping[str, np.ndarray]]) -> FeatureFrame:
    """Stack frames that have the same columns, in order."""
    if not frames:
        raise ProcessorError("concat() needs at least one feature frame.")
    names = list(frames[0])
    for index, frame in enumerate(frames[1:], start=1):
        if sorted(frame) != sorted(names):
            raise ProcessorError(
                f"Feature frame {index} has columns {sorted(frame)} but frame 0 has "
                f"{sorted(names)}; concat() needs the same columns in every frame."
            )
    return {name: np.concatenate([frame[name] for frame in frames]) for name in names}
