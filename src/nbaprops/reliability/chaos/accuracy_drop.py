"""A sudden accuracy drop."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="accuracy_drop",
    summary="box scores come in far from every prediction: accuracy falls",
    recoverable=False,
    exercises="chaos glitch INVERTED on player_boxscores after 1 good call: the last day's stats come in "
    "mirrored across each player's line, so its graded picks mostly lose against the day before; the accuracy "
    "check after grading pages",
    glitches=(SourceGlitch("player_boxscores", GlitchKind.INVERTED, after_calls=1),),
    expected_alert="accuracy",
    expected_diagnosis="accuracy_drop",
)
