"""short_history: predictions short of the games of history, early or with history missing."""

from datetime import date

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.short_history import short_history

SHORT = ("player_prop_predictions for 2024-10-29: 0 of 27 lined player-markets predicted: only 0 have feature "
         "rows with 5 games of history.")


def test_early_season() -> None:
    found = short_history(Symptoms("player_prop_predictions", date(2024, 10, 29), error_class="Incomplete",
                                   error=SHORT))
    assert found is not None and "lack the 5 games" in found.root_cause and "early in the season" in found.root_cause


def test_history_not_built() -> None:
    found = short_history(Symptoms("player_prop_predictions", error_class="Incomplete",
                                   error=SHORT + " Build the history with `nbaprops backfill ...`."))
    assert found is not None and "not built" in found.root_cause and "backfill" in found.suggested_fix


def test_quiet_for_other_shortfalls() -> None:
    assert short_history(Symptoms("odds_player_props", error_class="Incomplete", error="12 of 40")) is None
