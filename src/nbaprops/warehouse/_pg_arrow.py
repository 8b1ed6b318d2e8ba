"""PostgreSQL result rows as an Arrow table with the column types DuckDB would give."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

# PostgreSQL type OIDs (pg_type) and the Arrow type of the matching DuckDB column.
_ARROW_TYPES: dict[int, pa.DataType] = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1042: pa.string(),
    1043: pa.string(),
    705: pa.string(),
    1700: pa.float64(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    114: pa.string(),
    3802: pa.string(),
    1000: pa.list_(pa.bool_()),
    1005: pa.list_(pa.int16()),
    1007: pa.list_(pa.int32()),
    1016: pa.list_(pa.int64()),
    1009: pa.list_(pa.string()),
    1015: pa.list_(pa.string()),
    1022: pa.list_(pa.float64()),
    1182: pa.list_(pa.date32()),
    1115: pa.list_(pa.timestamp("us")),
}


def to_arrow(description: Sequence[Any], rows: Sequence[Sequence[Any]]) -> pa.Table:
    """The rows as an Arrow table; a type without a known mapping is inferred from the values."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in description]
    arrays = []
    for column, values in zip(description, columns, strict=True):
        arrow_type = _ARROW_TYPES.get(column.type_code)
        arrays.append(pa.array(list(values), type=arrow_type) if arrow_type is not None or values
                      else pa.array([], type=pa.null()))
    return pa.Table.from_arrays(arrays, names=[column.name for column in description])
