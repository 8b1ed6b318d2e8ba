"""Runs stuck 'running': a processor stalls past its deadline once."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="stuck_running",
    summary="ml_feature_store stalls 3 h on its first attempt",
    recoverable=True,
    exercises="processor fault slow:3h:1 on ml_feature_store (the step deadline and the stuck-run sweep)",
    inject=("processor:ml_feature_store=slow:3h:1",),
)
