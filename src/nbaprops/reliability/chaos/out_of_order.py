"""Days delivered out of order."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="out_of_order",
    summary="the days' work arrives out of order",
    recoverable=True,
    exercises="delivery fault deliver:reorder",
    inject=("deliver:reorder",),
)
