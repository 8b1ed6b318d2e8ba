"""forbidden_after_move: a 403 after the URL changed is the move; without a change, the key or a block."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.forbidden_after_move import forbidden_after_move


def test_a_403_after_a_url_change_blames_the_move() -> None:
    found = forbidden_after_move(Symptoms(
        "odds_player_props", error_class="SourceBlockedError:blocked", status_code=403, url_changed=True,
    ))
    assert found is not None and "403 since its URL changed" in found.root_cause
    assert "base_url" in found.suggested_fix


def test_a_403_without_a_url_change_blames_the_key() -> None:
    found = forbidden_after_move(Symptoms("odds_player_props", error_class="SourceBlockedError:blocked"))
    assert found is not None and "API key's plan" in found.root_cause and "api_key" in found.suggested_fix


def test_quiet_for_an_auth_failure() -> None:
    assert forbidden_after_move(Symptoms("odds_player_props", error_class="SourceAuthError:auth")) is None
