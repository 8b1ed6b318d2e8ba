"""Only 2 of 5 Phase 3 processors finish on the first tries."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="phase3_two_of_five",
    summary="3 of the 5 Phase 3 processors fail twice, then finish",
    recoverable=True,
    exercises="processor faults fail:2 on three Phase 3 processors; the completeness retries",
    inject=(
        "processor:team_offense_game_summary=fail:2",
        "processor:team_defense_game_summary=fail:2",
        "processor:upcoming_team_game_context=fail:2",
    ),
)
