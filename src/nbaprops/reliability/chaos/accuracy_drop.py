"""A sudden accuracy drop."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="accuracy_drop",
    summary="box scores come in far from every prediction: accuracy falls",
    recoverable=False,
    exercises="not built: no fault yet distorts results in the sim league",
    expected_alert="accuracy",
    expected_diagnosis="accuracy_drop",
)
