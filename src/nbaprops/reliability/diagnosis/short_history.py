"""Predictions short because the day's players lack the games of history features need."""

from __future__ import annotations

import re

from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms

_HISTORY = re.compile(r"feature rows with (\d+) games of history")


def short_history(symptoms: Symptoms) -> Diagnosis | None:
    """Incomplete predictions whose shortfall names the games of history they need (early in the
    season, or a history never built): late data is not the cause and waiting will not help."""
    found = _HISTORY.search(symptoms.error or "")
    if symptoms.error_class != "Incomplete" or found is None:
        return None
    built = "Build the history with" in (symptoms.error or "")
    return Diagnosis(
        rule="short_history",
        root_cause=f"{symptoms.component} for {symptoms.game_date}: the lined players lack the {found.group(1)} "
        "games of history their features need"
        + (" (the history before the day is not built)." if built else " (early in the season)."),
        suggested_fix=(
            "Build the history with the backfill the error names, then run the day again."
            if built
            else "Nothing to fix early in the season; lower [predictions] min_history_games to predict sooner."
        ),
    )
