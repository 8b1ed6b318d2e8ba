"""Prop lines published 21 hours late."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="props_late_21h",
    summary="prop lines become visible 21 h late",
    recoverable=False,
    exercises="source fault late:21h on the props feed (the sim source asked for what was out 21 h earlier)",
    inject=("source:props=late:21h",),
    expected_alert="give_up",
    expected_diagnosis="late_data",
)
