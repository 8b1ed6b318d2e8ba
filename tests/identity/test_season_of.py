from datetime import date, datetime

import pytest

from nbaprops.identity import season_of

CASES = [
    (date(2024, 10, 22), "2024-25"),
    (date(2025, 4, 13), "2024-25"),
    (date(2025, 6, 22), "2024-25"),
    (date(2025, 7, 31), "2024-25"),
    (date(2025, 8, 1), "2025-26"),
    (date(2023, 10, 5), "2023-24"),
    (date(1999, 11, 2), "1999-00"),
    (date(2000, 3, 2), "1999-00"),
    (datetime(2024, 12, 25, 17, 0), "2024-25"),
]


@pytest.mark.parametrize(("game_date", "season"), CASES)
def test_season_of(game_date: date, season: str) -> None:
    assert season_of(game_date) == season
