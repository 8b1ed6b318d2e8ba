"""These tests run on both backends: `warehouse` is DuckDB, then PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nbaprops.warehouse import Warehouse


@pytest.fixture
def warehouse(any_warehouse: Warehouse) -> Iterator[Warehouse]:
    yield any_warehouse
