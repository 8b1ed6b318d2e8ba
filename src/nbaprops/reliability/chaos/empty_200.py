"""A source answers 200 with an empty body, then recovers."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="empty_200",
    summary="the box-score feed answers 200 with an empty body on its first 2 calls",
    recoverable=True,
    exercises="chaos glitch EMPTY (EmptyPayloadError:empty) on the sim source's player_boxscores",
    glitches=(SourceGlitch("player_boxscores", GlitchKind.EMPTY, calls=2),),
)
