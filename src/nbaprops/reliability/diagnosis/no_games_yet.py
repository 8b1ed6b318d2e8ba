"""A processor triggered over and over for a date whose games do not exist yet (the storm)."""

from __future__ import annotations

from nbaprops.reliability.budgets import BUDGET_ERROR_CLASS, STORM_ERROR_CLASS
from nbaprops.reliability.diagnosis._model import Diagnosis, Symptoms
from nbaprops.suggestions import day_status


def no_games_yet(symptoms: Symptoms) -> Diagnosis | None:
    """A retry budget refusal, or failures for a date with no scheduled games: triggers keep
    arriving before the day's games exist, and re-running cannot create them."""
    refused = symptoms.error_class in (BUDGET_ERROR_CLASS, STORM_ERROR_CLASS)
    if not refused and symptoms.games_scheduled != 0:
        return None
    day = symptoms.game_date
    attempts = "" if symptoms.attempts_today is None else f" ({symptoms.attempts_today} attempts)"
    no_games = " The schedule holds no games for it yet: the triggers came before the day's games exist."
    if refused:
        cause = (
            f"{symptoms.component} was triggered for {day or 'a date'}{attempts} more often than the retry "
            "budget allows: a retry storm (repeated re-runs or data events) was stopped."
            + (no_games if symptoms.games_scheduled == 0 else "")
        )
    else:
        cause = (
            f"{symptoms.component} was triggered for {day or 'a date'}{attempts} before the day's games "
            "exist: the schedule holds no games for it yet, so every run finds nothing to do."
        )
    status = f"see {day_status(day)}; " if day is not None else ""
    return Diagnosis(
        rule="no_games_yet",
        root_cause=cause,
        suggested_fix=f"Find what keeps triggering it ({status}the events and re-runs of the date); the "
        "budget resets with the next game_date, and the day runs normally once its schedule is published.",
    )
