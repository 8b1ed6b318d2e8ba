"""The `[systems]` section: initial roles per market, one champion and at most one canary each."""

import pytest
from pydantic import ValidationError

from nbaprops.predictions.systems import build_systems
from nbaprops.predictions.systems.version import system_version
from nbaprops.predictions.systems_config import SystemsConfig

SYSTEMS = ("market", "moving_average", "matchup", "similarity", "gbm", "ensemble")


def test_by_default_the_ensemble_is_champion_and_every_other_system_a_shadow() -> None:
    roles = SystemsConfig().initial_roles("points", SYSTEMS)
    assert roles == {s: "champion" if s == "ensemble" else "shadow" for s in SYSTEMS}
    assert SystemsConfig().canary_share == 0.10 and not SystemsConfig().auto_disable


def test_market_roles_override_the_default_roles_system_by_system() -> None:
    config = SystemsConfig(roles={"ensemble": "champion", "gbm": "canary"},
                           market_roles={"threes": {"gbm": "shadow", "market": "retired"}})
    assert config.initial_roles("points", SYSTEMS)["gbm"] == "canary"
    threes = config.initial_roles("threes", SYSTEMS)
    assert (threes["gbm"], threes["market"], threes["ensemble"]) == ("shadow", "retired", "champion")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"roles": {"gbm": "canary"}}, r"exactly one champion in every market, got none"),
    ({"market_roles": {"pra": {"gbm": "champion"}}}, r"exactly one champion in pra, got \['ensemble', 'gbm'\]"),
    ({"roles": {"ensemble": "champion", "gbm": "canary", "market": "canary"}}, r"at most one canary"),
    ({"roles": {"ensemble": "boss"}}, r"champion|canary|shadow|retired"),
    ({"canary_share": 1.5}, r"canary_share"),
    ({"variants": {"gbm": {"base": "moving_average"}}}, r"\[systems.variants\] needs ids of their own; gbm names"),
    ({"variants": {"ma_low": {"base": "ensemble"}}}, r"base"),
    ({"variants": {"ma_low": {"base": "moving_average", "mean_scale": 0}}}, r"mean_scale"),
])
def test_invalid_roles_are_refused_with_the_market_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SystemsConfig(**kwargs)  # type: ignore[arg-type]


def test_a_version_changes_with_the_parameters_the_window_and_the_code_only() -> None:
    first = {s.system_id: s for s in build_systems(retrain_days=14, min_history_games=5)}
    again = {s.system_id: s for s in build_systems(retrain_days=14, min_history_games=5)}
    other = {s.system_id: s for s in build_systems(retrain_days=7, min_history_games=5)}

    def version(system: object, code: str = "0.1.0", days: int = 400) -> str:
        return system_version(system, code_version=code, training_days=days)  # type: ignore[arg-type]

    assert version(first["gbm"]).startswith("0.1.0+w400d+p")
    assert version(first["gbm"]) == version(again["gbm"])
    assert version(first["gbm"]) != version(other["gbm"])  # retrain_days is a parameter
    assert version(first["market"]) == version(other["market"])
    assert version(first["gbm"], days=300) != version(first["gbm"])
    assert version(first["gbm"], code="0.2.0") != version(first["gbm"])
    assert len({version(s) for s in first.values()}) == len(first)
