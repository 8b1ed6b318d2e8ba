"""The primary box-score source down for a day, then back."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="boxscores_down_a_day",
    summary="the box-score feed is unreachable for 24 h of virtual time, then back",
    recoverable=True,
    exercises="chaos glitch DOWN (SourceUnreachableError:connection) on player and team box scores for 24 h",
    glitches=(
        SourceGlitch("player_boxscores", GlitchKind.DOWN, for_hours=24),
        SourceGlitch("team_boxscores", GlitchKind.DOWN, for_hours=24),
    ),
)
