"""injected_fault: a failure caused by `--inject` names its spec."""

from nbaprops.reliability.diagnosis import Symptoms
from nbaprops.reliability.diagnosis.injected_fault import injected_fault


def test_names_the_spec() -> None:
    found = injected_fault(Symptoms(
        "player_game_summary", error_class="ProcessorError",
        error="Processor player_game_summary failed (injected fault processor:player_game_summary=fail:1).",
    ))
    assert found is not None and "processor:player_game_summary=fail:1 (a drill)" in found.root_cause


def test_quiet_for_real_failures() -> None:
    assert injected_fault(Symptoms("player_game_summary", error="Processor failed: KeyError 'pts'")) is None
