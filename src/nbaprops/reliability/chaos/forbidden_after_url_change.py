"""A source that turns 403 after its URL changed."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="forbidden_after_url_change",
    summary="the injury feed answers 403 since its URL changed",
    recoverable=False,
    exercises="chaos glitch FORBIDDEN (SourceBlockedError:blocked) on the sim source's injuries, every call",
    glitches=(SourceGlitch("injuries", GlitchKind.FORBIDDEN),),
    expected_alert="give_up",
    expected_diagnosis="forbidden_after_move",
)
