"""The primary box-score source down for a day, then back: the fallback source serves meanwhile."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="boxscores_down_a_day",
    summary="the primary box-score source is unreachable for 24 h of virtual time, then back; its fallback serves",
    recoverable=True,
    exercises="chaos glitch DOWN (SourceUnreachableError:connection) on the primary sim source's player and team "
    "box scores for 24 h; the box-score chain (primary, then an independent sim fallback) under per-source breakers",
    glitches=(
        SourceGlitch("player_boxscores", GlitchKind.DOWN, for_hours=24),
        SourceGlitch("team_boxscores", GlitchKind.DOWN, for_hours=24),
    ),
    fallback=True,
)
