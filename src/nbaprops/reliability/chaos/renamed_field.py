"""An upstream field renamed."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import GlitchKind, Scenario, SourceGlitch

SCENARIO = Scenario(
    name="renamed_field",
    summary="the box-score payload renames a field the parser reads",
    recoverable=False,
    exercises="chaos glitch RENAMED_FIELD (SourceSchemaError:schema_drift) on team_boxscores",
    glitches=(SourceGlitch("team_boxscores", GlitchKind.RENAMED_FIELD, renamed=("points", "pts")),),
    expected_alert="give_up",
    expected_diagnosis="schema_drift",
)
