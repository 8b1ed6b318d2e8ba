"""late_data: a processor short of its expected records after its retries."""

from datetime import date

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.late_data import late_data


def test_incomplete_with_counts() -> None:
    found = late_data(Symptoms("odds_player_props", date(2024, 11, 12), error_class="Incomplete",
                               records=12, expected=40))
    assert found is not None and "12 of 40" in found.root_cause


def test_quiet_without_counts() -> None:
    assert late_data(Symptoms("odds_player_props", error_class="Incomplete")) is None
