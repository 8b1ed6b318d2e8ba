"""Two graders on the same date."""

from __future__ import annotations

from nbaprops.reliability.chaos._model import Scenario

SCENARIO = Scenario(
    name="two_graders",
    summary="two more graders run the last date's results after the season",
    recoverable=True,
    exercises="two extra results runs of the last date from separate processes (joined by workflow id, not concurrent)",
    graders=2,
)
