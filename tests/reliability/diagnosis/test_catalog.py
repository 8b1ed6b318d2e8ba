"""The catalog: the first rule that knows the cause answers; nothing known is `unknown`."""

from nbaprops.reliability.diagnosis import CATALOG, Symptoms, diagnose


def test_every_rule_is_in_the_catalog_once() -> None:
    names = [rule.__name__ for rule in CATALOG]
    assert len(names) == len(set(names)) == 13


def test_a_known_cause() -> None:
    found = diagnose(Symptoms("player_prop_predictions", error_class="ModuleNotFoundError",
                              error="No module named 'lightgbm'"))
    assert found.rule == "missing_module" and found.known


def test_an_unknown_cause() -> None:
    found = diagnose(Symptoms("player_game_summary", error_class="ZeroDivisionError"))
    assert found.rule == "unknown" and not found.known and "ZeroDivisionError" in found.root_cause
