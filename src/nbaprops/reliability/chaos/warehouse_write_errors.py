"""Warehouse write errors."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="warehouse_write_errors",
    summary="the warehouse refuses player_daily_cache's first 2 writes",
    recoverable=True,
    exercises="processor fault write_error:2 (WarehouseError raised in write)",
    inject=("processor:player_daily_cache=write_error:2",),
)
