"""no_games_yet: triggers before the day's games exist, or a retry budget refusal (the storm)."""

from datetime import date

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.no_games_yet import no_games_yet

DAY = date(2024, 11, 12)


def test_a_budget_refusal_is_a_stopped_storm() -> None:
    found = no_games_yet(Symptoms("player_game_summary", DAY, error_class="RetryBudgetExhausted", attempts_today=30))
    assert found is not None and "retry storm" in found.root_cause and "(30 attempts)" in found.root_cause
    assert "`nbaprops status --date 2024-11-12`" in found.suggested_fix


def test_a_refusal_on_a_day_without_games_says_both() -> None:
    found = no_games_yet(Symptoms("player_game_summary", DAY, error_class="RetryBudgetExhausted", games_scheduled=0))
    assert found is not None and "retry storm" in found.root_cause and "no games for it yet" in found.root_cause


def test_no_scheduled_games() -> None:
    found = no_games_yet(Symptoms("player_game_summary", DAY, error_class="ProcessorError", games_scheduled=0))
    assert found is not None and "before the day's games exist" in found.root_cause


def test_quiet_when_games_exist() -> None:
    assert no_games_yet(Symptoms("player_game_summary", DAY, error_class="ProcessorError", games_scheduled=7)) is None
