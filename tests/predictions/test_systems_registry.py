from __future__ import annotations

import numpy as np
import pytest
from tests.predictions.synthetic import assert_same_output, game_dates, split_day, synthetic_season

import nbaprops.predictions.systems as systems_package
from nbaprops.errors import ProcessorError
from nbaprops.predictions.features import FeatureFrame
from nbaprops.predictions.systems import (
    SYSTEM_IDS,
    EnsembleSystem,
    GbmConfig,
    GbmSystem,
    MovingAverageSystem,
    VariantSystem,
    build_systems,
    predict_all,
)
from nbaprops.predictions.systems_config import SystemVariant


@pytest.fixture(scope="module")
def season() -> FeatureFrame:
    return synthetic_season(players=80, games=30, seed=3)[0]


def test_public_api_is_what_all_lists() -> None:
    public = {name for name in dir(systems_package) if not name.startswith("_")}
    modules = {"base", "ensemble", "gbm", "market", "matchup", "moving_average", "registry", "similarity", "variant",
               "version"}
    assert public - modules == set(systems_package.__all__)


def test_build_systems_in_running_order() -> None:
    systems = build_systems(retrain_days=7, min_history_games=3)
    assert [s.system_id for s in systems] == list(SYSTEM_IDS)
    assert all(s.min_history_games == 3 for s in systems)
    gbm, ensemble = systems[4], systems[5]
    assert isinstance(gbm, GbmSystem) and gbm.retrain_days == 7
    assert isinstance(ensemble, EnsembleSystem) and ensemble.members == systems[:5]
    assert ensemble.anchor == "market"


def test_predict_all_runs_every_system_once(season: FeatureFrame) -> None:
    systems = build_systems(retrain_days=14, min_history_games=5)
    systems[4].config = GbmConfig(num_trees=40, num_threads=1)
    today, history = split_day(season, game_dates(season)[40])
    outputs = predict_all(systems, today, history, market="points")
    assert list(outputs) == list(SYSTEM_IDS)
    assert systems[4].trainings == 1
    rows = len(today["game_date"])
    for system_id, output in outputs.items():
        assert len(output) == rows, system_id
        assert output.valid.sum() > rows // 2, system_id
    members = {s: outputs[s] for s in SYSTEM_IDS[:5]}
    assert_same_output(outputs["ensemble"], systems[5].combine(members))


def test_recent_error_moves_the_ensemble_toward_the_better_member(season: FeatureFrame) -> None:
    systems = build_systems(retrain_days=14, min_history_games=5)
    systems[4].config = GbmConfig(num_trees=40, num_threads=1)
    today, history = split_day(season, game_dates(season)[40])
    mae = {"market": 100.0, "moving_average": 0.01, "matchup": 100.0, "similarity": 100.0, "gbm": 100.0}
    outputs = predict_all(systems, today, history, market="points", recent_mae=mae)
    ok = outputs["ensemble"].valid & outputs["moving_average"].valid
    np.testing.assert_allclose(
        outputs["ensemble"].predicted_value[ok],
        outputs["moving_average"].predicted_value[ok],
        rtol=0.01,
    )


def test_a_variant_runs_after_the_ensemble_on_a_base_of_its_own(season: FeatureFrame) -> None:
    variants = {"ma_low": SystemVariant(base="moving_average", mean_scale=0.5, blend_with_market=False),
                "market_copy": SystemVariant(base="market")}
    systems = build_systems(retrain_days=14, min_history_games=5, variants=variants)
    assert [s.system_id for s in systems] == [*SYSTEM_IDS, "ma_low", "market_copy"]
    low, copy = systems[6], systems[7]
    assert isinstance(low, VariantSystem) and isinstance(low.base, MovingAverageSystem)
    assert low.base is not systems[1] and systems[5].members == systems[:5]  # the ensemble never weighs it
    assert (low.blends_with_market, low.needs_history) == (False, True)
    assert (copy.blends_with_market, copy.needs_history) == (False, False)  # as the market-anchored base
    today, history = split_day(season, game_dates(season)[40])
    outputs = predict_all(systems[:2] + [low], today, history, market="points")
    base, scaled = outputs["moving_average"], outputs["ma_low"]
    np.testing.assert_array_equal(scaled.valid, base.valid)
    np.testing.assert_allclose(scaled.predicted_value[base.valid], 0.5 * base.predicted_value[base.valid])
    np.testing.assert_allclose(scaled.predicted_std[base.valid], base.predicted_std[base.valid])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"system_id": "moving_average"}, "an id of its own"),
    ({"mean_scale": 0.0}, "mean_scale must be above 0, got 0.0 for variant 'ma_low'"),
])
def test_a_variant_is_refused_without_an_id_of_its_own_or_a_positive_scale(kwargs: dict[str, object],
                                                                          message: str) -> None:
    arguments: dict[str, object] = {"system_id": "ma_low", "mean_scale": 1.0, **kwargs}
    with pytest.raises(ProcessorError, match=message):
        VariantSystem(str(arguments["system_id"]), MovingAverageSystem(), mean_scale=float(arguments["mean_scale"]))
