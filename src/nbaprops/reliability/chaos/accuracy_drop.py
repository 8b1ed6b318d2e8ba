"""A sudden accuracy drop."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="accuracy_drop",
    summary="box scores come in far from every prediction: accuracy falls",
    recoverable=False,
    exercises="chaos glitch DOUBLED on player_boxscores after 1 good call: the last day's counting stats "
    "come in doubled, so its graded hit rate falls against the day before; the accuracy check after grading "
    "pages",
    glitches=(SourceGlitch("player_boxscores", GlitchKind.DOUBLED, after_calls=1),),
    expected_alert="accuracy",
    expected_diagnosis="accuracy_drop",
)
