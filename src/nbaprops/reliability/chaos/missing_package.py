"""A prediction worker whose import of a missing package fails."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="missing_package",
    summary="the prediction worker cannot import xgboost (not installed)",
    recoverable=False,
    exercises="processor fault import:<module> on player_prop_predictions (ModuleNotFoundError in the processor)",
    inject=("processor:player_prop_predictions=import:xgboost",),
    expected_alert="give_up",
    expected_diagnosis="missing_module",
)
