"""Every message delivered twice."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="duplicate_deliveries",
    summary="every day's work is delivered twice",
    recoverable=True,
    exercises="delivery fault deliver:duplicate (workflow-id dedupe)",
    inject=("deliver:duplicate",),
)
