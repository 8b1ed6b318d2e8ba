"""A paid source's quota exhausted mid-day."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="quota_midday",
    summary="the odds feed's quota runs out after its first call",
    recoverable=False,
    exercises="chaos glitch QUOTA (QuotaExhaustedError:quota_exhausted) on prop_lines after 1 good call",
    glitches=(SourceGlitch("prop_lines", GlitchKind.QUOTA, after_calls=1),),
    expected_alert="give_up",
    expected_diagnosis="quota_exhausted",
)
